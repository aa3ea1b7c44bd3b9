import { describe, expect, it } from 'vitest';
import { type SignatureConfig, verifySignature } from './index.js';
import type { RequestHeaders, VerifyResult } from './types.js';

const CURRENT = 'c3f1a9d0e4b7c2a85f6e1d0c9b8a7f6e5d4c3b2a1908f7e6d5c4b3a291807f6e';
const PREVIOUS = '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const OTHER = 'ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff';
const BODY = Buffer.from('{"version":"4","alerts":[]}');
const NOW = new Date('2026-01-15T12:00:00Z');

const BEARER: SignatureConfig = {
  scheme: 'token',
  header: 'Authorization',
  algorithm: 'sha256',
  format: 'hex',
  prefix: 'Bearer ',
};

interface Case {
  name: string;
  config?: Partial<SignatureConfig>;
  headers: RequestHeaders;
  secrets?: string[];
  expected: VerifyResult;
}

const MISMATCH = { ok: false, reason: 'token did not match' } as const;
const WRONG_PREFIX = { ok: false, reason: 'Authorization header does not start with the expected prefix' } as const;

const cases: Case[] = [
  { name: 'valid bearer token', headers: { authorization: `Bearer ${CURRENT}` }, expected: { ok: true } },
  { name: 'scheme word lower case', headers: { authorization: `bearer ${CURRENT}` }, expected: { ok: true } },
  { name: 'scheme word upper case', headers: { authorization: `BEARER ${CURRENT}` }, expected: { ok: true } },
  {
    name: 'extra whitespace around and after the scheme word',
    headers: { authorization: `  Bearer \t ${CURRENT}  ` },
    expected: { ok: true },
  },
  {
    name: 'token itself is case-sensitive',
    headers: { authorization: `Bearer ${CURRENT.toUpperCase()}` },
    expected: MISMATCH,
  },
  {
    name: 'custom header without prefix (Datadog/New Relic custom header)',
    config: { header: 'X-Klaxon-Token', prefix: '' },
    headers: { 'x-klaxon-token': CURRENT },
    expected: { ok: true },
  },
  {
    name: 'custom header without prefix, given a Bearer prefix',
    config: { header: 'X-Klaxon-Token', prefix: '' },
    headers: { 'x-klaxon-token': `Bearer ${CURRENT}` },
    expected: MISMATCH,
  },
  {
    name: 'prefix without trailing space (token=)',
    config: { header: 'X-Auth', prefix: 'token=' },
    headers: { 'x-auth': `token=${CURRENT}` },
    expected: { ok: true },
  },
  { name: 'wrong secret', headers: { authorization: `Bearer ${OTHER}` }, expected: MISMATCH },
  {
    name: 'secret with one character missing',
    headers: { authorization: `Bearer ${CURRENT.slice(1)}` },
    expected: MISMATCH,
  },
  { name: 'secret with a character added', headers: { authorization: `Bearer ${CURRENT}0` }, expected: MISMATCH },
  { name: 'wrong scheme word (Basic)', headers: { authorization: `Basic ${CURRENT}` }, expected: WRONG_PREFIX },
  { name: 'no scheme word', headers: { authorization: CURRENT }, expected: WRONG_PREFIX },
  { name: 'scheme word glued to the token', headers: { authorization: `Bearer${CURRENT}` }, expected: WRONG_PREFIX },
  {
    name: 'scheme word only',
    headers: { authorization: 'Bearer' },
    expected: { ok: false, reason: 'Authorization header has no token' },
  },
  {
    name: 'scheme word and spaces only',
    headers: { authorization: 'Bearer    ' },
    expected: { ok: false, reason: 'Authorization header has no token' },
  },
  {
    name: 'missing header',
    headers: { 'x-other': `Bearer ${CURRENT}` },
    expected: { ok: false, reason: 'missing Authorization header' },
  },
  {
    name: 'header present but empty',
    headers: { authorization: '' },
    expected: { ok: false, reason: 'Authorization header is empty' },
  },
  { name: 'garbage', headers: { authorization: 'Bearer \u0000\u00ff<script>' }, expected: MISMATCH },
  {
    name: 'huge header',
    headers: { authorization: `Bearer ${'x'.repeat(100_000)}` },
    expected: { ok: false, reason: 'Authorization header is too long' },
  },
  {
    name: 'header of whitespace only, with an empty secret configured',
    config: { header: 'X-Klaxon-Token', prefix: '' },
    secrets: [''],
    headers: { 'x-klaxon-token': ' ' },
    expected: { ok: false, reason: 'X-Klaxon-Token header is empty' },
  },
  {
    name: 'previous secret accepted while in secrets',
    secrets: [CURRENT, PREVIOUS],
    headers: { authorization: `Bearer ${PREVIOUS}` },
    expected: { ok: true },
  },
  {
    name: 'previous secret rejected after the grace period',
    secrets: [CURRENT],
    headers: { authorization: `Bearer ${PREVIOUS}` },
    expected: MISMATCH,
  },
  {
    name: 'an HMAC of the body is not a token',
    headers: { authorization: `Bearer ${Buffer.from(CURRENT).toString('base64')}` },
    expected: MISMATCH,
  },
];

describe('token scheme', () => {
  it.each(cases)('$name', ({ config, headers, secrets, expected }) => {
    const result = verifySignature(
      { ...BEARER, ...config },
      { headers, rawBody: BODY, secrets: secrets ?? [CURRENT], now: NOW },
    );
    expect(result).toEqual(expected);
  });

  it('never puts the secret or the presented token in the reason', () => {
    for (const presented of [OTHER, `${CURRENT}x`, CURRENT.slice(0, 10)]) {
      const result = verifySignature(BEARER, {
        headers: { authorization: `Bearer ${presented}` },
        rawBody: BODY,
        secrets: [CURRENT],
        now: NOW,
      });
      expect(result.ok).toBe(false);
      const text = JSON.stringify(result);
      expect(text).not.toContain(CURRENT.slice(0, 10));
      expect(text).not.toContain(presented);
    }
  });
});
