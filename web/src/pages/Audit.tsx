import { type FormEvent, useState } from 'react';
import { type AuditEntry, type AuditFilterChoices, type AuditLogPage, api } from '../api';
import { auditLines, formatValue } from '../audit-diff';
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
  const [more, setMore] = useState<AuditLogPage | null>(null);
  const choices = useResource(() => api<AuditFilterChoices>('GET', '/api/audit-logs/filters'), '');
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  query.set('limit', '50');
  const key = query.toString();
  const { data, error } = useResource(() => api<AuditLogPage>('GET', `/api/audit-logs?${key}`), key);
  const loadMore = useAction();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setMore(null);
    setFilters({ ...draft });
  };
  const nextCursor = more?.nextCursor ?? data?.nextCursor ?? null;
  const entries = [...(data?.entries ?? []), ...(more?.entries ?? [])];
  const names = { ...data?.names, ...more?.names };
  const options = choices.data ?? { actions: [], resourceTypes: [], actors: [] };
  const select = (name: 'action' | 'resourceType' | 'userId', label: string, values: Array<[string, string]>) => (
    <div key={name}>
      <label htmlFor={`audit-${name}`}>{label}</label>
      <select
        id={`audit-${name}`}
        value={draft[name]}
        onChange={(event) => setDraft({ ...draft, [name]: event.target.value })}
      >
        <option value="">any</option>
        {values.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
  const fetchMore = async () => {
    if (nextCursor === null) return;
    const page = await loadMore.run(() =>
      api<AuditLogPage>('GET', `/api/audit-logs?${key}&cursor=${encodeURIComponent(nextCursor)}`),
    );
    if (page !== undefined) {
      setMore({
        entries: [...(more?.entries ?? []), ...page.entries],
        nextCursor: page.nextCursor,
        names: { ...more?.names, ...page.names },
      });
    }
  };

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={apply} aria-label="Filter the audit log">
        {select(
          'action',
          'Action',
          options.actions.map((action) => [action, action]),
        )}
        {select(
          'resourceType',
          'Resource type',
          options.resourceTypes.map((type) => [type, type]),
        )}
        {select(
          'userId',
          'By',
          options.actors.map((actor) => [actor.id, actor.name ? `${actor.name} <${actor.email}>` : actor.email]),
        )}
        <div>
          <label htmlFor="audit-resourceId">Resource id</label>
          <input
            id="audit-resourceId"
            value={draft.resourceId}
            onChange={(event) => setDraft({ ...draft, resourceId: event.target.value.trim() })}
          />
        </div>
        <div className="filter-submit">
          <button type="submit">Apply filters</button>
        </div>
      </form>
      <ProblemMessage error={error ?? loadMore.error ?? choices.error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : entries.length === 0 ? (
        <EmptyState title="No audit entries match these filters">
          <p>
            Every sign-in and every change made in Klaxon is recorded here. Set a filter above back to “any”, then press
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
                  <th scope="col">Change</th>
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
                      {entry.resourceId !== null && <div className="small-text">{resourceName(entry, names)}</div>}
                    </td>
                    <td>{entry.userId === null ? 'system' : formatValue(entry.userId, names)}</td>
                    <td className="small-text">
                      <AuditChange entry={entry} names={names} />
                    </td>
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

/** The resource by its current name, else the name it had when the entry was written, else its id. */
function resourceName(entry: AuditEntry, names: Record<string, string>): string {
  const id = entry.resourceId ?? '';
  const recorded = typeof entry.metadata.name === 'string' ? entry.metadata.name : undefined;
  return names[id.toLowerCase()] ?? recorded ?? id;
}

function AuditChange({ entry, names }: { entry: AuditEntry; names: Record<string, string> }) {
  const lines = auditLines(entry.action, entry.metadata, names);
  if (lines.length === 0) return <span className="muted">—</span>;
  return (
    <ul className="audit-change">
      {lines.map((line, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one entry never reorder
        <li key={index}>
          <span className="muted">{line.label}:</span>{' '}
          {line.before === undefined ? (
            line.after
          ) : (
            <>
              <del>{line.before}</del> → <ins>{line.after}</ins>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
