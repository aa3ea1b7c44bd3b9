/**
 * An audit entry's metadata as short lines a person reads: what changed (before → after) and
 * what it was about, with ids replaced by the names the API sent along.
 */
export interface AuditLine {
  label: string;
  before?: string;
  after: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Keys that name the change's subject rather than a change: shown, but not as a diff. */
const LABELS: Record<string, string> = { memberId: 'member', userId: 'person', teamId: 'team', ownerId: 'owner' };

export function formatValue(value: unknown, names: Record<string, string>): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'string') return UUID.test(value) ? (names[value.toLowerCase()] ?? value) : value;
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map((item) => formatValue(item, names)).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([key, item]) => `${key}: ${formatValue(item, names)}`)
      .join(', ');
  }
  return String(value);
}

const isChange = (value: unknown): value is { from: unknown; to: unknown } =>
  typeof value === 'object' && value !== null && 'from' in value && 'to' in value;

export function auditLines(action: string, metadata: Record<string, unknown>, names: Record<string, string>) {
  const lines: AuditLine[] = [];
  const show = (value: unknown) => formatValue(value, names);
  const rest = { ...metadata };
  // `changes: {field: {from, to}}`: an update of several fields.
  if (typeof rest.changes === 'object' && rest.changes !== null) {
    for (const [field, change] of Object.entries(rest.changes)) {
      if (isChange(change)) lines.push({ label: field, before: show(change.from), after: show(change.to) });
    }
    delete rest.changes;
  }
  // `{from, to}`: one value changed; the action says which (a role, an assignee).
  if ('from' in rest && 'to' in rest) {
    lines.push({
      label: action.endsWith('role_changed') ? 'role' : 'value',
      before: show(rest.from),
      after: show(rest.to),
    });
    delete rest.from;
    delete rest.to;
  }
  // `{before, after}` (an order) and `{previous, ...now}` (a silence's fields before and after).
  if ('before' in rest && 'after' in rest) {
    lines.push({ label: 'order', before: show(rest.before), after: show(rest.after) });
    delete rest.before;
    delete rest.after;
  }
  if (typeof rest.previous === 'object' && rest.previous !== null) {
    const previous = rest.previous as Record<string, unknown>;
    delete rest.previous;
    for (const [field, before] of Object.entries(previous)) {
      if (show(before) !== show(rest[field]))
        lines.push({ label: field, before: show(before), after: show(rest[field]) });
      delete rest[field];
    }
  }
  for (const [key, value] of Object.entries(rest)) lines.push({ label: LABELS[key] ?? key, after: show(value) });
  return lines;
}
