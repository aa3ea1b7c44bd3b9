import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SsoConfig } from '../src/config.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { type FakeTokenProvider, startFakeTokenProvider } from './helpers/fake-oidc-token-provider.js';
import { startTestOidcProvider, type TestOidcProvider } from './helpers/oidc-provider.js';

const REDIRECT_URL = 'http://127.0.0.1:3000/api/auth/oidc/callback';

function ssoConfig(provider: { issuer: string; clientId: string; clientSecret: string }): SsoConfig {
  return {
    issuer: provider.issuer,
    clientId: provider.clientId,
    clientSecret: provider.clientSecret,
    redirectUrl: REDIRECT_URL,
    scopes: 'openid email profile groups',
    groupsClaim: 'groups',
    adminGroups: ['klaxon-admins'],
    teamMapping: [
      { group: 'sre-leads', team: 'SRE', role: 'manager' },
      { group: 'sre', team: 'SRE', role: 'member' },
      { group: 'dba', team: 'databases', role: 'member' },
    ],
    allowHttp: true,
  };
}

function cookieFrom(response: LightMyRequestResponse, name: string): string | undefined {
  const header = response.headers['set-cookie'];
  const lines = Array.isArray(header) ? header : header === undefined ? [] : [header];
  const line = lines.find((candidate) => candidate.startsWith(`${name}=`) && !candidate.startsWith(`${name}=;`));
  return line?.split(';')[0]?.slice(name.length + 1);
}

/** GET /api/auth/oidc/login as a browser would: the provider URL and the binding cookie. */
async function startLogin(t: TestApp) {
  const login = await t.request({ method: 'GET', url: '/api/auth/oidc/login' });
  expect(login.statusCode).toBe(302);
  const browserToken = cookieFrom(login, 'klaxon_oidc');
  expect(browserToken).toBeDefined();
  return { authorizationUrl: String(login.headers.location), browserCookie: `klaxon_oidc=${browserToken}` };
}

function callback(t: TestApp, url: URL, cookie: string | undefined, accept?: string) {
  return t.request({
    method: 'GET',
    url: `${url.pathname}${url.search}`,
    headers: { ...(cookie === undefined ? {} : { cookie }), ...(accept === undefined ? {} : { accept }) },
  });
}

