import type { RequestHeaders } from './types.js';

/** Longest header value a scheme will parse; Node's own limit for all headers is 16 KiB. */
export const MAX_SIGNATURE_HEADER_LENGTH = 8192;

/**
 * The value of header `name` (case-insensitive), repeated headers joined with `separator`;
 * undefined when absent.
 */
export function readHeader(headers: RequestHeaders, name: string, separator = ','): string | undefined {
  const wanted = name.toLowerCase();
  let value = Object.hasOwn(headers, wanted) ? headers[wanted] : undefined;
  if (value === undefined) {
    for (const [key, candidate] of Object.entries(headers)) {
      if (key.toLowerCase() === wanted && candidate !== undefined) {
        value = candidate;
        break;
      }
    }
  }
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value.join(separator) : value;
}

const HEX = /^[0-9a-f]+$/i;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Strict hex decoding (Buffer.from silently stops at the first bad digit); undefined when malformed. */
export function decodeHex(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 2 !== 0 || !HEX.test(value)) return undefined;
  return Buffer.from(value, 'hex');
}

/** Strict standard-alphabet base64 decoding, padding optional; undefined when malformed. */
export function decodeBase64(value: string): Buffer | undefined {
  if (value.length === 0 || value.length % 4 === 1 || !BASE64.test(value)) return undefined;
  return Buffer.from(value, 'base64');
}

/** `value` without `prefix` (compared case-insensitively), or undefined when it does not start with it. */
export function stripPrefix(value: string, prefix: string): string | undefined {
  if (prefix === '') return value;
  if (value.length < prefix.length) return undefined;
  return value.slice(0, prefix.length).toLowerCase() === prefix.toLowerCase() ? value.slice(prefix.length) : undefined;
}
