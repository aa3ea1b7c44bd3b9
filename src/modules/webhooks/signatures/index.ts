import { prepareHmac } from './hmac.js';
import { prepareStandardWebhooks } from './standard-webhooks.js';
import { prepareToken } from './token.js';
import type { PreparedCheck, SignatureConfig, VerifyInput, VerifyResult } from './types.js';

export { MAX_HMAC_SIGNATURES, signHmac } from './hmac.js';
export {
  fromStandardWebhooksSecret,
  STANDARD_WEBHOOKS_TOLERANCE_SECONDS,
  signStandardWebhooks,
  toStandardWebhooksSecret,
} from './standard-webhooks.js';
export type { SignatureConfig, VerifyInput, VerifyResult } from './types.js';

/**
 * Authenticates a webhook request under the integration's scheme. Every secret in
 * `input.secrets` is tried, even after one matched, so the time taken does not reveal which
 * (current or previous) matched. On success `webhookId` is set for `standard-webhooks`.
 */
export function verifySignature(config: SignatureConfig, input: VerifyInput): VerifyResult {
  return runCheck(prepare(config, input), input.secrets);
}

/** Runs a prepared check against every secret (never stopping at the first match). */
export function runCheck(check: PreparedCheck, secrets: readonly string[]): VerifyResult {
  if (!check.ok) return check;
  let matched = false;
  for (const secret of secrets) {
    const key = Buffer.from(secret, 'utf8');
    const thisOne = check.matches(key);
    matched = (thisOne && key.length > 0) || matched;
  }
  if (!matched) return { ok: false, reason: check.mismatchReason };
  return check.webhookId === undefined ? { ok: true } : { ok: true, webhookId: check.webhookId };
}

function prepare(config: SignatureConfig, input: VerifyInput): PreparedCheck {
  switch (config.scheme) {
    case 'hmac':
      return prepareHmac(config, input);
    case 'standard-webhooks':
      return prepareStandardWebhooks(input);
    case 'token':
      return prepareToken(config, input);
  }
}
