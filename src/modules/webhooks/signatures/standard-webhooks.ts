import { constantTimeEqual, hmac } from '../../../lib/crypto.js';
import { decodeBase64, MAX_SIGNATURE_HEADER_LENGTH, readHeader } from './headers.js';
import type { PreparedCheck, VerifyInput } from './types.js';

/** The spec's tolerance between the sender's clock and ours, either way. */
export const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;
/** Longest `webhook-id` accepted (it is stored for replay detection). */
export const MAX_WEBHOOK_ID_LENGTH = 256;

const TIMESTAMP = /^\d{1,15}$/;

/**
 * The `standardWebhooksSecret` shown on create/rotate: `whsec_` + base64 of the HMAC key, which
 * is the UTF-8 bytes of our webhookSecret. The spec's libraries accept it as is.
 */
export function toStandardWebhooksSecret(secret: string): string {
  return `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;
}

/** The key bytes of a `whsec_…` secret (the inverse of toStandardWebhooksSecret). */
export function fromStandardWebhooksSecret(whsec: string): Buffer {
  const encoded = whsec.startsWith('whsec_') ? whsec.slice('whsec_'.length) : whsec;
  const key = decodeBase64(encoded);
  if (key === undefined) throw new Error('Not a base64 Standard Webhooks secret');
  return key;
}

/** One `webhook-signature` entry: `v1,` + base64 HMAC-SHA256(key, `${id}.${timestamp}.` + body). */
export function signStandardWebhooks(key: Buffer, id: string, timestamp: string | number, body: Buffer): string {
  return `v1,${hmac('sha256', key, signedContent(id, String(timestamp), body)).toString('base64')}`;
}

function signedContent(id: string, timestamp: string, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`${id}.${timestamp}.`, 'utf8'), body]);
}

/**
 * Checks the three headers and the timestamp (±5 minutes of `now`, inclusive) once; the
 * returned check tries the `v1` entries of `webhook-signature` against a key. Entries of
 * other versions (e.g. `v1a` asymmetric signatures) are ignored.
 */
export function prepareStandardWebhooks(input: VerifyInput): PreparedCheck {
  const id = readHeader(input.headers, 'webhook-id', ',')?.trim();
  const timestamp = readHeader(input.headers, 'webhook-timestamp', ',')?.trim();
  const signature = readHeader(input.headers, 'webhook-signature', ' ');

  const missing = [
    id === undefined || id === '' ? 'webhook-id' : undefined,
    timestamp === undefined || timestamp === '' ? 'webhook-timestamp' : undefined,
    signature === undefined || signature.trim() === '' ? 'webhook-signature' : undefined,
  ].filter((name) => name !== undefined);
  if (missing.length > 0 || id === undefined || timestamp === undefined || signature === undefined) {
    return { ok: false, reason: `missing ${missing.join(', ')} header${missing.length > 1 ? 's' : ''}` };
  }
  if (id.length > MAX_WEBHOOK_ID_LENGTH) return { ok: false, reason: 'webhook-id header is too long' };
  if (signature.length > MAX_SIGNATURE_HEADER_LENGTH)
    return { ok: false, reason: 'webhook-signature header is too long' };

  if (!TIMESTAMP.test(timestamp)) return { ok: false, reason: 'webhook-timestamp is not a Unix time in seconds' };
  const nowSeconds = Math.floor(input.now.getTime() / 1000);
  const sentSeconds = Number(timestamp);
  if (nowSeconds - sentSeconds > STANDARD_WEBHOOKS_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'webhook-timestamp is more than 5 minutes in the past' };
  }
  if (sentSeconds - nowSeconds > STANDARD_WEBHOOKS_TOLERANCE_SECONDS) {
    return { ok: false, reason: 'webhook-timestamp is more than 5 minutes in the future' };
  }

  const candidates: Buffer[] = [];
  let v1Entries = 0;
  for (const entry of signature.split(/\s+/)) {
    const comma = entry.indexOf(',');
    if (comma === -1 || entry.slice(0, comma) !== 'v1') continue;
    v1Entries += 1;
    const decoded = decodeBase64(entry.slice(comma + 1));
    if (decoded !== undefined) candidates.push(decoded);
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: v1Entries === 0 ? 'no v1 signature in webhook-signature header' : 'webhook-signature is not base64',
    };
  }

  const content = signedContent(id, timestamp, input.rawBody);
  return {
    ok: true,
    webhookId: id,
    mismatchReason: 'signature did not match',
    matches: (key) => {
      const expected = hmac('sha256', key, content);
      let matched = false;
      for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
      return matched;
    },
  };
}