describe('single sign-on with a real OpenID provider (oidc-provider on loopback)', () => {
  let provider: TestOidcProvider;
  let t: TestApp;
  let adminKey: string;
  const teamIds: Record<string, string> = {};

  beforeAll(async () => {
    provider = await startTestOidcProvider({ redirectUri: REDIRECT_URL });
    t = await createTestApp({ sso: ssoConfig(provider) });
    adminKey = (await t.createAdmin('root@example.com')).apiKey;
    for (const name of ['SRE', 'Databases', 'Web']) {
      const created = await t.request({ method: 'POST', url: '/api/teams', key: adminKey, body: { name } });
      expect(created.statusCode).toBe(201);
      teamIds[name] = created.json().id;
    }
  });

  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  async function signIn(accountId: string) {
    const { authorizationUrl, browserCookie } = await startLogin(t);
    const back = await provider.signInAt(authorizationUrl, accountId);
    const response = await callback(t, back, browserCookie);
    return { response, back, browserCookie };
  }

  async function me(sessionToken: string) {
    const response = await t.request({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: `klaxon_session=${sessionToken}` },
    });
    expect(response.statusCode).toBe(200);
    return response.json() as { id: string; email: string; name: string; isPlatformAdmin: boolean; authMethod: string };
  }

  async function rolesOf(userId: string): Promise<Record<string, string>> {
    const roles: Record<string, string> = {};
    for (const [name, id] of Object.entries(teamIds)) {
      const members = await t.request({ method: 'GET', url: `/api/teams/${id}/members`, key: adminKey });
      const member = (members.json().members as Array<{ userId: string; role: string }>).find(
        (row) => row.userId === userId,
      );
      if (member !== undefined) roles[name] = member.role;
    }
    return roles;
  }

  it('tells the console that single sign-on is offered and passwords still work', async () => {
    const methods = await t.request({ method: 'GET', url: '/api/auth/methods' });
    expect(methods.statusCode).toBe(200);
    expect(methods.json()).toEqual({ sso: true, ssoOnly: false, ssoLoginUrl: '/api/auth/oidc/login' });
  });

  it('redirects to the provider with state, nonce and an S256 PKCE challenge', async () => {
    const { authorizationUrl } = await startLogin(t);
    const url = new URL(authorizationUrl);
    expect(url.origin).toBe(provider.issuer);
    expect(url.searchParams.get('client_id')).toBe('klaxon');
    expect(url.searchParams.get('redirect_uri')).toBe(REDIRECT_URL);
    expect(url.searchParams.get('response_type')).toBe('code');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get('nonce')).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('creates the person on first sign-in, in the teams and with the role and admin flag their groups grant', async () => {
    provider.accounts.set('alice-sub', {
      email: 'Alice@Example.com',
      emailVerified: true,
      name: 'Alice Doe',
      groups: ['sre-leads', 'sre', 'dba', 'klaxon-admins'],
    });
    const { response } = await signIn('alice-sub');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/');
    const session = cookieFrom(response, 'klaxon_session');
    expect(session).toBeDefined();
    expect(String(response.headers['set-cookie'])).toMatch(
      /klaxon_session=[^;]+; Path=\/; .*HttpOnly; SameSite=Strict/,
    );

    const alice = await me(session as string);
    expect(alice).toMatchObject({
      email: 'alice@example.com',
      name: 'Alice Doe',
      isPlatformAdmin: true,
      authMethod: 'session',
    });
    expect(await rolesOf(alice.id)).toEqual({ SRE: 'manager', Databases: 'member' });

    const audit = await t.request({ method: 'GET', url: `/api/audit-logs?limit=50`, key: adminKey });
    const entries = audit.json().entries as Array<{ action: string; resourceId: string; metadata: never }>;
    expect(entries).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          action: 'user.created',
          resourceId: alice.id,
          metadata: expect.objectContaining({ via: 'sso', subject: 'alice-sub', isPlatformAdmin: true }),
        }),
        expect.objectContaining({
          action: 'team.member_added',
          resourceId: teamIds.SRE,
          metadata: expect.objectContaining({ memberId: alice.id, role: 'manager', via: 'sso' }),
        }),
        expect.objectContaining({ action: 'session.created', metadata: expect.objectContaining({ method: 'oidc' }) }),
      ]),
    );
  });

  it('on a later sign-in, follows the groups: role changed, SSO memberships removed, admin revoked, manual ones kept', async () => {
    const alice = (await t.request({ method: 'GET', url: '/api/users', key: adminKey }))
      .json()
      .users.find((user: { email: string }) => user.email === 'alice@example.com');
    // An admin adds Alice to Web by hand: single sign-on must leave that membership alone.
    const manual = await t.request({
      method: 'POST',
      url: `/api/teams/${teamIds.Web}/members`,
      key: adminKey,
      body: { userId: alice.id, role: 'manager' },
    });
    expect(manual.statusCode).toBe(201);

    provider.accounts.set('alice-sub', {
      email: 'alice@example.com',
      emailVerified: true,
      name: 'Alice Renamed',
      groups: ['sre'],
    });
    const { response } = await signIn('alice-sub');
    expect(response.statusCode).toBe(303);
    const again = await me(cookieFrom(response, 'klaxon_session') as string);
    expect(again).toMatchObject({ id: alice.id, name: 'Alice Renamed', isPlatformAdmin: false });
    expect(await rolesOf(alice.id)).toEqual({ SRE: 'member', Web: 'manager' });

    const audit = await t.request({ method: 'GET', url: `/api/audit-logs?userId=${alice.id}&limit=50`, key: adminKey });
    const actions = (audit.json().entries as Array<{ action: string; resourceId: string }>).map(
      (entry) => `${entry.action} ${entry.resourceId}`,
    );
    expect(actions).toEqual(
      expect.arrayContaining([
        `team.member_role_changed ${teamIds.SRE}`,
        `team.member_removed ${teamIds.Databases}`,
        `user.updated ${alice.id}`,
      ]),
    );
  });

  it('refuses a replayed state: the same callback a second time is 400 and opens no session', async () => {
    provider.accounts.set('replay-sub', {
      email: 'replay@example.com',
      emailVerified: true,
      name: 'Replay',
      groups: [],
    });
    const { response, back, browserCookie } = await signIn('replay-sub');
    expect(response.statusCode).toBe(303);
    const replayed = await callback(t, back, browserCookie);
    expect(replayed.statusCode).toBe(400);
    expect(replayed.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(replayed.json().type).toMatch(/\/sso-login-invalid$/);
    expect(cookieFrom(replayed, 'klaxon_session')).toBeUndefined();
  });

  it('refuses a callback from a browser other than the one that started the sign-in', async () => {
    provider.accounts.set('csrf-sub', { email: 'csrf@example.com', emailVerified: true, name: 'C', groups: [] });
    const { authorizationUrl } = await startLogin(t);
    const back = await provider.signInAt(authorizationUrl, 'csrf-sub');
    const withoutCookie = await callback(t, back, undefined);
    expect(withoutCookie.statusCode).toBe(400);
    expect(withoutCookie.json().type).toMatch(/\/sso-login-invalid$/);
  });

  it('sends a browser back to the sign-in page with an error code instead of a problem document', async () => {
    const unknown = await callback(
      t,
      new URL(`${REDIRECT_URL}?code=x&state=never-issued`),
      'klaxon_oidc=x',
      'text/html,application/xhtml+xml',
    );
    expect(unknown.statusCode).toBe(303);
    expect(unknown.headers.location).toBe('/login?sso_error=sso-login-invalid');
  });

  it('links an existing account by verified email, and refuses to link one whose email is not verified', async () => {
    const bob = await t.createUser(adminKey, 'bob@example.com');
    provider.accounts.set('bob-sub', { email: 'bob@example.com', emailVerified: true, name: 'Bob', groups: ['dba'] });
    const { response } = await signIn('bob-sub');
    expect(response.statusCode).toBe(303);
    expect((await me(cookieFrom(response, 'klaxon_session') as string)).id).toBe(bob.userId);
    expect(await rolesOf(bob.userId)).toEqual({ Databases: 'member' });

    await t.createUser(adminKey, 'carol@example.com');
    provider.accounts.set('carol-sub', { email: 'carol@example.com', emailVerified: false, name: 'C', groups: [] });
    const refused = await signIn('carol-sub');
    expect(refused.response.statusCode).toBe(409);
    expect(refused.response.json().type).toMatch(/\/sso-account-conflict$/);
  });

  it('never logs the authorization code or state of the callback', async () => {
    const { back } = await signIn('replay-sub');
    const code = back.searchParams.get('code') as string;
    expect(code.length).toBeGreaterThan(10);
    expect(t.logs.join('\n')).not.toContain(code);
  });
});

