import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signHmac } from './hmac.js';
import { type SignatureConfig, verifySignature } from './index.js';
import type { RequestHeaders, VerifyResult } from './types.js';

const CURRENT = 'c3f1a9d0e4b7c2a85f6e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a291807f6e';
const PREVIOUS = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const OTHER = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
const BODY = Buffer.from('{"title":"Disk full","severity":"critical"}');
const NOW = new Date('2026-01-15T12:00:00Z');

const BASE: SignatureConfig = {
  scheme: 'hmac',
  header: 'X-Webhook-Signature',
  algorithm: 'sha256',
  format: 'hex',
  prefix: 'v1=',
};

/** Independent of the code under test: node:crypto directly. */
function sig(
  secret: string,
  options: { algorithm?: 'sha256' | 'sha512'; format?: 'hex' | 'base64'; body?: Buffer } = {},
) {
  return createHmac(options.algorithm ?? 'sha256', Buffer.from(secret, 'utf8'))
    .update(options.body ?? BODY)
    .digest(options.format ?? 'hex');
}

interface Case {
  name: string;
  config?: Partial<SignatureConfig>;
  headers: RequestHeaders;
  body?: Buffer;
  secrets?: string[];
  expected: VerifyResult;
}

const MISMATCH = { ok: false, reason: 'signature did not match' } as const;

