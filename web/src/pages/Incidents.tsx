import { api } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, SEVERITY_TONE, TableWrap, Time, useResource } from '../components';
import { INCIDENT_STATUS_TONE, INCIDENT_STATUSES, type Incident } from '../paging-api';
import { Link, navigate, useLocation } from '../router';
import { loadTeams } from '../teams-api';

const FILTERS = ['status', 'teamId'] as const;

export function IncidentsPage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const teamId = query.get('teamId') ?? '';
  const search = new URLSearchParams(Object.entries({ status, teamId }).filter(([, value]) => value !== ''));
  const filtered = search.size > 0;
  search.set('limit', '100');
  const key = search.toString();
  const { data, error } = useResource(() => api<{ incidents: Incident[] }>('GET', `/api/incidents?${key}`), key, {
    topics: ['incidents'],
  });
  const teams = useResource(loadTeams, 'teams');
  const teamName = new Map((teams.data ?? []).map((team) => [team.id, team.name]));

  const setFilter = (name: (typeof FILTERS)[number], value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value === '') next.delete(name);
    else next.set(name, value);
    const qs = next.toString();
    navigate(qs ? `/incidents?${qs}` : '/incidents', { replace: true });
  };

  return (
    <section aria-labelledby="incidents-title">
      <h1 id="incidents-title">Incidents</h1>
      <form className="filters" aria-label="Filter incidents" onSubmit={(event) => event.preventDefault()}>
        <div>
          <label htmlFor="incident-status">Status</label>
          <select id="incident-status" value={status} onChange={(event) => setFilter('status', event.target.value)}>
            <option value="">any</option>
            {INCIDENT_STATUSES.map((value) => (
              <option key={value}>{value}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="incident-team">Team</label>
          <select id="incident-team" value={teamId} onChange={(event) => setFilter('teamId', event.target.value)}>
            <option value="">any</option>
            {(teams.data ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <p className="help">New incidents and changes appear as they happen.</p>
      <ProblemMessage error={error ?? teams.error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.incidents.length === 0 ? (
        <EmptyState title={filtered ? 'No incidents match these filters' : 'No incidents yet'}>
          {filtered && (
            <p>
              Change a filter above, or <Link href="/incidents">show all incidents</Link>.
            </p>
          )}
          <p>
            An incident opens when a new alert is routed to a team. Give your team an{' '}
            <Link href="/escalation-policies">escalation policy</Link> and an{' '}
            <Link href="/schedules">on-call schedule</Link> so the right person is paged, and set your{' '}
            <Link href="/profile">contact methods</Link>.
          </p>
        </EmptyState>
      ) : (
        <TableWrap label="Incidents">
          <table>
            <caption className="visually-hidden">Incidents, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Incident</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
                <th scope="col">Team</th>
                <th scope="col" className="num">
                  Alerts
                </th>
                <th scope="col">Opened</th>
              </tr>
            </thead>
            <tbody>
              {data.incidents.map((incident) => (
                <tr key={incident.id} data-testid="incident-row">
                  <td>
                    <Link href={`/incidents/${incident.id}`}>{`#${incident.number} ${incident.title}`}</Link>
                  </td>
                  <td>
                    <Badge tone={INCIDENT_STATUS_TONE[incident.status]}>
                      <span data-testid="incident-status">{incident.status}</span>
                    </Badge>
                  </td>
                  <td>
                    <Badge tone={SEVERITY_TONE[incident.severity] ?? 'grey'}>{incident.severity}</Badge>
                  </td>
                  <td>{teamName.get(incident.teamId) ?? <span className="muted">—</span>}</td>
                  <td className="num">{incident.alertCount}</td>
                  <td>
                    <Time value={incident.createdAt} />
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
