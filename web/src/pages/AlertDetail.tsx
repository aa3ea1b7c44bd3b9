import { type AlertWithHistory, api, type Me } from '../api';
import { Badge, CodeBlock, Loading, ProblemMessage, STATUS_TONE, Time, useResource } from '../components';
import { formatBytes, formatJsonText } from '../payload-text';
import { Link } from '../router';
import { TriageHeader } from '../triage-header';
import { AlertTrace, silenceLikeHref } from './AlertTrace';

const INCIDENT_TONE: Record<string, string> = { triggered: 'red', acknowledged: 'yellow', resolved: 'green' };

const KIND_LABEL: Record<string, string> = {
  created: 'Created',
  deduplicated: 'Fired again (deduplicated)',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/** The routing dry-run, filled in with this alert, to see why no rule sent it to a team. */
function dryRunHref(alert: AlertWithHistory): string {
  const query = new URLSearchParams({
    integrationId: alert.integrationId,
    title: alert.title,
    severity: alert.severity,
    source: alert.source ?? '',
    labels: Object.entries(alert.labels)
      .map(([name, value]) => `${name}=${value}`)
      .join('\n'),
  });
  return `/routing?${query}`;
}

function Teams({ alert, me }: { alert: AlertWithHistory; me: Me }) {
  if (alert.teamIds.length === 0) {
    return (
      <>
        <Badge tone="orange">reached no team</Badge> No routing rule sent it to a team, so it paged no one.{' '}
        {me.isPlatformAdmin ? (
          <Link href={dryRunHref(alert)}>Try it in the routing dry-run</Link>
        ) : (
          'Ask an admin to check the routing rules.'
        )}
      </>
    );
  }
  const hidden = alert.teamIds.length - alert.teams.length;
  return (
    <>
      {alert.teams.map((team, index) => (
        <span key={team.id}>
          {index > 0 && ', '}
          <Link href={`/teams/${team.id}`}>{team.name}</Link>
        </span>
      ))}
      {hidden > 0 &&
        `${alert.teams.length > 0 ? ' and ' : ''}${hidden === 1 ? 'another team' : `${hidden} other teams`}`}
    </>
  );
}

export function AlertDetailPage({ id, me }: { id: string; me: Me }) {
  const {
    data: alert,
    error,
    reload,
  } = useResource(() => api<AlertWithHistory>('GET', `/api/alerts/${id}`), id, {
    topics: ['alerts'],
  });

  return (
    <section aria-labelledby="alert-title">
      <p>
        <Link href="/alerts">← Alerts</Link>
      </p>
      <ProblemMessage error={error} />
      {alert === undefined ? (
        error === null && <Loading />
      ) : (
        <>
          <TriageHeader
            titleId="alert-title"
            title={alert.title}
            status={alert.status}
            statusTone={STATUS_TONE[alert.status] ?? 'grey'}
            statusTestId="alert-status"
            severity={alert.severity}
            canAcknowledge={alert.status === 'firing'}
            canResolve={alert.status !== 'resolved'}
            resourcePath={`/api/alerts/${id}`}
            onChanged={reload}
          />
          <div className="grid-2">
            <div className="card">
              <h2>Details</h2>
              {alert.description !== null && <p className="description">{alert.description}</p>}
              <dl className="facts">
                <dt>Team</dt>
                <dd>
                  <Teams alert={alert} me={me} />
                </dd>
                <dt>Incident</dt>
                <dd>
                  {alert.incidents.length === 0
                    ? 'none'
                    : alert.incidents.map((incident, index) => (
                        <span key={incident.id}>
                          {index > 0 && ', '}
                          <Link href={`/incidents/${incident.id}`}>{`#${incident.number} ${incident.title}`}</Link>{' '}
                          <Badge tone={INCIDENT_TONE[incident.status] ?? 'grey'}>{incident.status}</Badge>
                        </span>
                      ))}
                </dd>
                <dt>Integration</dt>
                <dd>
                  {me.isPlatformAdmin ? (
                    <Link href={`/integrations/${alert.integrationId}`}>{alert.integrationName}</Link>
                  ) : (
                    alert.integrationName
                  )}
                </dd>
                <dt>Source</dt>
                <dd>{alert.source ?? '—'}</dd>
                <dt>Dedup key</dt>
                <dd>
                  <code>{alert.dedupKey}</code>
                </dd>
                <dt>Occurrences</dt>
                <dd>{alert.occurrenceCount}</dd>
                <dt>First seen</dt>
                <dd>
                  <Time value={alert.firstSeenAt} />
                </dd>
                <dt>Last seen</dt>
                <dd>
                  <Time value={alert.lastSeenAt} />
                </dd>
                <dt>Acknowledged</dt>
                <dd>
                  <Time value={alert.acknowledgedAt} />
                </dd>
                <dt>Resolved</dt>
                <dd>
                  <Time value={alert.resolvedAt} />
                </dd>
              </dl>
              {Object.keys(alert.labels).length > 0 && (
                <>
                  <h3>Labels</h3>
                  <ul className="labels">
                    {Object.entries(alert.labels).map(([name, value]) => (
                      <li key={name} className="chip">
                        {name}={value}
                      </li>
                    ))}
                  </ul>
                  <p>
                    <Link href={silenceLikeHref(alert.labels)}>Silence alerts like this</Link>
                  </p>
                </>
              )}
              {alert.links.length > 0 && (
                <>
                  <h3>Links</h3>
                  <ul>
                    {alert.links.map((link) => (
                      <li key={link.href}>
                        <a href={link.href} rel="noopener noreferrer" target="_blank">
                          {link.text ?? link.href}
                        </a>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
            <div className="card">
              <h2>Timeline</h2>
              <ol className="timeline">
                {alert.occurrences.map((occurrence) => (
                  <li key={occurrence.id}>
                    <strong>{KIND_LABEL[occurrence.kind] ?? occurrence.kind}</strong>
                    <Time value={occurrence.occurredAt} />
                  </li>
                ))}
              </ol>
            </div>
          </div>
          <AlertTrace id={id} />
          <div className="card">
            <h2>Payload</h2>
            {alert.payload === null ? (
              <p className="muted">
                No payload was kept for this alert (deliveries older than the retention period are pruned).
              </p>
            ) : (
              <>
                <p className="help">
                  The body of the latest request that touched this alert, received{' '}
                  <Time value={alert.payload.receivedAt} />.
                </p>
                <CodeBlock label="Payload" className="code small-text">
                  {formatJsonText(alert.payload.text)}
                </CodeBlock>
                {alert.payload.truncatedFrom !== null && (
                  <p className="help">
                    Only the first part is kept: the body was {formatBytes(alert.payload.truncatedFrom)}.
                  </p>
                )}
              </>
            )}
          </div>
        </>
      )}
    </section>
  );
}
