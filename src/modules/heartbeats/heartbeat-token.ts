import { randomBytes } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../../lib/crypto.js';

/**
 * Ping tokens look like `hb_<43 base64url chars>` (32 CSPRNG bytes). Only the SHA-256 is stored,
 * with a short display prefix; a ping is found by the hash of what it presents.
 */
const TOKEN_PREFIX = 'hb_';
const TOKEN_BYTES = 32;
const DISPLAY_PREFIX_LENGTH = 10;
const TOKEN_SHAPE = /^hb_[A-Za-z0-9_-]{43}$/;

export function generatePingToken(): { token: string; tokenHash: string; tokenPrefix: string } {
  const token = TOKEN_PREFIX + randomBytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: sha256Hex(token), tokenPrefix: token.slice(0, DISPLAY_PREFIX_LENGTH) };
}

/** Garbage is refused without a database lookup. */
export const looksLikePingToken = (candidate: string) => TOKEN_SHAPE.test(candidate);

export const hashPingToken = (token: string) => sha256Hex(token);

/** The stored hash against the presented token's, in constant time (the index lookup only narrowed it down). */
export const pingTokenMatches = (token: string, storedHash: string) => constantTimeEqual(sha256Hex(token), storedHash);
