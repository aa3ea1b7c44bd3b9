import { type AlertWithHistory, api } from '../api';
import { Loading, ProblemMessage, STATUS_TONE, Time, useResource } from '../components';
import { Link } from '../router';
import { TriageHeader } from '../triage-header';
import { AlertTrace, silenceLikeHref } from './AlertTrace';

const KIND_LABEL: Record<string, string> = {
  created: 'Created',
  deduplicated: 'Fired again (deduplicated)',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

export function AlertDetailPage({ id }: { id: string }) {
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
                <dt>Integration</dt>
                <dd>
                  <Link href={`/integrations/${alert.integrationId}`}>{alert.integrationName}</Link>
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
        </>
      )}
    </section>
  );
}
