import { ALERT_SEVERITIES, ALERT_STATUSES, type Alert, api, type Integration, type Me } from '../api';
import {
  Badge,
  EmptyState,
  Loading,
  ProblemMessage,
  SEVERITY_TONE,
  STATUS_TONE,
  TableWrap,
  Time,
  useResource,
} from '../components';
import { Link, navigate, useLocation } from '../router';
import { loadTeams } from '../teams-api';

const FILTERS = ['status', 'severity', 'integrationId', 'teamId'] as const;

/** The team names of an alert, as far as the viewer knows them; "reached no team" when routing sent it nowhere. */
function AlertTeams({ alert, names }: { alert: Alert; names: Map<string, string> }) {
  if (alert.teamIds.length === 0) return <Badge tone="orange">reached no team</Badge>;
  return <>{alert.teamIds.map((id) => names.get(id) ?? 'another team').join(', ')}</>;
}

export function AlertsPage({ me }: { me: Me }) {
  const { query } = useLocation();
  const filters = Object.fromEntries(FILTERS.map((name) => [name, query.get(name) ?? ''])) as Record<
    (typeof FILTERS)[number],
    string
  >;
  const search = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  search.set('limit', '100');
  const key = search.toString();
  const { data, error } = useResource(() => api<{ alerts: Alert[] }>('GET', `/api/alerts?${key}`), key, {
    topics: ['alerts'],
  });
  // Integrations are an admin's business; members filter by their teams.
  const integrations = useResource(
    () =>
      me.isPlatformAdmin
        ? api<{ integrations: Integration[] }>('GET', '/api/integrations')
        : Promise.resolve({ integrations: [] }),
    me.isPlatformAdmin ? 'all' : 'none',
  );
  const teams = useResource(loadTeams, 'teams');
  const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]));

  const setFilter = (name: string, value: string) => {
    const next = new URLSearchParams(window.location.search);
    if (value === '') next.delete(name);
    else next.set(name, value);
    const qs = next.toString();
    navigate(qs ? `/alerts?${qs}` : '/alerts', { replace: true });
  };

  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Alerts</h1>
      <form className="filters" aria-label="Filter alerts" onSubmit={(event) => event.preventDefault()}>
        <div>
          <label htmlFor="filter-status">Status</label>
          <select
            id="filter-status"
            value={filters.status}
            onChange={(event) => setFilter('status', event.target.value)}
          >
            <option value="">any</option>
            {ALERT_STATUSES.map((status) => (
              <option key={status}>{status}</option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="filter-severity">Severity</label>
          <select
            id="filter-severity"
            value={filters.severity}
            onChange={(event) => setFilter('severity', event.target.value)}
          >
            <option value="">any</option>
            {ALERT_SEVERITIES.map((severity) => (
              <option key={severity}>{severity}</option>
            ))}
          </select>
        </div>
        {me.isPlatformAdmin && (
          <div>
            <label htmlFor="filter-integration">Integration</label>
            <select
              id="filter-integration"
              value={filters.integrationId}
              onChange={(event) => setFilter('integrationId', event.target.value)}
            >
              <option value="">any</option>
              {(integrations.data?.integrations ?? []).map((integration) => (
                <option key={integration.id} value={integration.id}>
                  {integration.name}
                </option>
              ))}
            </select>
          </div>
        )}
        <div>
          <label htmlFor="filter-team">Team</label>
          <select id="filter-team" value={filters.teamId} onChange={(event) => setFilter('teamId', event.target.value)}>
            <option value="">any</option>
            {(teams.data ?? []).map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
      </form>
      <p className="help">
        {me.isPlatformAdmin ? 'Every alert' : 'Alerts routed to your teams'}; new ones appear as they arrive.
      </p>
      <ProblemMessage error={error ?? integrations.error ?? teams.error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.alerts.length === 0 ? (
        search.size > 1 ? (
          <EmptyState title="No alerts match these filters">
            <p>
              Change a filter above, or <Link href="/alerts">show all alerts</Link>.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="No alerts yet">
            <p>
              {me.isPlatformAdmin ? (
                <>
                  Alerts arrive from your <Link href="/integrations">integrations</Link>. Open one and press “Send test
                  alert” to see one here.
                </>
              ) : (
                'Alerts that routing sends to your teams appear here.'
              )}
            </p>
          </EmptyState>
        )
      ) : (
        <TableWrap label="Alerts">
          <table>
            <caption className="visually-hidden">Alerts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Status</th>
                <th scope="col">Severity</th>
                <th scope="col">Team</th>
                <th scope="col">Integration</th>
                <th scope="col" className="num">
                  Count
                </th>
                <th scope="col">Last seen</th>
              </tr>
            </thead>
            <tbody>
              {data.alerts.map((alert) => (
                <tr key={alert.id} data-testid="alert-row">
                  <td>
                    <Link href={`/alerts/${alert.id}`}>{alert.title}</Link>
                    {alert.source !== null && <div className="muted small-text">{alert.source}</div>}
                  </td>
                  <td>
                    <Badge tone={STATUS_TONE[alert.status] ?? 'grey'}>{alert.status}</Badge>
                  </td>
                  <td>
                    <Badge tone={SEVERITY_TONE[alert.severity] ?? 'grey'}>{alert.severity}</Badge>
                  </td>
                  <td>
                    <AlertTeams alert={alert} names={teamNames} />
                  </td>
                  <td>{alert.integrationName}</td>
                  <td className="num">{alert.occurrenceCount}</td>
                  <td>
                    <Time value={alert.lastSeenAt} />
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
