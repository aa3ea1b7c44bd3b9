import { constantTimeEqual, sha256Hex } from '../../../lib/crypto.js';
import { MAX_SIGNATURE_HEADER_LENGTH, readHeader, stripPrefix } from './headers.js';
import type { PreparedCheck, SignatureConfig, VerifyInput } from './types.js';

/**
 * `<header>: <prefix><webhookSecret>`, e.g. `Authorization: Bearer <secret>` from Alertmanager.
 * The prefix is compared case-insensitively and, when it ends in a space (`Bearer `), any run
 * of whitespace is accepted there. The token is compared as SHA-256 digests, constant-time and
 * without revealing its length.
 */
export function prepareToken(config: SignatureConfig, input: VerifyInput): PreparedCheck {
  const value = readHeader(input.headers, config.header, ',');
  if (value === undefined) return { ok: false, reason: `missing ${config.header} header` };
  if (value.trim() === '') return { ok: false, reason: `${config.header} header is empty` };
  if (value.length > MAX_SIGNATURE_HEADER_LENGTH) return { ok: false, reason: `${config.header} header is too long` };

  const trimmed = value.trim();
  const word = config.prefix.trim();
  const spaceAfterPrefix = config.prefix !== word && /\s$/.test(config.prefix);
  let rest = stripPrefix(trimmed, word);
  if (rest !== undefined && spaceAfterPrefix && word !== '' && rest !== '' && !/^\s/.test(rest)) rest = undefined;
  if (rest === undefined)
    return { ok: false, reason: `${config.header} header does not start with the expected prefix` };
  const token = rest.trim();
  if (token === '') return { ok: false, reason: `${config.header} header has no token` };

  const presented = sha256Hex(Buffer.from(token, 'utf8'));
  return {
    ok: true,
    mismatchReason: 'token did not match',
    matches: (key) => constantTimeEqual(presented, sha256Hex(key)),
  };
}
