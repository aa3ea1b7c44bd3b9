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

  it('replaces the token of a path written plainly (lowercase, no encoding, no dots), as of any other', () => {
    expect(withoutCredentials('/api/heartbeats/ping/abc123')).toBe('/api/heartbeats/ping/[redacted]');
    expect(withoutCredentials('/api/auth/password-links/tok-1_2')).toBe('/api/auth/password-links/[redacted]');
    expect(withoutCredentials('/ical/tok')).toBe('/ical/[redacted]');
    expect(withoutCredentials('/webhooks/alerts/prod-alertmanager')).toBe('/webhooks/alerts/prod-alertmanager');
  });

  it('leaves other URLs alone', () => {
    expect(withoutCredentials('/api/users/123/password-link')).toBe('/api/users/123/password-link');
    expect(withoutCredentials('/x/api/auth/password-links/abc')).toBe('/x/api/auth/password-links/abc');
  });
});

describe('withoutCredentials on other spellings of the same path', () => {
  it.each([
    ['/api/auth/%70assword-links/tok', '/api/auth/password-links/[redacted]'],
    ['/api/auth/%2570assword-links/tok', '/api/auth/password-links/[redacted]'],
    ['//api//auth/password-links/tok', '/api/auth/password-links/[redacted]'],
    ['/api/./auth/x/../password-links/tok', '/api/auth/password-links/[redacted]'],
    ['/API/AUTH/Password-Links/tok', '/api/auth/password-links/[redacted]'],
    ['/api/auth/password-links/tok%2Fmore', '/api/auth/password-links/[redacted]'],
    ['/%69cal/tok.ics?x=1', '/ical/[redacted]?x=1'],
    ['/api/auth/password-links/%ff%fe', '/api/auth/password-links/[redacted]'],
  ])('%s → %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });

  it('redacts credential-bearing query parameters, whatever their encoding, and keeps the others', () => {
    expect(withoutCredentials('/api/x?token=abc&limit=5')).toBe('/api/x?token=[redacted]&limit=5');
    expect(withoutCredentials('/api/x?%74oken=abc')).toBe('/api/x?%74oken=[redacted]');
    expect(withoutCredentials('/cb?code=abc&state=def')).toBe('/cb?code=[redacted]&state=[redacted]');
    expect(withoutCredentials('/api/x?API_KEY=abc')).toBe('/api/x?API_KEY=[redacted]');
  });

  it('never throws on malformed percent-encoding', () => {
    expect(withoutCredentials('/api/%zz/%')).toBe('/api/%zz/%');
  });
});
