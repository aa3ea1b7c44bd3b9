import { describe, expect, it } from 'vitest';
import { runCheck, verifySignature } from './index.js';
import type { PreparedCheck } from './types.js';

function counting(matchingSecret: string) {
  const seen: string[] = [];
  const check: PreparedCheck = {
    ok: true,
    mismatchReason: 'signature did not match',
    matches: (key) => {
      seen.push(key.toString('utf8'));
      return key.toString('utf8') === matchingSecret;
    },
  };
  return { check, seen };
}

describe('runCheck', () => {
  it.each([
    { secrets: ['current', 'previous'], matching: 'current', ok: true },
    { secrets: ['current', 'previous'], matching: 'previous', ok: true },
    { secrets: ['current', 'previous'], matching: 'neither', ok: false },
    { secrets: ['current'], matching: 'previous', ok: false },
  ])('tries every secret of $secrets whichever matches ($matching)', ({ secrets, matching, ok }) => {
    const { check, seen } = counting(matching);
    expect(runCheck(check, secrets).ok).toBe(ok);
    expect(seen).toEqual(secrets);
  });

  it('passes a preparation failure through without trying secrets', () => {
    expect(runCheck({ ok: false, reason: 'missing X header' }, ['a'])).toEqual({
      ok: false,
      reason: 'missing X header',
    });
  });

  it('reports the webhook id only on success', () => {
    const check: PreparedCheck = {
      ok: true,
      webhookId: 'msg_1',
      mismatchReason: 'no',
      matches: (key) => key.length > 0,
    };
    expect(runCheck(check, ['a'])).toEqual({ ok: true, webhookId: 'msg_1' });
    expect(runCheck(check, [])).toEqual({ ok: false, reason: 'no' });
  });
});

describe('verifySignature dispatch', () => {
  const input = {
    headers: { authorization: 'Bearer s3cret', 'x-sig': 's3cret' },
    rawBody: Buffer.from('{}'),
    secrets: ['s3cret'],
    now: new Date(),
  };
  // The same request through each scheme: each answer is one only that scheme's check gives.
  it.each([
    { scheme: 'token' as const, expected: { ok: true } },
    { scheme: 'hmac' as const, expected: { ok: false, reason: 'Authorization header is not a hex signature' } },
    {
      scheme: 'standard-webhooks' as const,
      expected: { ok: false, reason: 'missing webhook-id, webhook-timestamp, webhook-signature headers' },
    },
  ])('uses the $scheme scheme', ({ scheme, expected }) => {
    const result = verifySignature(
      { scheme, header: 'Authorization', algorithm: 'sha256', format: 'hex', prefix: 'Bearer ' },
      input,
    );
    expect(result).toEqual(expected);
  });
});