describe('single sign-on rejects ID tokens that do not prove the sign-in (hand-signed tokens)', () => {
  let provider: FakeTokenProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startFakeTokenProvider({ redirectUri: REDIRECT_URL });
    t = await createTestApp({ sso: ssoConfig(provider) });
  });

  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  async function signInWith(claims: (defaults: Record<string, unknown>) => Record<string, unknown>) {
    provider.idTokenClaims = claims;
    const { authorizationUrl, browserCookie } = await startLogin(t);
    const requestsBefore = provider.tokenRequests;
    const response = await callback(t, provider.authorize(authorizationUrl), browserCookie);
    expect(provider.tokenRequests).toBe(requestsBefore + 1);
    return response;
  }

  it('accepts a well-formed token (the control case)', async () => {
    const response = await signInWith((defaults) => defaults);
    expect([response.statusCode, response.body]).toEqual([303, '']);
    expect(cookieFrom(response, 'klaxon_session')).toBeDefined();
  });

  it('reports the provider refusing the sign-in (error=access_denied) as 401 sso-rejected, without a code exchange', async () => {
    const { authorizationUrl, browserCookie } = await startLogin(t);
    const state = new URL(authorizationUrl).searchParams.get('state') as string;
    const requestsBefore = provider.tokenRequests;
    const denied = new URL(REDIRECT_URL);
    denied.search = new URLSearchParams({ error: 'access_denied', state }).toString();
    const response = await callback(t, denied, browserCookie);
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({ detail: 'The provider answered access_denied' });
    expect(provider.tokenRequests).toBe(requestsBefore);
  });

  it.each([
    ['a wrong issuer', (d: Record<string, unknown>) => ({ ...d, iss: 'https://evil.example.com' }), /"iss"/],
    ['a wrong audience', (d: Record<string, unknown>) => ({ ...d, aud: 'some-other-client' }), /"aud"/],
    [
      'an expired token',
      (d: Record<string, unknown>) => ({ ...d, iat: Number(d.iat) - 7200, exp: Number(d.iat) - 3600 }),
      /"exp"/,
    ],
    ['a missing nonce', ({ nonce: _nonce, ...d }: Record<string, unknown>) => d, /"nonce".*missing/],
    [
      'another sign-in’s nonce',
      (d: Record<string, unknown>) => ({ ...d, nonce: 'not-the-nonce-we-sent' }),
      /"nonce" claim value/,
    ],
  ])('refuses %s with 401 sso-rejected, creating no user and no session', async (_case, claims, reason) => {
    const usersBefore = await t.services.usersService.list();
    const response = await signInWith(claims);
    expect(response.statusCode).toBe(401);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().type).toMatch(/\/sso-rejected$/);
    expect(response.json().detail).toMatch(reason);
    expect(cookieFrom(response, 'klaxon_session')).toBeUndefined();
    expect(await t.services.usersService.list()).toHaveLength(usersBefore.length);
  });
});

