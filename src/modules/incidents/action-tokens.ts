import { constantTimeEqual, hmac } from '../../lib/crypto.js';
import { isUuid } from '../../lib/ids.js';

/**
 * One-click action links: `<token id>.<base64url HMAC-SHA256(key, id)>`. The key is derived from
 * the master key, so only this installation mints links; the id names a row that says which
 * incident, which action, for whom, until when, and whether it was used.
 */
export function actionTokenKey(masterKey: Buffer): Buffer {
  return hmac('sha256', masterKey, 'klaxon incident action links v1');
}

export function signActionToken(key: Buffer, id: string): string {
  return `${id}.${hmac('sha256', key, id).toString('base64url')}`;
}

/** The token id when the signature is ours; undefined for anything else. */
export function verifyActionToken(key: Buffer, token: string): string | undefined {
  const dot = token.indexOf('.');
  if (dot === -1) return undefined;
  const id = token.slice(0, dot);
  if (!isUuid(id)) return undefined;
  const expected = hmac('sha256', key, id).toString('base64url');
  return constantTimeEqual(token.slice(dot + 1), expected) ? id : undefined;
}
