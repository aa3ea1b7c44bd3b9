import { createHash } from 'node:crypto';

/**
 * JSON with object keys sorted at every depth, so that two values that are equal as data give the
 * same text whatever order their keys were written in. `undefined` object members are dropped, as
 * JSON.stringify does; arrays keep their order.
 */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value)) ?? 'null';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : sortKeys(item)));
  if (value !== null && typeof value === 'object') {
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const member = (value as Record<string, unknown>)[key];
      if (member !== undefined) sorted[key] = sortKeys(member);
    }
    return sorted;
  }
  return value;
}

/**
 * A fallback dedup key: the SHA-256 (lowercase hex) of the canonical JSON of the arguments, taken
 * as one array. `stableHash(title, source, labels)` is the same for the same title, source and
 * label set, whatever the order of the labels.
 */
export function stableHash(...parts: unknown[]): string {
  return createHash('sha256').update(canonicalJson(parts), 'utf8').digest('hex');
}
