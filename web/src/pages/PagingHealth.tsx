import { api } from '../api';
import type { ResponseOf } from '../api-types';
import { EmptyState, Loading, ProblemMessage, Time, useResource } from '../components';
import { Link } from '../router';

export type PagingHealth = ResponseOf<'/api/paging-health'>;

/** Channels the server can deliver on; a channel missing from the list is assumed to work. */
export const loadUnconfiguredChannels = () =>
  api<{ channels: Array<{ type: string; configured: boolean }> }>('GET', '/api/notification-channels').then(
    (body) => new Set(body.channels.filter((channel) => !channel.configured).map((channel) => channel.type)),
  );

export const loadPagingHealth = () => api<PagingHealth>('GET', '/api/paging-health');

const KIND_LABEL: Record<string, string> = {
  'channel-not-configured': 'Channel not configured',
  'on-call-without-contact-method': 'On call, unreachable',
  'schedule-gap': 'Gap in a schedule',
  'no-escalation-policy': 'No escalation policy',
  'missing-escalation-target': 'Deleted escalation target',
};

/** For admins and team managers: what would stop a page from reaching a person, each with where to fix it. */
export function PagingHealthPage() {
  const { data, error } = useResource(loadPagingHealth, 'paging-health');
  return (
    <section aria-labelledby="paging-health-title">
      <h1 id="paging-health-title">Paging health</h1>
      <p className="help">
        What would stop a page from reaching a person, checked now: unconfigured channels, people on call without a
        contact method, schedule gaps in the next 14 days, teams without a default escalation policy, escalation levels
        naming deleted people or schedules.
      </p>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.problems.length === 0 ? (
        <EmptyState title="Nothing stops a page">
          <p>
            Checked <Time value={data.checkedAt} />.
          </p>
        </EmptyState>
      ) : (
        <ul className="plain-list" aria-label="Problems">
          {data.problems.map((problem) => (
            <li key={`${problem.kind}:${problem.message}`} className="warning" data-testid="paging-problem">
              <strong>{KIND_LABEL[problem.kind] ?? problem.kind}</strong>: {problem.message}.{' '}
              <Link href={problem.fixAt}>Fix it</Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** A one-line warning above every page while something would stop a page (admins and managers only). */
export function PagingHealthBanner({ path }: { path: string }) {
  // Reloaded on each navigation, so fixing something elsewhere clears it on the way back.
  const { data } = useResource(() => loadPagingHealth().catch(() => undefined), `banner:${path}`);
  if (data === undefined || data.problems.length === 0 || path.startsWith('/paging-health')) return null;
  const count = data.problems.length;
  return (
    <p className="warning" data-testid="paging-health-banner">
      {count === 1 ? '1 problem' : `${count} problems`} could stop a page from reaching someone.{' '}
      <Link href="/paging-health">See paging health</Link>
    </p>
  );
}
