import { api } from '../api';
import type { ResponseOf } from '../api-types';
import { Loading, ProblemMessage, Time, useResource } from '../components';
import { Link } from '../router';

type Trace = ResponseOf<'/api/alerts/{id}/trace'>;

/** The alert's trace (GET /api/alerts/:id/trace): every decision, in order, with the ids involved. */
export function AlertTrace({ id }: { id: string }) {
  const { data, error } = useResource(() => api<Trace>('GET', `/api/alerts/${id}/trace`), id, { topics: ['alerts'] });
  return (
    <div className="card">
      <h2>Why was (or wasn't) anyone paged?</h2>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : (
        <ol className="timeline" data-testid="alert-trace">
          {data.entries.map((entry) => (
            <li key={`${entry.at}-${entry.kind}-${entry.message}`}>
              <strong>{entry.kind.replaceAll('_', ' ')}</strong> {entry.message}{' '}
              {typeof entry.refs.silenceId === 'string' && <Link href="/silences">silence {entry.refs.silenceId}</Link>}
              <Time value={entry.at} />
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}

/** "Silence alerts like this": the silence form, prefilled with the alert's labels. */
export function silenceLikeHref(labels: Record<string, string>): string {
  const matchers = Object.entries(labels).map(([name, value]) => ({ name, value, isRegex: false, isEqual: true }));
  return `/silences?matchers=${encodeURIComponent(JSON.stringify(matchers))}`;
}
