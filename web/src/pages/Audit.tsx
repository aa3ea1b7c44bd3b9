import { type FormEvent, useState } from 'react';
import { type AuditEntry, api } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, TableWrap, Time, useAction, useResource } from '../components';

const SEVERITY_TONE: Record<string, string> = {
  INFO: 'grey',
  LOW: 'blue',
  MEDIUM: 'yellow',
  HIGH: 'orange',
  CRITICAL: 'red',
};

export function AuditPage() {
  const [draft, setDraft] = useState({ action: '', resourceType: '', resourceId: '', userId: '' });
  const [filters, setFilters] = useState(draft);
  const [more, setMore] = useState<{ entries: AuditEntry[]; nextCursor: string | null } | null>(null);
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  query.set('limit', '50');
  const key = query.toString();
  const { data, error } = useResource(
    () => api<{ entries: AuditEntry[]; nextCursor: string | null }>('GET', `/api/audit-logs?${key}`),
    key,
  );
  const loadMore = useAction();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setMore(null);
    setFilters({ ...draft });
  };
  const nextCursor = more?.nextCursor ?? data?.nextCursor ?? null;
  const entries = [...(data?.entries ?? []), ...(more?.entries ?? [])];
  const fetchMore = async () => {
    if (nextCursor === null) return;
    const page = await loadMore.run(() =>
      api<{ entries: AuditEntry[]; nextCursor: string | null }>(
        'GET',
        `/api/audit-logs?${key}&cursor=${encodeURIComponent(nextCursor)}`,
      ),
    );
    if (page !== undefined)
      setMore({ entries: [...(more?.entries ?? []), ...page.entries], nextCursor: page.nextCursor });
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        {(
          [
            ['action', 'Action', 'e.g. integration.created'],
            ['resourceType', 'Resource type', 'e.g. integration'],
            ['resourceId', 'Resource id', ''],
            ['userId', 'User id', ''],
          ] as const
        ).map(([name, label, placeholder]) => (
          <div key={name}>
            <label htmlFor={`audit-${name}`}>{label}</label>
            <input
              id={`audit-${name}`}
              placeholder={placeholder}
              value={draft[name]}
              onChange={(event) => setDraft({ ...draft, [name]: event.target.value.trim() })}
            />
          </div>
        ))}
        <div className="filter-submit">
          <button type="submit">Apply filters</button>
        </div>
      </form>
      <ProblemMessage error={error ?? loadMore.error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : entries.length === 0 ? (
        <EmptyState title="No audit entries match these filters">
          <p>
            Every sign-in and every change made in Klaxon is recorded here. Clear or shorten a filter above (an action
            such as <code>integration.created</code>, or a resource type such as <code>integration</code>), then press
            “Apply filters”.
          </p>
        </EmptyState>
      ) : (
        <>
          <TableWrap label="Audit log entries">
            <table>
              <caption className="visually-hidden">Audit entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col">When</th>
                  <th scope="col">Action</th>
                  <th scope="col">Severity</th>
                  <th scope="col">Resource</th>
                  <th scope="col">By</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((entry) => (
                  <tr key={entry.id}>
                    <td>
                      <Time value={entry.createdAt} />
                    </td>
                    <td>
                      <code>{entry.action}</code>
                    </td>
                    <td>
                      <Badge tone={SEVERITY_TONE[entry.severity] ?? 'grey'}>{entry.severity}</Badge>
                    </td>
                    <td>
                      {entry.resourceType}
                      {entry.resourceId !== null && <div className="muted mono small-text">{entry.resourceId}</div>}
                    </td>
                    <td className="mono small-text">{entry.userId ?? 'system'}</td>
                    <td className="mono small-text metadata">{JSON.stringify(entry.metadata)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableWrap>
          {nextCursor !== null && (
            <button type="button" className="secondary" onClick={fetchMore} disabled={loadMore.busy}>
              Load older entries
            </button>
          )}
        </>
      )}
    </section>
  );
}
