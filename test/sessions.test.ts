import { sql } from 'drizzle-orm';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, hmacHex } from './helpers/webhooks.js';

const HOUR = 60 * 60 * 1000;
let clock = new Date('2026-06-01T08:00:00Z');
let t: TestApp;
let admin: { userId: string; apiKey: string };
const PASSWORD = 'correct horse battery staple';

function cookieOf(response: LightMyRequestResponse): string {
  const header = response.headers['set-cookie'];
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) throw new Error('no set-cookie');
  return value.split(';')[0] ?? '';
}

async function login(email: string, password = PASSWORD, ip = '10.0.0.1') {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password },
    remoteAddress: ip,
  });
  return response;
}

let nextAddress = 100;
/** Each sign-in from its own address, so the attempt limit (tested on its own below) stays out of the way. */
async function signIn(email: string) {
  const response = await login(email, PASSWORD, `10.0.1.${nextAddress++}`);
  expect(response.statusCode).toBe(200);
  return { cookie: cookieOf(response), csrf: response.json().csrfToken as string };
}

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.services.bootstrapAdminService.bootstrap({ email: 'root@example.com', password: PASSWORD });
});
afterAll(() => t.close());

describe('sign-in', () => {
  it('sets an HTTP-only, SameSite=Strict session cookie and stores only the token hash', async () => {
    const response = await login('Root@Example.com');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      email: 'root@example.com',
      isPlatformAdmin: true,
      authMethod: 'session',
    });
    expect(response.json().csrfToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const setCookie = String(response.headers['set-cookie']);
    expect(setCookie).toMatch(/^klaxon_session=[A-Za-z0-9_-]{43}; Path=\/; Max-Age=604800; HttpOnly; SameSite=Strict$/);
    expect(setCookie).not.toContain('Secure');
    const token = cookieOf(response).split('=')[1] ?? '';
    const rows = await t.database.db.execute<{ token_hash: string }>(sql`select token_hash from sessions`);
    const stored = JSON.stringify(rows);
    expect(stored).not.toContain(token);
    expect(stored).toMatch(/[0-9a-f]{64}/);
  });

  it('marks the cookie Secure when the request came over TLS', async () => {
    // light-my-request cannot speak TLS; an encrypted socket is what request.protocol checks.
    const tls = await createTestApp({
      extend: (app) => {
        app.addHook('onRequest', async (request) => {
          Object.defineProperty(request.raw.socket, 'encrypted', { value: true, configurable: true });
        });
      },
    });
    try {
      await tls.services.bootstrapAdminService.bootstrap({ email: 'tls@example.com', password: PASSWORD });
      const response = await tls.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'tls@example.com', password: PASSWORD },
      });
      expect(response.statusCode).toBe(200);
      expect(String(response.headers['set-cookie'])).toMatch(/; HttpOnly; SameSite=Strict; Secure$/);
    } finally {
      await tls.close();
    }
  });

  it('answers the same 401 for a wrong password and an unknown email, audited for known users', async () => {
    const wrong = await login('root@example.com', 'not the password', '10.0.0.2');
    const unknown = await login('nobody@example.com', 'not the password', '10.0.0.2');
    for (const response of [wrong, unknown]) {
      expect(response.statusCode).toBe(401);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().type).toMatch(/invalid-credentials$/);
      expect(response.headers['set-cookie']).toBeUndefined();
    }
    expect(wrong.json().detail).toBe(unknown.json().detail);
    const audit = await t.request({
      method: 'GET',
      url: '/api/audit-logs?action=session.login_failed',
      key: admin.apiKey,
    });
    expect(audit.json().entries[0]).toMatchObject({ userId: admin.userId, severity: 'MEDIUM' });
  });

  it('a user without a password cannot sign in', async () => {
    const user = await t.createUser(admin.apiKey, 'nopassword@example.com');
    expect(user.userId).toBeTruthy();
    const response = await login('nopassword@example.com', '', '10.0.0.3');
    expect(response.statusCode).toBe(400);
    const attempt = await login('nopassword@example.com', 'anything-at-all', '10.0.0.3');
    expect(attempt.statusCode).toBe(401);
  });

  it('rate-limits attempts per email and address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++)
      statuses.push((await login('root@example.com', 'wrong-password', '10.0.0.9')).statusCode);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    const limited = await login('root@example.com', PASSWORD, '10.0.0.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.json().type).toMatch(/rate-limited$/);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected, and the bucket refills with time.
    expect((await login('root@example.com', PASSWORD, '10.0.0.10')).statusCode).toBe(200);
    clock = new Date(clock.getTime() + 60_000);
    expect((await login('root@example.com', PASSWORD, '10.0.0.9')).statusCode).toBe(200);
  });
});

