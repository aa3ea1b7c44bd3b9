import { randomBytes } from 'node:crypto';
import { sha256Hex } from '../../lib/crypto.js';

/**
 * API keys look like `klx_<43 base64url chars>` (32 CSPRNG bytes). Only the SHA-256 of the key
 * is stored; the first 12 characters are kept as a display prefix so people can tell keys apart.
 */
export const API_KEY_PREFIX = 'klx_';
const KEY_BYTES = 32;
const DISPLAY_PREFIX_LENGTH = 12;

export function generateApiKey(): { key: string; keyHash: string; keyPrefix: string } {
  const key = API_KEY_PREFIX + randomBytes(KEY_BYTES).toString('base64url');
  return { key, keyHash: hashApiKey(key), keyPrefix: key.slice(0, DISPLAY_PREFIX_LENGTH) };
}

export function hashApiKey(key: string): string {
  return sha256Hex(key);
}

/** A cheap shape check that spares the database a lookup for obvious garbage. */
export function looksLikeApiKey(candidate: string): boolean {
  return /^klx_[A-Za-z0-9_-]{43}$/.test(candidate);
}
