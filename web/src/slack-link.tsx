import { type FormEvent, useState } from 'react';
import { api } from './api';
import type { ResponseOf } from './api-types';
import { ProblemMessage, useAction, useResource } from './components';

type SlackLink = ResponseOf<'/api/slack/link'>;

/**
 * "Link Slack" on your own profile: finds your Slack account by your email, shows the link,
 * sends a test DM, unlinks. Linking adds a `slack` contact method (DMs from Klaxon's bot).
 */
export function SlackLinkCard({ onChange }: { onChange: () => Promise<void> }) {
  const link = useResource(() => api<SlackLink>('GET', '/api/slack/link'), 'slack-link');
  const action = useAction();
  const [tested, setTested] = useState(false);
  if (link.data === undefined || !link.data.configured) return null;

  const run = (work: () => Promise<unknown>) =>
    action.run(async () => {
      setTested(false);
      await work();
      await link.reload();
      await onChange();
    });

  return (
    <section className="card" aria-labelledby="slack-title">
      <h2 id="slack-title">Slack</h2>
      {link.data.linked ? (
        <>
          <p>
            Linked to Slack account <code>{link.data.slackUserId}</code>: pages arrive as DMs with Acknowledge, Resolve
            and Escalate buttons.
          </p>
          <button
            type="button"
            className="small"
            disabled={action.busy}
            onClick={() =>
              action.run(async () => {
                await api('POST', '/api/slack/link/test');
                setTested(true);
              })
            }
          >
            Send a test
          </button>
          <button
            type="button"
            className="secondary small"
            disabled={action.busy}
            onClick={() => run(() => api('DELETE', '/api/slack/link'))}
          >
            Unlink
          </button>
        </>
      ) : (
        <>
          <p className="help">Links the Slack account with your email, so you can be paged and act from Slack.</p>
          <button
            type="button"
            className="small"
            disabled={action.busy}
            onClick={() => run(() => api('POST', '/api/slack/link'))}
          >
            Link Slack
          </button>
        </>
      )}
      {tested && <p role="status">Test sent: look for a DM from Klaxon in Slack.</p>}
      <ProblemMessage error={action.error ?? link.error} />
    </section>
  );
}

/** A team's Slack channel (its managers set it); incidents are posted there by `team_channel` escalation targets. */
export function TeamSlackChannel({ teamId, canManage }: { teamId: string; canManage: boolean }) {
  const channel = useResource(
    () => api<{ configured: boolean; channelId: string | null }>('GET', `/api/teams/${teamId}/slack-channel`),
    `slack-channel-${teamId}`,
  );
  const [draft, setDraft] = useState('');
  const action = useAction();
  if (channel.data === undefined || !channel.data.configured) return null;

  const save = (channelId: string | null) =>
    action.run(async () => {
      await api('PUT', `/api/teams/${teamId}/slack-channel`, { channelId });
      setDraft('');
      await channel.reload();
    });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    void save(draft.trim());
  };

  return (
    <section className="card" aria-labelledby="team-slack-title">
      <h2 id="team-slack-title">Slack channel</h2>
      <p>
        {channel.data.channelId === null ? (
          'No Slack channel.'
        ) : (
          <>
            Incidents are posted to <code>{channel.data.channelId}</code> by escalation levels that target the
            team&apos;s channel.
          </>
        )}
      </p>
      {canManage && (
        <form onSubmit={submit} className="inline">
          <label htmlFor="team-slack-channel">Channel id (C…, from the channel details; invite @Klaxon to it)</label>
          <input
            id="team-slack-channel"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            pattern="[CG][A-Z0-9]{2,30}"
            required
          />
          <button type="submit" className="small" disabled={action.busy}>
            Save
          </button>
          {channel.data.channelId !== null && (
            <button type="button" className="secondary small" disabled={action.busy} onClick={() => save(null)}>
              Remove
            </button>
          )}
        </form>
      )}
      <ProblemMessage error={action.error ?? channel.error} />
    </section>
  );
}
