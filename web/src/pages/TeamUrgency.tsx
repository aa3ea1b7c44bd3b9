import { type FormEvent, useState } from 'react';
import { ALERT_SEVERITIES, api } from '../api';
import type { Item, ResponseOf } from '../api-types';
import { Loading, ProblemMessage, useAction, useResource } from '../components';

type UrgencySettings = ResponseOf<'/api/teams/{teamId}/urgency'>;
type SupportWindow = Item<UrgencySettings['windows']>;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const formatWindows = (windows: SupportWindow[]) =>
  windows.map((window) => `${DAYS[window.day]} ${window.start}-${window.end}`).join('\n');

/** Windows one a line, `Mon 09:00-17:00`. */
function parseWindows(text: string): SupportWindow[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const found = /^(\w{3})\s+(\d{2}:\d{2})\s*-\s*(\d{2}:\d{2})$/.exec(line);
      const day = DAYS.indexOf(found?.[1] ?? '');
      if (found === null || day < 0) throw new Error(`Not a window (write "Mon 09:00-17:00"): ${line}`);
      return { day, start: found[2] as string, end: found[3] as string };
    });
}

/**
 * A team's urgency map and support hours: which severities page at once, and when low-urgency
 * incidents may page. Members see them; managers and platform admins change them.
 */
export function TeamUrgencySection({ teamId, canManage }: { teamId: string; canManage: boolean }) {
  const settings = useResource(() => api<UrgencySettings>('GET', `/api/teams/${teamId}/urgency`), `urgency-${teamId}`);
  if (settings.data === undefined) {
    return (
      <section className="card" aria-labelledby="urgency-title">
        <h2 id="urgency-title">Urgency and support hours</h2>
        <ProblemMessage error={settings.error} />
        {settings.error === null && <Loading />}
      </section>
    );
  }
  return <UrgencyForm key={JSON.stringify(settings.data)} saved={settings.data} canManage={canManage} />;
}

function UrgencyForm({ saved, canManage }: { saved: UrgencySettings; canManage: boolean }) {
  const [high, setHigh] = useState(saved.highUrgencySeverities);
  const [timeZone, setTimeZone] = useState(saved.timeZone ?? '');
  const [windows, setWindows] = useState(formatWindows(saved.windows));
  const [outsideHours, setOutsideHours] = useState(saved.outsideHours);
  const [message, setMessage] = useState('');
  const action = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    setMessage('');
    const done = await action.run(() =>
      api('PUT', `/api/teams/${saved.teamId}/urgency`, {
        highUrgencySeverities: high,
        timeZone: timeZone.trim() === '' ? null : timeZone.trim(),
        windows: parseWindows(windows),
        outsideHours,
      }),
    );
    if (done !== undefined) setMessage('Saved.');
  }

  return (
    <section className="card" aria-labelledby="urgency-title">
      <h2 id="urgency-title">Urgency and support hours</h2>
      <p className="muted">
        High-urgency incidents page at once. Low-urgency incidents outside support hours wait for them to begin, or page
        nobody. Without support hours, every incident pages at once.
      </p>
      <ProblemMessage error={action.error} />
      <form onSubmit={save}>
        <fieldset disabled={!canManage}>
          <legend>High urgency severities</legend>
          {ALERT_SEVERITIES.map((severity) => (
            <label key={severity} className="checkbox">
              <input
                type="checkbox"
                checked={high.includes(severity)}
                onChange={(event) =>
                  setHigh(event.target.checked ? [...high, severity] : high.filter((item) => item !== severity))
                }
              />
              {severity}
            </label>
          ))}
        </fieldset>
        <label>
          Time zone (IANA, such as Europe/Berlin; empty: no support hours)
          <input value={timeZone} disabled={!canManage} onChange={(event) => setTimeZone(event.target.value)} />
        </label>
        <label>
          Support hours (one window a line: <code>Mon 09:00-17:00</code>)
          <textarea
            value={windows}
            disabled={!canManage}
            onChange={(event) => setWindows(event.target.value)}
            rows={5}
          />
        </label>
        <label>
          Low urgency outside support hours
          <select
            value={outsideHours}
            disabled={!canManage}
            onChange={(event) => setOutsideHours(event.target.value as UrgencySettings['outsideHours'])}
          >
            <option value="defer">page when support hours begin</option>
            <option value="never">never page</option>
          </select>
        </label>
        {canManage && (
          <button type="submit" disabled={action.busy}>
            Save urgency settings
          </button>
        )}
        <span role="status">{message}</span>
      </form>
    </section>
  );
}
