import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/lib/ids.js';
import { createTestApp } from './helpers/app.js';

/**
 * One shared set of auth checks, run against every route under /api/ that the app registered.
 * The list comes from `app.routeAccess`, so a new route is covered the moment it exists.
 */

/** /api/ routes that are deliberately open to anyone. Adding one here is a security decision. */
const PUBLIC_API_ROUTES = new Set<string>([
  // Signing in is how a person without a session gets one; it is rate-limited and audited.
  'POST /api/auth/login',
  // One-click links in notifications: the signed, expiring, single-use token is the credential.
  'GET /api/incidents/actions/:token',
  'POST /api/incidents/actions/:token',
  // Mattermost buttons: Mattermost signs nothing; the signed single-use token in the context is the credential.
  'POST /api/providers/mattermost/actions',
  // Invite and reset links: the random, expiring, single-use token is the credential; rate-limited.
  'GET /api/auth/password-links/:token',
  'POST /api/auth/password-links/:token',
  // Single sign-on: what the sign-in page offers, and the OpenID Connect redirect pair (the
  // provider's signed ID token, a single-use state bound to the browser, and PKCE are the proof).
  'GET /api/auth/methods',
  'GET /api/auth/oidc/login',
  'GET /api/auth/oidc/callback',
  // SMS and voice provider callbacks: the provider's signature (or the gateway's token) is the credential.
  'POST /api/providers/twilio/sms/inbound',
  'POST /api/providers/twilio/sms/status',
  'POST /api/providers/twilio/voice/gather',
  'POST /api/providers/twilio/voice/status',
  'POST /api/providers/vonage/messages/inbound',
  'POST /api/providers/vonage/messages/status',
  'POST /api/providers/vonage/voice/input',
  'POST /api/providers/vonage/voice/event',
  'POST /api/providers/sms-gateway/inbound',
  // The Slack app's buttons and slash command: Slack's X-Slack-Signature (v0, 5-minute window) is the credential.
  'POST /api/providers/slack/interactions',
  'POST /api/providers/slack/commands',
  // First run: whether setup is needed (the CLI command only while no user exists), and creating
  // the first admin with the random single-use setup token printed at start-up; rate-limited.
  'GET /api/setup',
  'POST /api/setup',
  // Heartbeat pings from cron jobs and scripts: the random ping token is the credential; rate-limited.
  'GET /api/heartbeats/ping/:token',
  'POST /api/heartbeats/ping/:token',
  'GET /api/heartbeats/ping',
  'POST /api/heartbeats/ping',
]);

const t = await createTestApp();
const admin = await t.createAdmin('matrix-admin@example.com');
const user = await t.createUser(admin.apiKey, 'matrix-user@example.com');
const revokedKey = await (async () => {
  const created = await t.request({ method: 'POST', url: '/api/api-keys', key: user.apiKey, body: { name: 'doomed' } });
  const revoked = await t.request({ method: 'DELETE', url: `/api/api-keys/${created.json().id}`, key: user.apiKey });
  if (revoked.statusCode !== 204) throw new Error(`could not revoke the test key: ${revoked.body}`);
  return created.json().key as string;
})();
afterAll(() => t.close());

const apiRoutes = t.app.routeAccess
  .filter((route) => route.url.startsWith('/api/'))
  .map((route) => ({ ...route, path: route.url.replace(/:[A-Za-z0-9_]+/g, () => uuidv7()) }));
const protectedRoutes = apiRoutes.filter((route) => !PUBLIC_API_ROUTES.has(`${route.method} ${route.url}`));

function call(route: { method: string; path: string }, authorization?: string): Promise<LightMyRequestResponse> {
  const hasBody = !['GET', 'DELETE', 'OPTIONS'].includes(route.method);
  return t.request({
    method: route.method,
    url: route.path,
    headers: authorization === undefined ? {} : { authorization },
    // A body that would fail validation: authentication must be decided before the body is looked at.
    ...(hasBody ? { body: { unexpected: true } } : {}),
  });
}

/**
 * Alertmanager's API (/api/v2/) answers errors as Alertmanager does, a JSON string in
 * application/json, because amtool cannot read problem+json (CONTRACT.md).
 */
const isAlertmanagerApi = (response: LightMyRequestResponse) =>
  new URL(response.raw.req.url ?? '/', 'http://x').pathname.startsWith('/api/v2/');

function expectProblem(response: LightMyRequestResponse, status: number, slug: string) {
  expect(response.statusCode, response.body).toBe(status);
  if (isAlertmanagerApi(response)) {
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(typeof response.json()).toBe('string');
    return;
  }
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  const body = response.json();
  expect(body.type).toMatch(new RegExp(`/${slug}$`));
  expect(body.status).toBe(status);
}

describe('the route matrix', () => {
  it('is not empty and covers the known routes with the right access level', () => {
    expect(apiRoutes.length).toBeGreaterThanOrEqual(6);
    const levels = apiRoutes.map(({ method, url, access }) => ({ method, url, access }));
    expect(levels).toEqual(
      expect.arrayContaining([
        { method: 'POST', url: '/api/users', access: 'admin' },
        { method: 'GET', url: '/api/users', access: 'admin' },
        { method: 'POST', url: '/api/api-keys', access: 'user' },
        { method: 'GET', url: '/api/api-keys', access: 'user' },
        { method: 'DELETE', url: '/api/api-keys/:id', access: 'user' },
        { method: 'GET', url: '/api/audit-logs', access: 'admin' },
      ]),
    );
  });

  it('has no public route under /api/ except those listed on purpose', () => {
    const open = apiRoutes.filter((route) => route.access === 'public').map((r) => `${r.method} ${r.url}`);
    expect(open.filter((route) => !PUBLIC_API_ROUTES.has(route))).toEqual([]);
  });
});

describe.each(protectedRoutes)('$method $url ($access)', (route) => {
  it('without an Authorization header: 401 problem+json with WWW-Authenticate: Bearer', async () => {
    const response = await call(route);
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
    if (!isAlertmanagerApi(response)) expect(response.json().instance).toBe(route.path);
  });

  it.each([
    ['a malformed key', () => 'Bearer not-a-klaxon-key'],
    ['a non-Bearer scheme', () => `Basic ${Buffer.from('admin:admin').toString('base64')}`],
    ['an empty Bearer', () => 'Bearer '],
    ['an unknown well-formed key', () => `Bearer klx_${randomBytes(32).toString('base64url')}`],
    ['a revoked key', () => `Bearer ${revokedKey}`],
  ])('with %s: 401', async (_label, authorization) => {
    const response = await call(route, authorization());
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toMatch(/^Bearer\b/);
  });

  if (route.access === 'admin') {
    it("with a non-admin user's key: 403 forbidden", async () => {
      expectProblem(await call(route, `Bearer ${user.apiKey}`), 403, 'forbidden');
    });
  } else {
    it("with a non-admin user's key: authenticated (not 401)", async () => {
      const response = await call(route, `Bearer ${user.apiKey}`);
      expect(response.statusCode, response.body).not.toBe(401);
    });
  }

  it("with an admin's key: never 401 or 403", async () => {
    const response = await call(route, `Bearer ${admin.apiKey}`);
    expect([401, 403], response.body).not.toContain(response.statusCode);
    expect(response.statusCode).toBeLessThan(500);
  });
});
