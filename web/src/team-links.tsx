import { api } from './api';
import { Loading, ProblemMessage, useResource } from './components';
import type { EscalationPolicy, Schedule } from './paging-api';
import { Link } from './router';
import type { RoutingRule } from './routing-api';

/**
 * Where a team's paging is configured: its schedules, its escalation policies and (for platform
 * admins, who alone may read routing) the rules that send alerts to it, each a link to its page.
 */
export function TeamLinks({ teamId, admin }: { teamId: string; admin: boolean }) {
  const config = useResource(async () => {
    const [schedules, policies, rules] = await Promise.all([
      api<{ schedules: Schedule[] }>('GET', `/api/schedules?teamId=${teamId}`),
      api<{ policies: EscalationPolicy[] }>('GET', `/api/escalation-policies?teamId=${teamId}`),
      admin ? api<{ rules: RoutingRule[] }>('GET', '/api/routing-rules') : Promise.resolve({ rules: [] }),
    ]);
    return {
      schedules: schedules.schedules,
      policies: policies.policies,
      rules: rules.rules.filter((rule) => rule.teamId === teamId),
    };
  }, `${teamId}:${admin}`);
  if (config.data === undefined) {
    return (
      <section className="card" aria-labelledby="team-links-title">
        <h2 id="team-links-title">Paging set-up</h2>
        <ProblemMessage error={config.error} />
        {config.error === null && <Loading />}
      </section>
    );
  }
  const { schedules, policies, rules } = config.data;
  return (
    <section className="card" aria-labelledby="team-links-title">
      <h2 id="team-links-title">Paging set-up</h2>
      <div className="team-links">
        <div>
          <h3>
            <Link href="/schedules">Schedules</Link>
          </h3>
          {schedules.length === 0 ? (
            <p className="muted">None yet: nobody is on call for this team.</p>
          ) : (
            <ul className="team-links-list">
              {schedules.map((schedule) => (
                <li key={schedule.id}>
                  <Link href={`/schedules/${schedule.id}`}>{schedule.name}</Link>
                </li>
              ))}
            </ul>
          )}
        </div>
        <div>
          <h3>
            <Link href={`/escalation-policies?teamId=${teamId}`}>Escalation policies</Link>
          </h3>
          {policies.length === 0 ? (
            <p className="muted">None yet: incidents of this team page no one.</p>
          ) : (
            <ul className="team-links-list">
              {policies.map((policy) => (
                <li key={policy.id}>
                  <Link href={`/escalation-policies?teamId=${teamId}`}>{policy.name}</Link>
                  {policy.isDefault && ' (default)'}
                </li>
              ))}
            </ul>
          )}
        </div>
        {admin && (
          <div>
            <h3>
              <Link href="/routing">Routing rules</Link>
            </h3>
            {rules.length === 0 ? (
              <p className="muted">No rule sends alerts here; only integrations defaulting to it do.</p>
            ) : (
              <ul className="team-links-list">
                {rules.map((rule) => (
                  <li key={rule.id}>
                    <Link href="/routing">
                      {rule.position}. {rule.name}
                    </Link>
                  </li>
                ))}
              </ul>
            )}
          </div>
        )}
      </div>
    </section>
  );
}
