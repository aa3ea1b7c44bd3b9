import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { Loading, ProblemMessage, Time, useResource } from '../components';
import { NoiseControlLinks } from '../noise-control-links';
import { useLocation } from '../router';

export interface Matcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: string;
  endsAt: string;
  createdBy: string;
  comment: string;
  state: 'pending' | 'active' | 'expired';
}

const OPERATORS: Record<string, Pick<Matcher, 'isRegex' | 'isEqual'>> = {
  '=': { isRegex: false, isEqual: true },
  '!=': { isRegex: false, isEqual: false },
  '=~': { isRegex: true, isEqual: true },
  '!~': { isRegex: true, isEqual: false },
};

export const operatorOf = (m: Matcher) => (m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=');
export const formatMatchers = (matchers: Matcher[]) =>
  matchers.map((m) => `${m.name}${operatorOf(m)}"${m.value}"`).join(', ');

/** Matchers one a line, `name=value`, `name!=value`, `name=~regex`, `name!~regex`. */
export function parseLines(text: string): Matcher[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const found = /^([^=!~\s]+)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(line);
      if (found === null) throw new Error(`Not a matcher: ${line}`);
      return {
        name: found[1] as string,
        value: found[3] as string,
        ...(OPERATORS[found[2] as string] ?? OPERATORS['=']),
      } as Matcher;
    });
}

function prefilled(query: URLSearchParams): string {
  try {
    const matchers = JSON.parse(query.get('matchers') ?? '[]') as Matcher[];
    return matchers.map((m) => `${m.name}${operatorOf(m)}${m.value}`).join('\n');
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
        matchers: parseLines(matchers),
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
          <label>
            Matchers (one a line: <code>name=value</code>, <code>!=</code>, <code>=~</code>, <code>!~</code>)
            <textarea value={matchers} onChange={(event) => setMatchers(event.target.value)} rows={4} required />
          </label>
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
      {data === undefined ? (
        error === null && <Loading />
      ) : (
        <table>
          <thead>
            <tr>
              <th>State</th>
              <th>Matchers</th>
              <th>Ends</th>
              <th>By</th>
              <th>Comment</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.silences.map((silence) => (
              <tr key={silence.id} id={silence.id}>
                <td>{silence.state}</td>
                <td>
                  <code>{formatMatchers(silence.matchers)}</code>
                </td>
                <td>
                  <Time value={silence.endsAt} />
                </td>
                <td>{silence.createdBy}</td>
                <td>{silence.comment}</td>
                <td>
                  {me.isPlatformAdmin && silence.state !== 'expired' && (
                    <button type="button" className="secondary small" onClick={() => void expire(silence.id)}>
                      Expire
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
