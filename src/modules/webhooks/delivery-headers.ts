import type { RequestHeaders } from './signatures/types.js';

/** Longest header value kept in the delivery log, in UTF-8 bytes (including the `…` marking a cut). */
export const MAX_LOGGED_HEADER_BYTES = 1024;
/** Most headers kept in the delivery log. */
export const MAX_LOGGED_HEADERS = 50;

const CREDENTIAL_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-api-key',
  'webhook-signature',
]);

/** Any header name that may carry a credential. Broader than strictly needed on purpose. */
const CREDENTIAL_NAME = /(signature|token|secret|auth|api[-_]?key|password|passwd|credential|session|cookie|jwt)/i;

/** Values that announce a credential whatever the header is called (`Bearer …`, `Basic …`). */
const CREDENTIAL_VALUE = /^\s*(bearer|basic|digest|token|negotiate)\s+\S/i;

export interface SanitizeOptions {
  /** Secrets of the integration: any header whose value contains one is dropped too. */
  secrets?: readonly string[];
}

/**
 * Request headers for the delivery log, with every credential-bearing header removed: the
 * usual authorization/cookie/API-key headers, the integration's signature header,
 * `webhook-signature`, any name that looks like a credential, any value that starts like an
 * HTTP authentication scheme, and (when given) any value containing one of `secrets`.
 * Names are lower-cased, repeated headers joined with `, `, values cut to 1 KiB, at most 50
 * headers kept.
 */
export function sanitizeHeaders(
  headers: RequestHeaders,
  signatureHeader: string,
  options: SanitizeOptions = {},
): Record<string, string> {
  const signature = signatureHeader.toLowerCase();
  const secrets = (options.secrets ?? []).filter((secret) => secret !== '');
  const kept: [string, string][] = [];
  for (const [rawName, rawValue] of Object.entries(headers)) {
    if (kept.length >= MAX_LOGGED_HEADERS) break;
    if (rawValue === undefined) continue;
    const name = rawName.toLowerCase();
    if (name === signature || CREDENTIAL_HEADERS.has(name) || CREDENTIAL_NAME.test(name)) continue;
    const value = Array.isArray(rawValue) ? rawValue.join(', ') : rawValue;
    if (CREDENTIAL_VALUE.test(value)) continue;
    if (secrets.some((secret) => value.includes(secret))) continue;
    kept.push([name, truncate(value)]);
  }
  // fromEntries defines own properties, so a header called `__proto__` cannot touch the prototype.
  return Object.fromEntries(kept);
}

function truncate(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= MAX_LOGGED_HEADER_BYTES) return value;
  const marker = '…';
  const room = MAX_LOGGED_HEADER_BYTES - Buffer.byteLength(marker, 'utf8');
  // Decoding a cut through a multi-byte character leaves U+FFFD at the end; drop it.
  const cut = Buffer.from(value, 'utf8')
    .subarray(0, room)
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return cut + marker;
}
