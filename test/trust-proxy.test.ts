import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * Sign-in attempts are limited per client address and per account at that address, so one
 * attacker cannot lock everyone out (issue 18, finding 5). Behind a TLS proxy the client address
 * and protocol come from X-Forwarded-For / X-Forwarded-Proto, but only from proxies that
 * KLAXON_TRUST_PROXY trusts.
 */
const PASSWORD = 'correct horse battery';
// Lowered from the default 30 so the test does few password hashes; the logic is the same.
const IP_LIMIT = 4;
const sessionPolicy = { loginAttemptsPerIpPerMinute: IP_LIMIT, loginAttemptsPerMinute: 2 };

let off: TestApp;
let nearest: TestApp;
let listed: TestApp;

async function withAdmin(t: TestApp) {
  await t.services.bootstrapAdminService.bootstrap({ email: 'root@example.com', password: PASSWORD });
  return t;
}

beforeAll(async () => {
  off = await withAdmin(await createTestApp({ sessionPolicy }));
  nearest = await withAdmin(await createTestApp({ sessionPolicy, trustProxy: 'nearest-hop' }));
  listed = await withAdmin(await createTestApp({ sessionPolicy, trustProxy: ['10.0.0.0/8', '192.0.2.1'] }));
});
afterAll(async () => {
  await Promise.all([off?.close(), nearest?.close(), listed?.close()]);
});

function login(
  t: TestApp,
  peer: string,
  options: { email?: string; password?: string; headers?: Record<string, string> },
) {
  return t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: options.email ?? 'root@example.com', password: options.password ?? 'wrong password!' },
    remoteAddress: peer,
    headers: options.headers ?? {},
  });
}

/** IP_LIMIT failed sign-ins for unknown accounts, each claiming a different forwarded client. */
async function hammer(t: TestApp, peer: string, forwardedFor: (attempt: number) => string | undefined) {
  for (let attempt = 0; attempt < IP_LIMIT; attempt++) {
    const forwarded = forwardedFor(attempt);
    const response = await login(t, peer, {
      email: `nobody-${attempt}@example.com`,
      headers: forwarded === undefined ? {} : { 'x-forwarded-for': forwarded },
    });
    expect(response.statusCode).toBe(401);
  }
}

describe('sign-in limits', () => {
  it('one address hammering is limited; the right password from another address still works', async () => {
    await hammer(off, '198.51.100.66', () => undefined);
    expect((await login(off, '198.51.100.66', { password: PASSWORD })).statusCode).toBe(429);
    expect((await login(off, '198.51.100.67', { password: PASSWORD })).statusCode).toBe(200);
  });

  it('failures against one account at one address do not lock that account elsewhere', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      expect((await login(off, '198.51.100.80', {})).statusCode).toBe(401);
    }
    const limited = await login(off, '198.51.100.80', { password: PASSWORD });
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect((await login(off, '198.51.100.81', { password: PASSWORD })).statusCode).toBe(200);
  });
});

describe('KLAXON_TRUST_PROXY', () => {
  it('is false by default and parses true and lists of addresses and CIDRs; anything else stops start-up', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ KLAXON_TRUST_PROXY: 'true' }).trustProxy).toBe('nearest-hop');
    expect(loadConfig({ KLAXON_TRUST_PROXY: '10.0.0.0/8, 192.0.2.1,::1' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '192.0.2.1',
      '::1',
    ]);
    expect(() => loadConfig({ KLAXON_TRUST_PROXY: 'yes' })).toThrow(/KLAXON_TRUST_PROXY/);
    expect(() => loadConfig({ KLAXON_TRUST_PROXY: '10.0.0.0/40' })).toThrow(/KLAXON_TRUST_PROXY/);
  });

  it('off: X-Forwarded-For is ignored, so a client cannot escape the limit by naming other addresses', async () => {
    await hammer(off, '203.0.113.9', (attempt) => `198.18.0.${attempt}`);
    const response = await login(off, '203.0.113.9', {
      password: PASSWORD,
      headers: { 'x-forwarded-for': '198.18.1.1', 'x-forwarded-proto': 'https' },
    });
    expect(response.statusCode).toBe(429);
    const direct = await login(off, '203.0.113.10', { password: PASSWORD, headers: { 'x-forwarded-proto': 'https' } });
    expect(direct.statusCode).toBe(200);
    expect(String(direct.headers['set-cookie'])).not.toMatch(/Secure/);
  });

  it('true: the client behind the proxy is limited, not everyone behind it; spoofed hops do not help', async () => {
    const proxy = '10.1.1.1';
    await hammer(nearest, proxy, () => '203.0.113.50');
    const spoofed = await login(nearest, proxy, {
      password: PASSWORD,
      headers: { 'x-forwarded-for': '1.2.3.4, 203.0.113.50' },
    });
    expect(spoofed.statusCode).toBe(429);
    const victim = await login(nearest, proxy, {
      password: PASSWORD,
      headers: { 'x-forwarded-for': '203.0.113.51', 'x-forwarded-proto': 'https' },
    });
    expect(victim.statusCode).toBe(200);
    expect(String(victim.headers['set-cookie'])).toMatch(/; Secure/);
  });

  it('a list: only hops from listed proxies are believed, for the address and for Secure cookies', async () => {
    // An unlisted peer's forwarded headers are ignored: it is limited as itself.
    await hammer(listed, '198.51.100.200', (attempt) => `198.18.2.${attempt}`);
    expect(
      (await login(listed, '198.51.100.200', { password: PASSWORD, headers: { 'x-forwarded-for': '198.18.3.1' } }))
        .statusCode,
    ).toBe(429);
    const unlisted = await login(listed, '198.51.100.201', {
      password: PASSWORD,
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(unlisted.statusCode).toBe(200);
    expect(String(unlisted.headers['set-cookie'])).not.toMatch(/Secure/);

    // A listed proxy's are: the client it names is the one limited.
    await hammer(listed, '10.2.2.2', () => '203.0.113.70');
    const viaProxy = await login(listed, '10.2.2.2', {
      password: PASSWORD,
      headers: { 'x-forwarded-for': '203.0.113.71', 'x-forwarded-proto': 'https' },
    });
    expect(viaProxy.statusCode).toBe(200);
    expect(String(viaProxy.headers['set-cookie'])).toMatch(/; Secure/);
  });
});