describe('session cookie on the API', () => {
  it('GET /api/auth/me works with the cookie and with an API key', async () => {
    const { cookie, csrf } = await signIn('root@example.com');
    const me = await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json()).toMatchObject({ id: admin.userId, authMethod: 'session', csrfToken: csrf });
    const byKey = await t.request({ method: 'GET', url: '/api/auth/me', key: admin.apiKey });
    expect(byKey.json()).toMatchObject({ id: admin.userId, authMethod: 'api-key', csrfToken: null });
    const none = await t.request({ method: 'GET', url: '/api/auth/me' });
    expect(none.statusCode).toBe(401);
    const garbage = await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: 'klaxon_session=nope' } });
    expect(garbage.statusCode).toBe(401);
  });

  it('authenticates existing routes like an API key, with the same access rules', async () => {
    const { cookie, csrf } = await signIn('root@example.com');
    const list = await t.request({ method: 'GET', url: '/api/integrations', headers: { cookie } });
    expect(list.statusCode).toBe(200);
    const created = await t.request({
      method: 'POST',
      url: '/api/integrations',
      headers: { cookie, 'x-klaxon-csrf': csrf },
      body: { name: 'from-console', type: 'generic' },
    });
    expect(created.statusCode).toBe(201);
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?resourceId=${created.json().id}`,
      headers: { cookie },
    });
    expect(audit.json().entries[0]).toMatchObject({ action: 'integration.created', userId: admin.userId });

    // A non-admin's session gets 403 on admin routes, as its API key would.
    const user = await t.createUser(admin.apiKey, 'member@example.com');
    await t.request({
      method: 'PUT',
      url: `/api/users/${user.userId}/password`,
      key: admin.apiKey,
      body: { password: PASSWORD },
    });
    const member = await signIn('member@example.com');
    const forbidden = await t.request({ method: 'GET', url: '/api/integrations', headers: { cookie: member.cookie } });
    expect(forbidden.statusCode).toBe(403);
    const ownKeys = await t.request({ method: 'GET', url: '/api/api-keys', headers: { cookie: member.cookie } });
    expect(ownKeys.statusCode).toBe(200);
  });

  it('requires the CSRF header on unsafe cookie requests; API keys are exempt', async () => {
    const { cookie, csrf } = await signIn('root@example.com');
    const body = { name: 'csrf-check', type: 'generic' };
    const missing = await t.request({ method: 'POST', url: '/api/integrations', headers: { cookie }, body });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().type).toMatch(/csrf-check-failed$/);
    const wrong = await t.request({
      method: 'POST',
      url: '/api/integrations',
      headers: { cookie, 'x-klaxon-csrf': `${csrf.slice(0, -1)}x` },
      body,
    });
    expect(wrong.statusCode).toBe(403);
    const other = await signIn('root@example.com');
    const crossed = await t.request({
      method: 'POST',
      url: '/api/integrations',
      headers: { cookie, 'x-klaxon-csrf': other.csrf },
      body,
    });
    expect(crossed.statusCode).toBe(403);
    const byKey = await t.request({ method: 'POST', url: '/api/integrations', key: admin.apiKey, body });
    expect(byKey.statusCode).toBe(201);
    const logoutWithoutCsrf = await t.request({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
    expect(logoutWithoutCsrf.statusCode).toBe(403);
  });

  it('logout revokes the session at once and clears the cookie; audited', async () => {
    const { cookie, csrf } = await signIn('root@example.com');
    const logout = await t.request({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, 'x-klaxon-csrf': csrf },
    });
    expect(logout.statusCode).toBe(204);
    expect(String(logout.headers['set-cookie'])).toMatch(
      /^klaxon_session=; Path=\/; Max-Age=0; HttpOnly; SameSite=Strict/,
    );
    const after = await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(after.statusCode).toBe(401);
    const audit = await t.request({ method: 'GET', url: '/api/audit-logs?resourceType=session', key: admin.apiKey });
    const actions = audit.json().entries.map((entry: { action: string }) => entry.action);
    expect(actions).toContain('session.created');
    expect(actions).toContain('session.revoked');
  });

  /**
   * The request does not wait for its last-seen write (it is made in the background): waits for
   * the write of a request made at `at` (the fake clock makes the instant unique), instead of a
   * pause a loaded machine could outlast.
   */
  async function lastSeenWritten(at: Date): Promise<void> {
    for (let tries = 0; ; tries++) {
      const { rows } = await t.database.executeSql('SELECT 1 FROM sessions WHERE last_seen_at = $1', [at]);
      if (rows.length > 0) return;
      if (tries === 1_000) throw new Error(`no session was seen at ${at.toISOString()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('expires after 12 hours idle and after 7 days whatever the activity', async () => {
    const idle = await signIn('root@example.com');
    clock = new Date(clock.getTime() + 11 * HOUR);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: idle.cookie } })).statusCode).toBe(
      200,
    );
    await lastSeenWritten(clock);
    clock = new Date(clock.getTime() + 11 * HOUR);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: idle.cookie } })).statusCode).toBe(
      200,
    );
    await lastSeenWritten(clock);
    clock = new Date(clock.getTime() + 12 * HOUR + 1000);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: idle.cookie } })).statusCode).toBe(
      401,
    );

    const active = await signIn('root@example.com');
    for (let day = 0; day < 7; day++) {
      clock = new Date(clock.getTime() + 10 * HOUR);
      await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: active.cookie } });
      await lastSeenWritten(clock);
      clock = new Date(clock.getTime() + 10 * HOUR);
      await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: active.cookie } });
      await lastSeenWritten(clock);
    }
    // 140 hours in, recently active: still valid until the 7-day mark.
    clock = new Date(clock.getTime() + 29 * HOUR);
    const expired = await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie: active.cookie } });
    expect(expired.statusCode).toBe(401);
  });

  it('setting a password ends the user’s sessions', async () => {
    const { cookie } = await signIn('root@example.com');
    const reset = await t.request({
      method: 'PUT',
      url: `/api/users/${admin.userId}/password`,
      key: admin.apiKey,
      body: { password: PASSWORD },
    });
    expect(reset.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const tooShort = await t.request({
      method: 'PUT',
      url: `/api/users/${admin.userId}/password`,
      key: admin.apiKey,
      body: { password: 'short' },
    });
    expect(tooShort.statusCode).toBe(400);
  });
});

