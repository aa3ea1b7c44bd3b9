/**
 * The grouping key of an alert under a team's group-by label names, like Alertmanager's
 * `group_by`: equal values of those labels (a missing label counts as empty) share a key.
 * Without label names every alert of the team shares one key. The key is canonical JSON, so
 * label values containing separators cannot collide.
 */
export function groupKeyOf(groupBy: readonly string[], labels: Readonly<Record<string, string>>): string {
  const names = [...new Set(groupBy)].sort();
  return JSON.stringify(names.map((name) => [name, labels[name] ?? '']));
}
