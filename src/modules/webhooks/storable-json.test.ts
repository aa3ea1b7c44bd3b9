import { describe, expect, it } from 'vitest';
import { MAX_PAYLOAD_DEPTH, toStorableJson } from './storable-json.js';

describe('toStorableJson', () => {
  it('replaces U+0000 and unpaired surrogates in values and keys, keeps valid pairs', () => {
    const payload = JSON.parse('{"title":"a\\u0000b","\\ud800k":["\\udc00x","\\ud83d\\ude00"],"n":1}');
    const result = toStorableJson(payload);
    expect(result).toEqual({ ok: true, value: { title: 'a\uFFFDb', '\uFFFDk': ['\uFFFDx', '😀'], n: 1 } });
    expect(JSON.stringify(result)).not.toMatch(/\\u0000|\\ud800|\\udc00/);
  });

  it('accepts nesting up to the limit and refuses deeper, without recursion', () => {
    const nested = (depth: number) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`);
    expect(toStorableJson(nested(MAX_PAYLOAD_DEPTH)).ok).toBe(true);
    expect(toStorableJson(nested(MAX_PAYLOAD_DEPTH + 1))).toEqual({
      ok: false,
      reason: `the payload is nested deeper than ${MAX_PAYLOAD_DEPTH} levels`,
    });
    expect(toStorableJson(nested(200_000)).ok).toBe(false);
  });

  it('leaves scalars and ordinary payloads alone', () => {
    expect(toStorableJson(null)).toEqual({ ok: true, value: null });
    expect(toStorableJson('\u0000')).toEqual({ ok: true, value: '\uFFFD' });
    expect(toStorableJson({ title: 'Disk full', labels: { a: 'b' } })).toEqual({
      ok: true,
      value: { title: 'Disk full', labels: { a: 'b' } },
    });
  });
});
