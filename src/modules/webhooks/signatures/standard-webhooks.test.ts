import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { type SignatureConfig, verifySignature } from './index.js';
import {
  fromStandardWebhooksSecret,
  prepareStandardWebhooks,
  signStandardWebhooks,
  toStandardWebhooksSecret,
} from './standard-webhooks.js';
import type { RequestHeaders, VerifyResult } from './types.js';

const CURRENT = 'c3f1a9d0e4b7c2a85f6e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a291807f6e';
const PREVIOUS = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const OTHER = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
const BODY = Buffer.from('{"title":"Disk full"}');
const NOW = new Date('2026-01-15T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const ID = 'msg_2b1Xyz';

// Fields other than the scheme are ignored by standard-webhooks; set them to misleading values on purpose.
const CONFIG: SignatureConfig = {
  scheme: 'standard-webhooks',
  header: 'X-Ignored',
  algorithm: 'sha512',
  format: 'hex',
  prefix: 'ignored=',
};

/** Independent of the code under test. */
function sig(secret: string, options: { id?: string; ts?: string | number; body?: Buffer } = {}): string {
  const mac = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${options.id ?? ID}.${options.ts ?? NOW_S}.`)
    .update(options.body ?? BODY)
    .digest('base64');
  return `v1,${mac}`;
}

function headers(overrides: RequestHeaders = {}): RequestHeaders {
  return { 'webhook-id': ID, 'webhook-timestamp': String(NOW_S), 'webhook-signature': sig(CURRENT), ...overrides };
}

interface Case {
  name: string;
  headers: RequestHeaders;
  body?: Buffer;
  secrets?: string[];
  expected: VerifyResult;
}

const OK = { ok: true, webhookId: ID } as const;
const MISMATCH = { ok: false, reason: 'signature did not match' } as const;
const PAST = { ok: false, reason: 'webhook-timestamp is more than 5 minutes in the past' } as const;
const FUTURE = { ok: false, reason: 'webhook-timestamp is more than 5 minutes in the future' } as const;

const cases: Case[] = [
  { name: 'valid', headers: headers(), expected: OK },
  {
    name: 'valid, header names in another casing',
    headers: { 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(NOW_S), 'Webhook-Signature': sig(CURRENT) },
    expected: OK,
  },
  { name: 'tampered body', headers: headers(), body: Buffer.from('{"title":"Disk ok"}'), expected: MISMATCH },
  {
    name: 'tampered webhook-id',
    headers: headers({ 'webhook-id': 'msg_other' }),
    expected: { ok: false, reason: 'signature did not match' },
  },
  {
    name: 'tampered timestamp (still within tolerance)',
    headers: headers({ 'webhook-timestamp': String(NOW_S - 1) }),
    expected: MISMATCH,
  },
  { name: 'wrong secret', headers: headers({ 'webhook-signature': sig(OTHER) }), expected: MISMATCH },
  {
    name: 'wrong version prefix only (v2)',
    headers: headers({ 'webhook-signature': sig(CURRENT).replace('v1,', 'v2,') }),
    expected: { ok: false, reason: 'no v1 signature in webhook-signature header' },
  },
  {
    name: 'hmac-style v1= prefix instead of v1,',
    headers: headers({ 'webhook-signature': sig(CURRENT).replace('v1,', 'v1=') }),
    expected: { ok: false, reason: 'no v1 signature in webhook-signature header' },
  },
  {
    name: 'sha512 signature (spec is always sha256)',
    headers: headers({
      'webhook-signature': `v1,${createHmac('sha512', CURRENT).update(`${ID}.${NOW_S}.`).update(BODY).digest('base64')}`,
    }),
    expected: MISMATCH,
  },
  {
    name: 'hex instead of base64',
    headers: headers({
      'webhook-signature': `v1,${createHmac('sha256', CURRENT).update(`${ID}.${NOW_S}.`).update(BODY).digest('hex')}`,
    }),
    expected: MISMATCH,
  },
  {
    name: 'several signatures, one valid among invalid ones and other versions',
    headers: headers({
      'webhook-signature': `v1a,${Buffer.alloc(64).toString('base64')} v1,${Buffer.alloc(32).toString('base64')} ${sig(OTHER)}  ${sig(CURRENT)} v1,###`,
    }),
    expected: OK,
  },
  {
    name: 'several signatures, none valid',
    headers: headers({ 'webhook-signature': `${sig(OTHER)} ${sig(PREVIOUS)}` }),
    expected: MISMATCH,
  },
  {
    name: 'repeated webhook-signature headers (array value), one valid',
    headers: headers({ 'webhook-signature': [sig(OTHER), sig(CURRENT)] }),
    expected: OK,
  },
  {
    name: 'missing webhook-signature',
    headers: headers({ 'webhook-signature': undefined }),
    expected: { ok: false, reason: 'missing webhook-signature header' },
  },
  {
    name: 'empty webhook-signature',
    headers: headers({ 'webhook-signature': '  ' }),
    expected: { ok: false, reason: 'missing webhook-signature header' },
  },
  {
    name: 'missing webhook-id',
    headers: headers({ 'webhook-id': undefined }),
    expected: { ok: false, reason: 'missing webhook-id header' },
  },
  {
    name: 'empty webhook-id',
    headers: headers({ 'webhook-id': '' }),
    expected: { ok: false, reason: 'missing webhook-id header' },
  },
  {
    name: 'missing webhook-timestamp',
    headers: headers({ 'webhook-timestamp': undefined }),
    expected: { ok: false, reason: 'missing webhook-timestamp header' },
  },
  {
    name: 'no headers at all',
    headers: {},
    expected: { ok: false, reason: 'missing webhook-id, webhook-timestamp, webhook-signature headers' },
  },
  {
    name: 'stale timestamp (5 min 1 s old), correctly signed',
    headers: headers({
      'webhook-timestamp': String(NOW_S - 301),
      'webhook-signature': sig(CURRENT, { ts: NOW_S - 301 }),
    }),
    expected: PAST,
  },
  {
    name: 'timestamp exactly 5 min old is still accepted',
    headers: headers({
      'webhook-timestamp': String(NOW_S - 300),
      'webhook-signature': sig(CURRENT, { ts: NOW_S - 300 }),
    }),
    expected: OK,
  },
  {
    name: 'future timestamp beyond tolerance (5 min 1 s ahead), correctly signed',
    headers: headers({
      'webhook-timestamp': String(NOW_S + 301),
      'webhook-signature': sig(CURRENT, { ts: NOW_S + 301 }),
    }),
    expected: FUTURE,
  },
  {
    name: 'timestamp exactly 5 min ahead is still accepted',
    headers: headers({
      'webhook-timestamp': String(NOW_S + 300),
      'webhook-signature': sig(CURRENT, { ts: NOW_S + 300 }),
    }),
    expected: OK,
  },
  {
    name: 'timestamp in milliseconds',
    headers: headers({
      'webhook-timestamp': String(NOW.getTime()),
      'webhook-signature': sig(CURRENT, { ts: NOW.getTime() }),
    }),
    expected: FUTURE,
  },
  ...['abc', '1614265330.5', '-1', '0x5ff', '1e9', `${NOW_S}abc`, '9'.repeat(40)].map(
    (ts): Case => ({
      name: `non-numeric timestamp ${JSON.stringify(ts.slice(0, 20))}`,
      headers: headers({ 'webhook-timestamp': ts, 'webhook-signature': sig(CURRENT, { ts }) }),
      expected: { ok: false, reason: 'webhook-timestamp is not a Unix time in seconds' },
    }),
  ),
  {
    name: 'garbage signature',
    headers: headers({ 'webhook-signature': 'v1,!!!not-base64***' }),
    expected: { ok: false, reason: 'webhook-signature is not base64' },
  },
  {
    name: 'huge signature header',
    headers: headers({ 'webhook-signature': `v1,${'A'.repeat(100_000)}` }),
    expected: { ok: false, reason: 'webhook-signature header is too long' },
  },
  {
    name: 'huge webhook-id',
    headers: headers({ 'webhook-id': 'm'.repeat(257) }),
    expected: { ok: false, reason: 'webhook-id header is too long' },
  },
  {
    name: 'previous secret accepted while in secrets',
    secrets: [CURRENT, PREVIOUS],
    headers: headers({ 'webhook-signature': sig(PREVIOUS) }),
    expected: OK,
  },
  {
    name: 'previous secret rejected after the grace period',
    secrets: [CURRENT],
    headers: headers({ 'webhook-signature': sig(PREVIOUS) }),
    expected: MISMATCH,
  },
];