describe('SSO-only mode', () => {
  let provider: FakeTokenProvider;
  let t: TestApp;

  beforeAll(async () => {
    provider = await startFakeTokenProvider({ redirectUri: REDIRECT_URL });
    t = await createTestApp({
      sso: ssoConfig(provider),
      passwordSignIn: { ssoOnly: true, breakGlassEmail: 'glass@example.com' },
    });
    const admin = await t.createAdmin('glass@example.com');
    const other = await t.createUser(admin.apiKey, 'person@example.com');
    await t.services.sessionsService.setPassword({ email: 'glass@example.com' }, 'break-glass-password', null);
    await t.services.sessionsService.setPassword({ userId: other.userId }, 'person-password', null);
  });

  afterAll(async () => {
    await t?.close();
    await provider?.close();
  });

  it('says so to the console', async () => {
    const methods = await t.request({ method: 'GET', url: '/api/auth/methods' });
    expect(methods.json()).toEqual({ sso: true, ssoOnly: true, ssoLoginUrl: '/api/auth/oidc/login' });
  });

  it('refuses password sign-in with 403 password-sign-in-disabled, even with the right password', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      body: { email: 'person@example.com', password: 'person-password' },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().type).toMatch(/\/password-sign-in-disabled$/);
    expect(cookieFrom(login, 'klaxon_session')).toBeUndefined();
  });

  it('lets the break-glass admin sign in with a password', async () => {
    const login = await t.request({
      method: 'POST',
      url: '/api/auth/login',
      body: { email: 'Glass@Example.com', password: 'break-glass-password' },
    });
    expect(login.statusCode).toBe(200);
    expect(login.json()).toMatchObject({ email: 'glass@example.com', isPlatformAdmin: true });
  });
});

describe('without single sign-on configured', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });

  it('offers passwords only and answers the SSO routes 404 sso-not-configured', async () => {
    expect((await t.request({ method: 'GET', url: '/api/auth/methods' })).json()).toEqual({
      sso: false,
      ssoOnly: false,
      ssoLoginUrl: null,
    });
    const login = await t.request({ method: 'GET', url: '/api/auth/oidc/login' });
    expect(login.statusCode).toBe(404);
    expect(login.json().type).toMatch(/\/sso-not-configured$/);
  });
});
