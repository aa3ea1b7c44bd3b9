/** Minimal RFC 6265 cookie handling: enough for the one session cookie, no dependency. */

export function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  if (header === undefined || header.length > 8192) return cookies;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    const name = part.slice(0, index).trim();
    let value = part.slice(index + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    // The first occurrence wins, as in browsers' own ordering (most specific path first).
    if (!cookies.has(name)) cookies.set(name, value);
  }
  return cookies;
}

export interface CookieOptions {
  maxAgeSeconds: number;
  secure: boolean;
  /** `/` unless given. */
  path?: string;
  /**
   * `Strict` unless given. `Lax` only for a cookie that must come back on a top-level navigation
   * from another site (the single sign-on callback from the identity provider).
   */
  sameSite?: 'Strict' | 'Lax';
}

/** `HttpOnly; SameSite=Strict; Path=/` by default; `Secure` when the request came over TLS. */
export function serializeSessionCookie(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${value}`,
    `Path=${options.path ?? '/'}`,
    `Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`,
    'HttpOnly',
    `SameSite=${options.sameSite ?? 'Strict'}`,
  ];
  if (options.maxAgeSeconds <= 0) parts.push('Expires=Thu, 01 Jan 1970 00:00:00 GMT');
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}