describe('test alert', () => {
  it('signs a sample with the secret server-side and sends it through the webhook path', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'test-alert-target', type: 'generic' });
    const sent = await t.request({
      method: 'POST',
      url: `/api/integrations/${integration.id}/test-alert`,
      key: admin.apiKey,
    });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ httpStatus: 202 });
    expect(sent.body).not.toContain(integration.webhookSecret);
    expect(hmacHex(integration.webhookSecret, '{}')).toHaveLength(64);
    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${integration.id}/deliveries`,
      key: admin.apiKey,
    });
    expect(deliveries.json().deliveries[0]).toMatchObject({ status: 'accepted', id: sent.json().deliveryId });
    const counted = await t.request({ method: 'GET', url: `/api/integrations/${integration.id}`, key: admin.apiKey });
    expect(counted.json()).toMatchObject({ alertCount: 1, webhookCount: 1 });
  });

  it.each(['alertmanager', 'grafana', 'datadog', 'newrelic', 'pagerduty'])(
    'works for %s integrations with their default scheme',
    async (type) => {
      const integration = await createIntegration(t, admin.apiKey, { name: `test-${type}`, type });
      const sent = await t.request({
        method: 'POST',
        url: `/api/integrations/${integration.id}/test-alert`,
        key: admin.apiKey,
      });
      expect(sent.json()).toMatchObject({ httpStatus: 202 });
    },
  );

  it('works with the standard-webhooks scheme', async () => {
    const integration = await createIntegration(t, admin.apiKey, {
      name: 'test-standard',
      type: 'generic',
      signatureScheme: 'standard-webhooks',
    });
    const sent = await t.request({
      method: 'POST',
      url: `/api/integrations/${integration.id}/test-alert`,
      key: admin.apiKey,
    });
    expect(sent.json()).toMatchObject({ httpStatus: 202 });
  });
});
