import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../lib/crypto.js';

/** Slack refuses requests older than this, and so do we (replays inside it are caught by digest). */
export const SLACK_SIGNATURE_MAX_AGE_SECONDS = 5 * 60;

/**
 * `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{raw body}` under the app's signing secret
 * (https://api.slack.com/authentication/verifying-requests-from-slack).
 */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: Buffer | string): string {
  const hmac = createHmac('sha256', signingSecret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(rawBody);
  return `v0=${hmac.digest('hex')}`;
}

/** Whether a request carries a valid, fresh Slack signature: timestamp within 5 minutes, compared in constant time. */
export function verifySlackSignature(
  signingSecret: string,
  headers: { timestamp: unknown; signature: unknown },
  rawBody: Buffer,
  now: Date,
): boolean {
  const { timestamp, signature } = headers;
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d{1,12}$/.test(timestamp)) return false;
  if (Math.abs(now.getTime() / 1000 - Number(timestamp)) > SLACK_SIGNATURE_MAX_AGE_SECONDS) return false;
  return constantTimeEqual(slackSignature(signingSecret, timestamp, rawBody), signature);
}
