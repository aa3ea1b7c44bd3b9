import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { ProblemMessage, Time, useResource } from '../components';
import { DataTable } from '../data-table';
import { MatcherLinesField, parseMatcherLines } from '../matcher-lines';
import type { MaintenanceWindow } from '../noise-control-api';
import { NoiseControlLinks } from '../noise-control-links';

const DAY_NAMES = ['', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** Maintenance windows: list, plan a one-off window, delete. Planning is for admins (docs/noise-control.md). */
export function MaintenanceWindowsPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(
    () => api<{ windows: MaintenanceWindow[] }>('GET', '/api/maintenance-windows'),
    'maintenance-windows',
  );
  const [name, setName] = useState('');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState('');
  const [matchers, setMatchers] = useState('');
  const [openIncidentsOnEnd, setOpenIncidentsOnEnd] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);

  async function run(action: () => Promise<unknown>) {
    setActionError(null);
    try {
      await action();
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () =>
      api('POST', '/api/maintenance-windows', {
        name,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        matchers: parseMatcherLines(matchers),
        openIncidentsOnEnd,
      }),
    );
  }

  return (
    <section aria-labelledby="maintenance-title">
      <h1 id="maintenance-title">Maintenance windows</h1>
      <NoiseControlLinks me={me} />
      <ProblemMessage error={error ?? actionError} />
      {me.isPlatformAdmin && (
        <form className="card" onSubmit={create}>
          <h2>Plan a window</h2>
          <label>
            Name
            <input value={name} onChange={(event) => setName(event.target.value)} required />
          </label>
          <label>
            Starts
            <input
              type="datetime-local"
              value={startsAt}
              onChange={(event) => setStartsAt(event.target.value)}
              required
            />
          </label>
          <label>
            Ends
            <input type="datetime-local" value={endsAt} onChange={(event) => setEndsAt(event.target.value)} required />
          </label>
          <MatcherLinesField
            label="Only alerts matching (empty: every alert)"
            value={matchers}
            onChange={setMatchers}
            rows={2}
          />
          <label>
            <input
              type="checkbox"
              checked={openIncidentsOnEnd}
              onChange={(event) => setOpenIncidentsOnEnd(event.target.checked)}
            />{' '}
            When it ends, alerts still firing open incidents
          </label>
          <button type="submit">Plan window</button>
        </form>
      )}
      <DataTable
        label="Maintenance windows"
        rows={data?.windows}
        loadError={error}
        columns={[
          { header: 'Name', cell: (window) => window.name },
          {
            header: 'When',
            cell: (window) =>
              window.recurrence === null ? (
                <>
                  <Time value={window.startsAt} /> – <Time value={window.endsAt} />
                </>
              ) : (
                `${window.recurrence.days.map((day) => DAY_NAMES[day]).join(', ')} ${window.recurrence.startTime} for ${window.recurrence.durationMinutes} min (${window.recurrence.timeZone})`
              ),
          },
          { header: 'Now', cell: (window) => (window.inProgress === null ? '—' : 'in progress') },
          {
            header: 'Scope',
            cell: (window) => (
              <>
                {window.integrationIds.length} integration(s), {window.teamIds.length} team(s), {window.matchers.length}{' '}
                matcher(s)
              </>
            ),
          },
        ]}
        actions={(window) =>
          me.isPlatformAdmin && (
            <button
              type="button"
              className="secondary small"
              onClick={() => void run(() => api('DELETE', `/api/maintenance-windows/${window.id}`))}
            >
              Delete
            </button>
          )
        }
      />
    </section>
  );
}
