import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { ProblemMessage, Time, useResource } from '../components';
import { DataTable } from '../data-table';
import { formatMatchers, type Matcher, MatcherLinesField, matcherLines, parseMatcherLines } from '../matcher-lines';
import type { Silence } from '../noise-control-api';
import { NoiseControlLinks } from '../noise-control-links';
import { useLocation } from '../router';

function prefilled(query: URLSearchParams): string {
  try {
    return matcherLines(JSON.parse(query.get('matchers') ?? '[]') as Matcher[]);
  } catch {
    return '';
  }
}

/** Silences: list, create (prefilled from "Silence alerts like this"), expire. Changing them is for admins. */
export function SilencesPage({ me }: { me: Me }) {
  const { query } = useLocation();
  const { data, error, reload } = useResource(() => api<{ silences: Silence[] }>('GET', '/api/silences'), 'silences');
  const [matchers, setMatchers] = useState(() => prefilled(query));
  const [duration, setDuration] = useState('120');
  const [comment, setComment] = useState('');
  const [actionError, setActionError] = useState<unknown>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    setActionError(null);
    try {
      await api('POST', '/api/silences', {
        matchers: parseMatcherLines(matchers),
        durationMinutes: Number(duration),
        comment,
      });
      setComment('');
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  async function expire(id: string) {
    setActionError(null);
    try {
      await api('POST', `/api/silences/${id}/expire`);
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  return (
    <section aria-labelledby="silences-title">
      <h1 id="silences-title">Silences</h1>
      <NoiseControlLinks me={me} />
      <ProblemMessage error={error ?? actionError} />
      {me.isPlatformAdmin && (
        <form className="card" onSubmit={create}>
          <h2>New silence</h2>
          <MatcherLinesField label="Matchers" value={matchers} onChange={setMatchers} rows={4} required />
          <label>
            Duration (minutes)
            <input type="number" min={1} value={duration} onChange={(event) => setDuration(event.target.value)} />
          </label>
          <label>
            Comment
            <input value={comment} onChange={(event) => setComment(event.target.value)} required />
          </label>
          <button type="submit">Create silence</button>
        </form>
      )}
      <DataTable
        label="Silences"
        rows={data?.silences}
        loadError={error}
        rowProps={(silence) => ({ id: silence.id })}
        columns={[
          { header: 'State', cell: (silence) => silence.state },
          { header: 'Matchers', cell: (silence) => <code>{formatMatchers(silence.matchers)}</code> },
          { header: 'Ends', cell: (silence) => <Time value={silence.endsAt} /> },
          { header: 'By', cell: (silence) => silence.createdBy },
          { header: 'Comment', cell: (silence) => silence.comment },
        ]}
        actions={(silence) =>
          me.isPlatformAdmin &&
          silence.state !== 'expired' && (
            <button type="button" className="secondary small" onClick={() => void expire(silence.id)}>
              Expire
            </button>
          )
        }
      />
    </section>
  );
}
