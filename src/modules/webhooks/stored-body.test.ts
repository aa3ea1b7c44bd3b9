import { describe, expect, it } from 'vitest';
import { MAX_STORED_PAYLOAD_BYTES, storedBody } from './stored-body.js';

const secret = 'a1'.repeat(32);
const sizeOf = (text: string) => Buffer.byteLength(text, 'utf8');

describe('storedBody', () => {
  it('keeps a body as sent, spacing and key order included', () => {
    const text = '{ "b": 1,\n  "a": [2, 1] }';
    expect(storedBody(text, [secret], { sizeBytes: sizeOf(text) })).toEqual({
      payload: text,
      payloadTruncatedFrom: null,
    });
  });

  it('keeps nothing of an empty body', () => {
    expect(storedBody('', [secret], { sizeBytes: 0 })).toEqual({ payload: null, payloadTruncatedFrom: null });
  });

  it('cuts a large body on a character boundary and says how large it was', () => {
    const text = `"${'€'.repeat(30_000)}"`;
    const kept = storedBody(text, [], { sizeBytes: sizeOf(text) });
    expect(kept.payloadTruncatedFrom).toBe(sizeOf(text));
    expect(sizeOf(kept.payload as string)).toBeLessThanOrEqual(MAX_STORED_PAYLOAD_BYTES);
    expect(sizeOf(kept.payload as string)).toBeGreaterThan(MAX_STORED_PAYLOAD_BYTES - 3);
    expect(text.startsWith(kept.payload as string)).toBe(true);
  });

  it('redacts the secrets, raw and in the base64 of a whsec_ key, before cutting', () => {
    const whsec = `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;
    const text = `{"a":"${secret}","b":"${whsec}"}`;
    expect(storedBody(text, [secret], { sizeBytes: sizeOf(text) }).payload).toBe(
      '{"a":"[redacted]","b":"whsec_[redacted]"}',
    );
    // The secret straddles the cut: it is redacted whole, not left half visible.
    const straddling = `${'x'.repeat(90)}${secret}`;
    const cut = storedBody(straddling, [secret], { sizeBytes: sizeOf(straddling), maxBytes: 100 });
    expect(cut.payload).toBe(`${'x'.repeat(90)}[redacted]`);
    expect(cut.payload).not.toContain(secret.slice(0, 10));
  });

  it('replaces NUL characters, which PostgreSQL text cannot hold', () => {
    expect(storedBody('a\u0000b', [], { sizeBytes: 3 }).payload).toBe('a\uFFFDb');
  });
});