describe('standard-webhooks scheme', () => {
  it.each(cases)('$name', ({ headers, body, secrets, expected }) => {
    const result = verifySignature(CONFIG, { headers, rawBody: body ?? BODY, secrets: secrets ?? [CURRENT], now: NOW });
    expect(result).toEqual(expected);
  });

  describe('the spec’s published test vector', () => {
    const key = fromStandardWebhooksSecret('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const timestamp = '1614265330';
    const body = Buffer.from('{"test": 2432232314}');
    const expected = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';

    it('signs to the published signature', () => {
      expect(signStandardWebhooks(key, id, timestamp, body)).toBe(expected);
      expect(signStandardWebhooks(key, id, 1614265330, body)).toBe(expected);
    });

    it('verifies the published signature with the key bytes, and rejects a one-byte change', () => {
      const input = {
        headers: { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': expected },
        rawBody: body,
        secrets: [],
        now: new Date(1614265330_000 + 60_000),
      };
      const check = prepareStandardWebhooks(input);
      if (!check.ok) throw new Error(check.reason);
      expect(check.webhookId).toBe(id);
      expect(check.matches(key)).toBe(true);
      const otherKey = Buffer.from(key);
      otherKey[0] = (otherKey[0] ?? 0) ^ 1;
      expect(check.matches(otherKey)).toBe(false);
      const tampered = prepareStandardWebhooks({ ...input, rawBody: Buffer.from('{"test": 2432232315}') });
      if (!tampered.ok) throw new Error(tampered.reason);
      expect(tampered.matches(key)).toBe(false);
    });
  });

  describe('toStandardWebhooksSecret', () => {
    it('is whsec_ + base64 of the UTF-8 bytes of the secret', () => {
      expect(toStandardWebhooksSecret(CURRENT)).toBe(`whsec_${Buffer.from(CURRENT, 'utf8').toString('base64')}`);
      expect(toStandardWebhooksSecret('Jefe')).toBe('whsec_SmVmZQ==');
    });

    it('round-trips, and a spec library signing with it is accepted by verifySignature', () => {
      const whsec = toStandardWebhooksSecret(CURRENT);
      const key = fromStandardWebhooksSecret(whsec);
      expect(key.equals(Buffer.from(CURRENT, 'utf8'))).toBe(true);
      const result = verifySignature(CONFIG, {
        headers: headers({ 'webhook-signature': signStandardWebhooks(key, ID, NOW_S, BODY) }),
        rawBody: BODY,
        secrets: [CURRENT],
        now: NOW,
      });
      expect(result).toEqual(OK);
    });

    it('fromStandardWebhooksSecret refuses non-base64', () => {
      expect(() => fromStandardWebhooksSecret('whsec_***')).toThrow();
    });
  });

  it('never puts the secret or the signatures in the reason', () => {
    const presented = sig(OTHER);
    const result = verifySignature(CONFIG, {
      headers: headers({ 'webhook-signature': presented }),
      rawBody: BODY,
      secrets: [CURRENT],
      now: NOW,
    });
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    for (const forbidden of [CURRENT, sig(CURRENT).slice(3), presented.slice(3)]) expect(text).not.toContain(forbidden);
  });
});
