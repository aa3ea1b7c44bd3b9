import { describe, expect, it } from 'vitest';
import { MAX_LOGGED_HEADER_BYTES, sanitizeHeaders } from './delivery-headers.js';

const SECRET = 'c3f1a9d0e4b7c2a85f6e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a291807f6e';

describe('sanitizeHeaders', () => {
  it.each([
    ['authorization', `Bearer ${SECRET}`],
    ['proxy-authorization', `Basic ${SECRET}`],
    ['cookie', `session=${SECRET}`],
    ['set-cookie', [`a=${SECRET}`, 'b=2']],
    ['x-api-key', SECRET],
    ['webhook-signature', `v1,${SECRET}`],
    ['X-Webhook-Signature', `v1=${SECRET}`], // the configured header, in another casing
    ['x-hub-signature-256', `sha256=${SECRET}`],
    ['x-slack-signature', SECRET],
    ['x-gitlab-token', SECRET],
    ['x-amz-security-token', SECRET],
    ['x-client-secret', SECRET],
    ['x-auth', SECRET],
    ['x-custom-authentication', SECRET],
    ['dd-api-key', SECRET],
    ['x-api_key', SECRET],
    ['apikey', SECRET],
    ['x-password', SECRET],
    ['x-session-id', SECRET],
    ['x-credentials', SECRET],
    ['x-my-integration', SECRET], // the configured signature header (see below), matched by name
  ])('drops %s', (name, value) => {
    const out = sanitizeHeaders({ [name]: value, 'user-agent': 'curl/8' }, 'X-My-Integration');
    expect(out).toEqual({ 'user-agent': 'curl/8' });
  });

  it.each([
    ['x-forwarded-user', 'Bearer abc'],
    ['x-custom', `Bearer ${SECRET}`],
    ['x-custom', `basic ${Buffer.from(`user:${SECRET}`).toString('base64')}`],
    ['x-custom', 'Token abc123'],
  ])('drops %s when the value looks like an authentication scheme (%s)', (name, value) => {
    expect(sanitizeHeaders({ [name]: value }, 'x-signature')).toEqual({});
  });

  it('drops any header whose value contains one of the given secrets', () => {
    const out = sanitizeHeaders(
      { 'x-forwarded-for': '10.0.0.1', 'x-odd': `prefix-${SECRET}-suffix`, referer: `https://a.test/?k=${SECRET}` },
      'x-signature',
      { secrets: [SECRET, ''] },
    );
    expect(out).toEqual({ 'x-forwarded-for': '10.0.0.1' });
  });

  it('keeps ordinary headers, lower-cases names, joins repeated values and skips undefined', () => {
    const out = sanitizeHeaders(
      {
        'Content-Type': 'application/json',
        'user-agent': 'Alertmanager/0.27.0',
        'x-forwarded-for': ['10.0.0.1', '10.0.0.2'],
        'x-missing': undefined,
        'content-length': '42',
      },
      'authorization',
    );
    expect(out).toEqual({
      'content-type': 'application/json',
      'user-agent': 'Alertmanager/0.27.0',
      'x-forwarded-for': '10.0.0.1, 10.0.0.2',
      'content-length': '42',
    });
  });

  it('never lets the secret survive anywhere in the output for a realistic request', () => {
    const out = sanitizeHeaders(
      {
        host: 'klaxon.test',
        authorization: `Bearer ${SECRET}`,
        'x-webhook-signature': `v1=${SECRET}`,
        'webhook-signature': `v1,${SECRET}`,
        'webhook-id': 'msg_1',
        'x-datadog-token': SECRET,
        cookie: `s=${SECRET}`,
        'x-echo': SECRET,
      },
      'X-Webhook-Signature',
      { secrets: [SECRET] },
    );
    expect(JSON.stringify(out)).not.toContain(SECRET);
    expect(out).toEqual({ host: 'klaxon.test', 'webhook-id': 'msg_1' });
  });

  it.each([
    { value: 'a'.repeat(1024), bytes: 1024, cut: false },
    { value: 'a'.repeat(1025), bytes: 1024, cut: true },
    { value: 'a'.repeat(100_000), bytes: 1024, cut: true },
    { value: 'é'.repeat(600), bytes: 1023, cut: true }, // 2-byte characters: 510 fit before the marker
    { value: `ab${'€'.repeat(400)}`, bytes: 1022, cut: true }, // 3-byte characters
  ])('cuts values to 1 KiB at a character boundary ($value.length chars)', ({ value, bytes, cut }) => {
    const out = sanitizeHeaders({ 'x-long': value }, 'x-signature')['x-long'] ?? '';
    expect(Buffer.byteLength(out, 'utf8')).toBe(bytes);
    expect(Buffer.byteLength(out, 'utf8')).toBeLessThanOrEqual(MAX_LOGGED_HEADER_BYTES);
    expect(out.endsWith('…')).toBe(cut);
    expect(out).not.toContain('\uFFFD');
    expect(value.startsWith(cut ? out.slice(0, -1) : out)).toBe(true);
  });

  it('keeps at most 50 headers, and credential headers do not count towards them', () => {
    const headers: Record<string, string> = { authorization: `Bearer ${SECRET}` };
    for (let i = 0; i < 80; i++) headers[`x-h${i}`] = String(i);
    const out = sanitizeHeaders(headers, 'x-signature');
    expect(Object.keys(out)).toHaveLength(50);
    expect(out['x-h0']).toBe('0');
    expect(out['x-h49']).toBe('49');
    expect(out['x-h50']).toBeUndefined();
  });

  it('stores a header called __proto__ as data without touching the prototype', () => {
    const headers = JSON.parse('{"__proto__": "x", "a": "b"}') as Record<string, string>;
    const out = sanitizeHeaders(headers, 'x-signature');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out).sort()).toEqual(['__proto__', 'a']);
  });
});
