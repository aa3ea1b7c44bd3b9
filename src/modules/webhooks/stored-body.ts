import { replaceUnstorableText } from '../../lib/unstorable-text.js';

/** Bodies kept in the delivery log are cut to this many UTF-8 bytes. */
export const MAX_STORED_PAYLOAD_BYTES = 64 * 1024;

/**
 * Requests whose sender was not authenticated (wrong or missing signature, disabled integration)
 * keep only this much of their body: anyone who knows an integration's URL can send them, so
 * each costs at most this much storage, while a signature mismatch can still be compared with
 * what the sender meant to send (alert bodies are typically 1–3 KiB).
 */
export const MAX_UNAUTHENTICATED_PAYLOAD_BYTES = 4 * 1024;

const REDACTED = '[redacted]';

/** The delivery-log columns of a body (see the webhook_deliveries schema). */
export interface StoredBody {
  payload: string | null;
  payloadTruncatedFrom: number | null;
}

export const NO_BODY: StoredBody = { payload: null, payloadTruncatedFrom: null };

/**
 * What the delivery log keeps of a body: its text as sent (key order and spacing kept), cut to
 * `maxBytes` on a character boundary, NUL characters (which PostgreSQL text cannot hold)
 * replaced with U+FFFD, and every occurrence of the integration's secrets — as they are and in
 * the base64 of a `whsec_` key — replaced with `[redacted]`. `sizeBytes` is the size received.
 */
export function storedBody(
  text: string,
  secrets: readonly string[],
  options: { sizeBytes: number; maxBytes?: number },
): StoredBody {
  const maxBytes = options.maxBytes ?? MAX_STORED_PAYLOAD_BYTES;
  if (options.sizeBytes === 0) return NO_BODY;
  // Redacted before the cut, so a secret across the cut cannot leave its first half behind.
  let kept = replaceUnstorableText(text);
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of [secret, Buffer.from(secret, 'utf8').toString('base64')]) {
      if (kept.includes(form)) kept = kept.replaceAll(form, REDACTED);
    }
  }
  if (options.sizeBytes <= maxBytes) return { payload: kept, payloadTruncatedFrom: null };
  const cut = cutToBytes(kept, maxBytes);
  return { payload: cut, payloadTruncatedFrom: cut === kept ? null : options.sizeBytes };
}

function cutToBytes(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= maxBytes) return text;
  // Decoding a cut through a multi-byte character leaves U+FFFD at the end; drop it.
  return bytes
    .subarray(0, maxBytes)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
}
