import { describe, expect, it } from 'vitest';
import { createTestApp } from './helpers/app.js';

/**
 * A credential in a URL (password link, one-click action link, calendar feed) must not reach a
 * log line or a problem's `instance` however the client spells the path: percent-encoded letters,
 * double encoding, repeated or dot segments, another letter case, or a token in the query string.
 */
describe('credentials in URLs are redacted from logs whatever their spelling', () => {
  const token = 'tok3n-Secret_Value-0123456789abcdef';
  const spellings = [
    `/api/auth/%70assword-links/${token}`,
    `/api/auth/password%2Dlinks/${token}`,
    `/api/auth/%2570assword-links/${token}`,
    `//api/auth/password-links/${token}`,
    `/api/./auth/password-links/${token}`,
    `/api/x/../auth/password-links/${token}`,
    `/API/Auth/Password-Links/${token}`,
    `/api/incidents/%61ctions/${token}`,
    `/%69cal/${token}.ics`,
    `/api/auth/password-links/${encodeURIComponent(token).replace(/t/g, '%74')}`,
    `/api/users?token=${token}`,
    `/api/users?access_token=${token}&x=1`,
    `/api/users?%74oken=${token}`,
  ];

  it('no log line and no response carries the token', async () => {
    const t = await createTestApp();
    try {
      for (const url of spellings) {
        const response = await t.request({ method: 'GET', url });
        expect(response.body, url).not.toContain(token);
      }
      const joined = t.logs.join('\n');
      expect(joined).toContain('[redacted]');
      expect(joined).not.toContain(token);
      expect(joined).not.toContain('tok3n');
    } finally {
      await t.close();
    }
  });
});
