import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import type { Item, ResponseOf } from '../api-types';
import {
  Badge,
  CopyButton,
  EmptyState,
  Loading,
  ProblemMessage,
  TableWrap,
  Time,
  useAction,
  useResource,
} from '../components';
import type { Team } from '../teams-api';

/** A heartbeat as GET /api/heartbeats returns it (docs/noise-control.md, "Heartbeats"). */
type Heartbeat = Item<ResponseOf<'/api/heartbeats'>['heartbeats']>;

const STATUS_TONE = { up: 'green', down: 'red', paused: 'grey' } as const;

/** Heartbeats of your teams: status at a glance, a new one with its ping URL shown once, pause and delete. */
export function HeartbeatsPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(
    () => api<{ heartbeats: Heartbeat[] }>('GET', '/api/heartbeats'),
    '',
    30_000,
  );
  const teams = useResource(() => api<{ teams: Team[] }>('GET', '/api/teams'), '');
  const writable = (teams.data?.teams ?? []).filter((team) => me.isPlatformAdmin || team.role === 'manager');
  const [form, setForm] = useState({ teamId: '', name: '', intervalMinutes: '60', graceMinutes: '5' });
  const [created, setCreated] = useState<{ name: string; pingUrl: string } | null>(null);
  const action = useAction();
  const teamName = (id: string) => teams.data?.teams.find((team) => team.id === id)?.name ?? id;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const heartbeat = await action.run(() =>
      api<Heartbeat & { pingUrl: string }>('POST', '/api/heartbeats', {
        teamId: form.teamId || writable[0]?.id,
        name: form.name,
        intervalSeconds: Math.round(Number(form.intervalMinutes) * 60),
        graceSeconds: Math.round(Number(form.graceMinutes) * 60),
      }),
    );
    if (heartbeat !== undefined) {
      setCreated({ name: heartbeat.name, pingUrl: `${window.location.origin}${heartbeat.pingUrl}` });
      setForm({ ...form, name: '' });
      await reload();
    }
  };
  const setActive = async (heartbeat: Heartbeat, isActive: boolean) => {
    await action.run(() => api('PATCH', `/api/heartbeats/${heartbeat.id}`, { isActive }));
    await reload();
  };
  const remove = async (heartbeat: Heartbeat) => {
    if (!window.confirm(`Delete the heartbeat “${heartbeat.name}”? Its ping URL stops working.`)) return;
    await action.run(() => api('DELETE', `/api/heartbeats/${heartbeat.id}`));
    await reload();
  };

  return (
    <section aria-labelledby="heartbeats-title">
      <h1 id="heartbeats-title">Heartbeats</h1>
      <p className="help">
        Get paged when a sender goes silent: a job pings its URL at least every interval; no ping for interval + grace
        opens an alert for the team, and the next ping resolves it.
      </p>
      {writable.length > 0 && (
        <form className="card" onSubmit={submit} aria-labelledby="new-heartbeat-title">
          <h2 id="new-heartbeat-title">New heartbeat</h2>
          <ProblemMessage error={action.error} />
          <label htmlFor="heartbeat-team">Team</label>
          <select
            id="heartbeat-team"
            value={form.teamId || writable[0]?.id}
            onChange={(e) => setForm({ ...form, teamId: e.target.value })}
          >
            {writable.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          <label htmlFor="heartbeat-name">Name</label>
          <input
            id="heartbeat-name"
            required
            maxLength={100}
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <label htmlFor="heartbeat-interval">Expected every (minutes)</label>
          <input
            id="heartbeat-interval"
            type="number"
            min={1}
            required
            value={form.intervalMinutes}
            onChange={(e) => setForm({ ...form, intervalMinutes: e.target.value })}
          />
          <label htmlFor="heartbeat-grace">Grace (minutes)</label>
          <input
            id="heartbeat-grace"
            type="number"
            min={0}
            required
            value={form.graceMinutes}
            onChange={(e) => setForm({ ...form, graceMinutes: e.target.value })}
          />
          <button type="submit" disabled={action.busy}>
            Create heartbeat
          </button>
          {created !== null && (
            <div className="secret-once" role="status">
              <p className="warning">
                <strong>Copy the ping URL of “{created.name}” now.</strong> Its token is shown only this once.
              </p>
              <label htmlFor="ping-url">Ping URL (GET or POST)</label>
              <div className="copy-row">
                <input id="ping-url" readOnly value={created.pingUrl} className="mono" />
                <CopyButton value={created.pingUrl} label="Copy URL" />
              </div>
            </div>
          )}
        </form>
      )}
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.heartbeats.length === 0 ? (
        <EmptyState title="No heartbeats yet">
          <p>Create one for a cron job, a backup or Alertmanager’s Watchdog.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Heartbeats">
          <table>
            <caption className="visually-hidden">Heartbeats</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Team</th>
                <th scope="col">Status</th>
                <th scope="col">Every</th>
                <th scope="col">Last ping</th>
                <th scope="col">Expected by</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {data.heartbeats.map((heartbeat) => (
                <tr key={heartbeat.id}>
                  <td>
                    {heartbeat.name}
                    {heartbeat.watchdog !== null && <span className="small-text"> (watchdog)</span>}
                  </td>
                  <td>{teamName(heartbeat.teamId)}</td>
                  <td>
                    <Badge tone={STATUS_TONE[heartbeat.status]}>{heartbeat.status}</Badge>
                  </td>
                  <td>{formatSeconds(heartbeat.intervalSeconds)}</td>
                  <td>
                    <Time value={heartbeat.lastPingAt} />
                  </td>
                  <td>
                    <Time value={heartbeat.expectedBy} />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="secondary small"
                      onClick={() => setActive(heartbeat, !heartbeat.isActive)}
                    >
                      {heartbeat.isActive ? 'Pause' : 'Resume'}
                    </button>{' '}
                    <button type="button" className="danger small" onClick={() => remove(heartbeat)}>
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function formatSeconds(seconds: number): string {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