const cases: Case[] = [
  { name: 'valid hex', headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` }, expected: { ok: true } },
  {
    name: 'valid hex, uppercase digits',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT).toUpperCase()}` },
    expected: { ok: true },
  },
  {
    name: 'valid, surrounding whitespace',
    headers: { 'x-webhook-signature': `  v1=${sig(CURRENT)} \t` },
    expected: { ok: true },
  },
  {
    name: 'valid, header name given in another casing',
    headers: { 'X-WEBHOOK-SIGNATURE': `v1=${sig(CURRENT)}` },
    expected: { ok: true },
  },
  {
    name: 'valid, configured header name in lower case',
    config: { header: 'x-webhook-signature' },
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: { ok: true },
  },
  {
    name: 'valid base64',
    config: { format: 'base64' },
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT, { format: 'base64' })}` },
    expected: { ok: true },
  },
  {
    name: 'valid sha512 hex',
    config: { algorithm: 'sha512' },
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT, { algorithm: 'sha512' })}` },
    expected: { ok: true },
  },
  {
    name: 'valid sha512 base64 without a prefix (GitHub-like empty prefix)',
    config: { algorithm: 'sha512', format: 'base64', prefix: '' },
    headers: { 'x-webhook-signature': sig(CURRENT, { algorithm: 'sha512', format: 'base64' }) },
    expected: { ok: true },
  },
  {
    name: 'valid, GitHub-style sha256= prefix',
    config: { header: 'X-Hub-Signature-256', prefix: 'sha256=' },
    headers: { 'x-hub-signature-256': `sha256=${sig(CURRENT)}` },
    expected: { ok: true },
  },
  {
    name: 'tampered body',
    body: Buffer.from('{"title":"Disk full","severity":"info"}'),
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  {
    name: 'body differing by one trailing newline',
    body: Buffer.concat([BODY, Buffer.from('\n')]),
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  { name: 'wrong secret', headers: { 'x-webhook-signature': `v1=${sig(OTHER)}` }, expected: MISMATCH },
  {
    name: 'wrong prefix',
    headers: { 'x-webhook-signature': `v2=${sig(CURRENT)}` },
    expected: { ok: false, reason: 'X-Webhook-Signature header does not start with the expected prefix' },
  },
  {
    name: 'prefix missing',
    headers: { 'x-webhook-signature': sig(CURRENT) },
    expected: { ok: false, reason: 'X-Webhook-Signature header does not start with the expected prefix' },
  },
  {
    name: 'sha512 signature where sha256 is configured',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT, { algorithm: 'sha512' })}` },
    expected: MISMATCH,
  },
  {
    name: 'sha256 signature where sha512 is configured',
    config: { algorithm: 'sha512' },
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  {
    name: 'base64 signature where hex is configured',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT, { format: 'base64' })}` },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'hex signature where base64 is configured (valid base64 alphabet, wrong bytes)',
    config: { format: 'base64' },
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  {
    name: 'multi-signature header, one valid among invalid ones',
    headers: { 'x-webhook-signature': `v1=${sig(OTHER)}, v1=zz, v1=${sig(CURRENT)},v1=${sig(PREVIOUS)}` },
    expected: { ok: true },
  },
  {
    name: 'multi-signature header, valid one listed first',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)},v1=${sig(OTHER)}` },
    expected: { ok: true },
  },
  {
    name: 'multi-signature header, none valid',
    headers: { 'x-webhook-signature': `v1=${sig(OTHER)},v1=${sig(PREVIOUS)}` },
    expected: MISMATCH,
  },
  {
    name: 'multi-signature header, valid one carries the wrong prefix',
    headers: { 'x-webhook-signature': `v1=${sig(OTHER)},v0=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  {
    name: 'repeated header (array value), one valid',
    headers: { 'x-webhook-signature': [`v1=${sig(OTHER)}`, `v1=${sig(CURRENT)}`] },
    expected: { ok: true },
  },
  {
    name: 'missing header',
    headers: { 'content-type': 'application/json' },
    expected: { ok: false, reason: 'missing X-Webhook-Signature header' },
  },
  {
    name: 'header with undefined value counts as missing',
    headers: { 'x-webhook-signature': undefined },
    expected: { ok: false, reason: 'missing X-Webhook-Signature header' },
  },
  {
    name: 'signature in another header only',
    headers: { 'x-signature': `v1=${sig(CURRENT)}` },
    expected: { ok: false, reason: 'missing X-Webhook-Signature header' },
  },
  {
    name: 'header present but empty',
    headers: { 'x-webhook-signature': '' },
    expected: { ok: false, reason: 'X-Webhook-Signature header is empty' },
  },
  {
    name: 'header of whitespace and commas only',
    headers: { 'x-webhook-signature': ' , ,' },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'prefix with nothing after it',
    headers: { 'x-webhook-signature': 'v1=' },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'non-hex garbage',
    headers: { 'x-webhook-signature': `v1=${'zz'.repeat(32)}` },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'valid hex followed by garbage (Buffer.from would silently truncate)',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}zz` },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'odd-length hex',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT).slice(1)}` },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a hex signature' },
  },
  {
    name: 'truncated but well-formed hex',
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT).slice(0, 32)}` },
    expected: MISMATCH,
  },
  {
    name: 'base64 garbage',
    config: { format: 'base64' },
    headers: { 'x-webhook-signature': 'v1=!!!not*base64!!!' },
    expected: { ok: false, reason: 'X-Webhook-Signature header is not a base64 signature' },
  },
  {
    name: 'huge header',
    headers: { 'x-webhook-signature': `v1=${'a'.repeat(100_000)}` },
    expected: { ok: false, reason: 'X-Webhook-Signature header is too long' },
  },
  {
    name: 'too many signatures',
    headers: { 'x-webhook-signature': Array.from({ length: 17 }, () => `v1=${sig(CURRENT)}`).join(',') },
    expected: { ok: false, reason: 'more than 16 signatures in X-Webhook-Signature header' },
  },
  {
    name: 'previous secret accepted while in secrets (grace period)',
    secrets: [CURRENT, PREVIOUS],
    headers: { 'x-webhook-signature': `v1=${sig(PREVIOUS)}` },
    expected: { ok: true },
  },
  {
    name: 'current secret still accepted during the grace period',
    secrets: [CURRENT, PREVIOUS],
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: { ok: true },
  },
  {
    name: 'previous secret rejected after the grace period (not in secrets)',
    secrets: [CURRENT],
    headers: { 'x-webhook-signature': `v1=${sig(PREVIOUS)}` },
    expected: MISMATCH,
  },
  {
    name: 'no secrets at all',
    secrets: [],
    headers: { 'x-webhook-signature': `v1=${sig(CURRENT)}` },
    expected: MISMATCH,
  },
  {
    name: 'an empty secret never matches, even when the HMAC under an empty key is sent',
    secrets: [''],
    headers: { 'x-webhook-signature': `v1=${sig('')}` },
    expected: MISMATCH,
  },
];

describe('hmac scheme', () => {
  it.each(cases)('$name', ({ config, headers, body, secrets, expected }) => {
    const result = verifySignature(
      { ...BASE, ...config },
      { headers, rawBody: body ?? BODY, secrets: secrets ?? [CURRENT], now: NOW },
    );
    expect(result).toEqual(expected);
  });

  it('never puts the secret or either signature in the reason', () => {
    const expectedSig = sig(CURRENT);
    const presented = sig(OTHER);
    const result = verifySignature(BASE, {
      headers: { 'x-webhook-signature': `v1=${presented}` },
      rawBody: BODY,
      secrets: [CURRENT],
      now: NOW,
    });
    expect(result.ok).toBe(false);
    const text = JSON.stringify(result);
    for (const forbidden of [CURRENT, expectedSig, presented]) expect(text).not.toContain(forbidden);
  });

  it('signHmac produces what node:crypto does, in both formats', () => {
    const key = Buffer.from(CURRENT, 'utf8');
    expect(signHmac('sha256', 'hex', key, BODY)).toBe(sig(CURRENT));
    expect(signHmac('sha512', 'base64', key, BODY)).toBe(sig(CURRENT, { algorithm: 'sha512', format: 'base64' }));
  });

  it('verifies a known RFC 4231 vector (key "Jefe")', () => {
    const body = Buffer.from('what do ya want for nothing?');
    const result = verifySignature(
      { ...BASE, prefix: '' },
      {
        headers: { 'x-webhook-signature': '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843' },
        rawBody: body,
        secrets: ['Jefe'],
        now: NOW,
      },
    );
    expect(result).toEqual({ ok: true });
  });
});
