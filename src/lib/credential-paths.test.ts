import { describe, expect, it } from 'vitest';
import { withoutCredentials } from './credential-paths.js';

describe('withoutCredentials', () => {
  it('replaces the token of a password link, keeping the rest of the URL', () => {
    expect(withoutCredentials('/api/auth/password-links/abc_DEF-123?x=1')).toBe(
      '/api/auth/password-links/[redacted]?x=1',
    );
  });

  it('replaces the token of a one-click incident action link and of a calendar feed', () => {
    expect(withoutCredentials('/api/incidents/actions/tok.en-1')).toBe('/api/incidents/actions/[redacted]');
    expect(withoutCredentials('/ical/abcdef.ics')).toBe('/ical/[redacted]');
  });

  it('leaves other URLs alone', () => {
    expect(withoutCredentials('/api/users/123/password-link')).toBe('/api/users/123/password-link');
    expect(withoutCredentials('/x/api/auth/password-links/abc')).toBe('/x/api/auth/password-links/abc');
  });
});
