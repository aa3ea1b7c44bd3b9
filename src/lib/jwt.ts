import { createHmac, createSign, type KeyObject } from 'node:crypto';
import { constantTimeEqual } from './crypto.js';

/** Compact JWTs (RFC 7519), only the two algorithms the SMS and voice providers use. */
const base64url = (value: Buffer | string) => Buffer.from(value).toString('base64url');

export function signJwtRs256(claims: Record<string, unknown>, privateKey: string | KeyObject): string {
  const input = `${base64url(JSON.stringify({ alg: 'RS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createSign('RSA-SHA256').update(input).sign(privateKey).toString('base64url')}`;
}

export function signJwtHs256(claims: Record<string, unknown>, secret: string): string {
  const input = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}

/** The claims of an HS256 token signed with `secret`, or undefined (malformed, other algorithm, bad signature). */
export function verifyJwtHs256(token: string, secret: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const [header = '', payload = '', signature = ''] = parts;
  try {
    const decoded = JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as { alg?: unknown };
    if (decoded.alg !== 'HS256') return undefined;
    const expected = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    if (!constantTimeEqual(expected, signature)) return undefined;
    const claims: unknown = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    return typeof claims === 'object' && claims !== null && !Array.isArray(claims)
      ? (claims as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
