import type { SignatureAlgorithm, SignatureFormat } from '../../../core/integrations.js';
import { constantTimeEqual, hmac } from '../../../lib/crypto.js';
import { decodeBase64, decodeHex, MAX_SIGNATURE_HEADER_LENGTH, readHeader, stripPrefix } from './headers.js';
import type { PreparedCheck, SignatureConfig, VerifyInput } from './types.js';

/** More comma-separated signatures than this in one header is refused rather than parsed. */
export const MAX_HMAC_SIGNATURES = 16;

/** The digest part of an `hmac` header: hex (lowercase) or base64 of HMAC-<alg>(key, body). */
export function signHmac(algorithm: SignatureAlgorithm, format: SignatureFormat, key: Buffer, body: Buffer): string {
  return hmac(algorithm, key, body).toString(format);
}

/**
 * Parses `<header>: <prefix><digest>[,<prefix><digest>…]`. Entries are trimmed; the prefix is
 * compared case-insensitively; hex and base64 are decoded strictly and compared as bytes.
 */
export function prepareHmac(config: SignatureConfig, input: VerifyInput): PreparedCheck {
  const value = readHeader(input.headers, config.header, ',');
  if (value === undefined) return { ok: false, reason: `missing ${config.header} header` };
  if (value.trim() === '') return { ok: false, reason: `${config.header} header is empty` };
  if (value.length > MAX_SIGNATURE_HEADER_LENGTH) return { ok: false, reason: `${config.header} header is too long` };

  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > MAX_HMAC_SIGNATURES) {
    return { ok: false, reason: `more than ${MAX_HMAC_SIGNATURES} signatures in ${config.header} header` };
  }

  const candidates: Buffer[] = [];
  let wrongPrefix = false;
  for (const entry of entries) {
    const digest = stripPrefix(entry, config.prefix);
    if (digest === undefined) {
      wrongPrefix = true;
      continue;
    }
    const decoded = config.format === 'hex' ? decodeHex(digest.trim()) : decodeBase64(digest.trim());
    if (decoded !== undefined) candidates.push(decoded);
  }
  if (candidates.length === 0) {
    return {
      ok: false,
      reason: wrongPrefix
        ? `${config.header} header does not start with the expected prefix`
        : `${config.header} header is not a ${config.format} signature`,
    };
  }

  return {
    ok: true,
    mismatchReason: 'signature did not match',
    matches: (key) => {
      const expected = hmac(config.algorithm, key, input.rawBody);
      let matched = false;
      for (const candidate of candidates) matched = constantTimeEqual(candidate, expected) || matched;
      return matched;
    },
  };
}
