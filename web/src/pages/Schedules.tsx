import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { EmptyState, Loading, ProblemMessage, TableWrap, useAction, useResource } from '../components';
import { type OnCall, personName, type Schedule, type ScheduleDetail } from '../paging-api';
import { Link, navigate } from '../router';
import { loadTeams } from '../teams-api';

const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;

/** "Who is on call now" for one schedule, refreshed every minute and whenever `version` changes. */
export function OnCallNow({ scheduleId, version = 0 }: { scheduleId: string; version?: number }) {
  const { data, error } = useResource(
    () => api<OnCall>('GET', `/api/schedules/${scheduleId}/oncall`),
    `${scheduleId}:${version}`,
    60_000,
  );
  if (error !== null) return <ProblemMessage error={error} />;
  if (data === undefined) return <Loading />;
  if (data.oncall.length === 0) return <span className="nobody">Nobody is on call</span>;
  return (
    <span data-testid="on-call-now">
      {data.oncall.map((shift, index) => (
        <span key={`${shift.userId}:${shift.start}`}>
          {index > 0 && ', '}
          <strong>{personName(shift.user ?? undefined)}</strong>
          <span className="muted small-text">
            {' '}
            until {new Date(shift.end).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })}
            {shift.overrideId !== null && ' (override)'}
          </span>
        </span>
      ))}
    </span>
  );
}

export function SchedulesPage({ me }: { me: Me }) {
  const teams = useResource(loadTeams, 'teams');
  const schedules = useResource(
    () => api<{ schedules: Schedule[] }>('GET', '/api/schedules').then((body) => body.schedules),
    'schedules',
  );
  const all = schedules.data ?? [];
  const managed = (teams.data ?? []).filter((team) => me.isPlatformAdmin || team.role === 'manager');

  return (
    <section aria-labelledby="schedules-title">
      <h1 id="schedules-title">Schedules</h1>
      <p className="help">Who is on call for each team, now and in the coming weeks.</p>
      <ProblemMessage error={teams.error ?? schedules.error} />
      {managed.length > 0 && <CreateSchedule teams={managed} />}
      {teams.data === undefined || schedules.data === undefined ? (
        teams.error === null && schedules.error === null && <Loading />
      ) : teams.data.length === 0 ? (
        me.isPlatformAdmin ? (
          <EmptyState title="No teams yet">
            <p>
              Schedules belong to teams. <Link href="/teams">Create a team</Link> and add its members, then come back to
              give it a schedule.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="You are not in a team yet">
            <p>Schedules belong to teams. Ask a platform admin to add you to a team.</p>
          </EmptyState>
        )
      ) : (
        teams.data.map((team) => {
          const own = all.filter((schedule) => schedule.teamId === team.id);
          return (
            <section key={team.id} className="card" aria-labelledby={`team-${team.id}`}>
              <h2 id={`team-${team.id}`}>{team.name}</h2>
              {own.length === 0 ? (
                <p className="muted">
                  No schedule yet: nobody is on call for {team.name}.{' '}
                  {managed.includes(team) ? 'Create one above.' : 'Ask a team manager to create one.'}
                </p>
              ) : (
                <TableWrap label="Schedules">
                  <table>
                    <caption className="visually-hidden">Schedules of {team.name} and who is on call now</caption>
                    <thead>
                      <tr>
                        <th scope="col">Schedule</th>
                        <th scope="col">On call now</th>
                        <th scope="col">Time zone</th>
                      </tr>
                    </thead>
                    <tbody>
                      {own.map((schedule) => (
                        <tr key={schedule.id} data-testid="schedule-row">
                          <td>
                            <Link href={`/schedules/${schedule.id}`}>{schedule.name}</Link>
                          </td>
                          <td>
                            <OnCallNow scheduleId={schedule.id} />
                          </td>
                          <td>{schedule.timeZone}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </TableWrap>
              )}
            </section>
          );
        })
      )}
    </section>
  );
}

function CreateSchedule({ teams }: { teams: Array<{ id: string; name: string }> }) {
  const [open, setOpen] = useState(false);
  const [teamId, setTeamId] = useState(teams[0]?.id ?? '');
  const [name, setName] = useState('');
  const [timeZone, setTimeZone] = useState(browserTimeZone);
  const create = useAction();
  if (!open) {
    return (
      <p>
        <button type="button" onClick={() => setOpen(true)}>
          New schedule
        </button>
      </p>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await create.run(() =>
      api<ScheduleDetail>('POST', '/api/schedules', { teamId: teamId || teams[0]?.id, name, timeZone }),
    );
    if (made !== undefined) navigate(`/schedules/${made.id}`);
  };
  return (
    <form className="card" onSubmit={submit} aria-labelledby="new-schedule-title">
      <h2 id="new-schedule-title">New schedule</h2>
      <div className="form-grid">
        <div>
          <label htmlFor="schedule-team">Team</label>
          <select id="schedule-team" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="schedule-name">Name</label>
          <input id="schedule-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="schedule-zone">Time zone (IANA name)</label>
          <input
            id="schedule-zone"
            required
            value={timeZone}
            onChange={(e) => setTimeZone(e.target.value)}
            placeholder="Europe/Berlin"
          />
        </div>
      </div>
      <p className="help">Next you add a rotation (who takes turns, and how often) on the schedule’s page.</p>
      <ProblemMessage error={create.error} />
      <div className="actions">
        <button type="submit" disabled={create.busy}>
          Create schedule
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
