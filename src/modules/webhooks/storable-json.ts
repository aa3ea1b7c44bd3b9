import { replaceUnstorableText } from '../../lib/unstorable-text.js';

/** Deepest nesting accepted in a webhook payload. Real senders stay well under 20 levels. */
export const MAX_PAYLOAD_DEPTH = 64;

export type StorableResult = { ok: true; value: unknown } | { ok: false; reason: string };

/**
 * Makes a parsed JSON payload storable in PostgreSQL, in place, without recursion.
 *
 * - PostgreSQL `text` and `jsonb` cannot hold U+0000 (`\u0000` in JSON) nor unpaired surrogates
 *   (`\ud800`): an alert carrying one failed its INSERT and was answered 500. They are replaced
 *   with U+FFFD, as undecodable UTF-8 bytes already are when the body is read, so the alert is
 *   still accepted (the signature was checked over the raw bytes before this).
 * - Nesting deeper than MAX_PAYLOAD_DEPTH is refused: JSON.stringify (when the payload is stored)
 *   and PostgreSQL's jsonb parser both recurse, and a 500 KiB body of `[[[[…` overflowed them.
 */
export function toStorableJson(payload: unknown, maxDepth = MAX_PAYLOAD_DEPTH): StorableResult {
  if (typeof payload === 'string') return { ok: true, value: replaceUnstorableText(payload) };
  const stack: Array<{ node: object; depth: number }> = [];
  if (payload !== null && typeof payload === 'object') stack.push({ node: payload, depth: 1 });
  while (stack.length > 0) {
    const { node, depth } = stack.pop() as { node: object; depth: number };
    if (depth > maxDepth) return { ok: false, reason: `the payload is nested deeper than ${maxDepth} levels` };
    const record = node as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      let value = record[key];
      if (typeof value === 'string') {
        value = replaceUnstorableText(value);
        record[key] = value;
      } else if (value !== null && typeof value === 'object') {
        stack.push({ node: value, depth: depth + 1 });
      }
      const cleanKey = replaceUnstorableText(key);
      if (cleanKey !== key && !Array.isArray(record)) {
        delete record[key];
        Object.defineProperty(record, cleanKey, { value, enumerable: true, writable: true, configurable: true });
      }
    }
  }
  return { ok: true, value: payload };
}
