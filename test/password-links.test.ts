import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { mailText, startSmtpServer } from './helpers/paging.js';

const HOUR = 60 * 60 * 1000;
const PASSWORD = 'correct horse battery staple';
let clock = new Date('2026-06-01T08:00:00Z');
let t: TestApp;
let admin: { userId: string; apiKey: string };

let nextAddress = 1;
/** Each public call from its own address, so the attempt limit (tested on its own below) stays out of the way. */
const freshAddress = () => `10.9.${Math.floor(nextAddress / 250)}.${(nextAddress++ % 250) + 1}`;

async function createLink(userId: string, key = admin.apiKey) {
  return t.request({ method: 'POST', url: `/api/users/${userId}/password-link`, key });
}

function tokenOf(url: string): string {
  const token = new URL(url).hash.replace(/^#token=/, '');
  expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  return token;
}

const describeLink = (token: string, remoteAddress = freshAddress()) =>
  t.app.inject({ method: 'GET', url: `/api/auth/password-links/${token}`, remoteAddress });
const redeemLink = (token: string, password = PASSWORD, remoteAddress = freshAddress()) =>
  t.app.inject({
    method: 'POST',
    url: `/api/auth/password-links/${token}`,
    payload: { password },
    remoteAddress,
  });
const login = (email: string, password = PASSWORD) =>
  t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password }, remoteAddress: freshAddress() });

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.createAdmin('links-admin@example.com');
});
afterAll(() => t.close());

describe('password links', () => {
  it('invite: the link shows whose account it is, sets the password once, and the user signs in', async () => {
    const user = await t.createUser(admin.apiKey, 'invitee@example.com');
    const created = await createLink(user.userId);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.headers['cache-control']).toBe('no-store');
    const { url, purpose, expiresAt } = created.json();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:3000\/set-password#token=/);
    expect(purpose).toBe('invite');
    expect(expiresAt).toBe(new Date(clock.getTime() + 24 * HOUR).toISOString());
    const token = tokenOf(url);

    const described = await describeLink(token);
    expect(described.statusCode).toBe(200);
    expect(described.json()).toEqual({ email: 'invitee@example.com', purpose: 'invite', expiresAt });

    expect((await login('invitee@example.com')).statusCode).toBe(401);
    const used = await redeemLink(token);
    expect(used.statusCode, used.body).toBe(204);
    expect((await login('invitee@example.com')).statusCode).toBe(200);

    // Once only.
    for (const again of [await redeemLink(token, 'another password'), await describeLink(token)]) {
      expect(again.statusCode).toBe(410);
      expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(again.json()).toMatchObject({ type: expect.stringMatching(/password-link-invalid$/) });
      expect(again.json().detail).toMatch(/already used/);
    }
    expect((await login('invitee@example.com', 'another password')).statusCode).toBe(401);

    const audit = await t.request({ method: 'GET', url: '/api/audit-logs?limit=100', key: admin.apiKey });
    const actions = audit.json().entries.map((entry: { action: string }) => entry.action);
    expect(actions).toContain('user.password_link_created');
    expect(actions).toContain('user.password_set_by_link');
    const rows = JSON.stringify((await t.database.db.execute(sql`select * from password_links`)).rows);
    expect(rows).not.toContain(token);
  });

  it('a user with a password gets a reset link, and using it ends their sessions', async () => {
    const user = await t.createUser(admin.apiKey, 'resetter@example.com');
    await t.services.sessionsService.setPassword({ userId: user.userId }, 'the old password', admin.userId);
    const signedIn = await login('resetter@example.com', 'the old password');
    const cookie = String(signedIn.headers['set-cookie']).split(';')[0] ?? '';
    const me = () => t.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect((await me()).statusCode).toBe(200);

    const created = await createLink(user.userId);
    expect(created.json().purpose).toBe('reset');
    expect((await redeemLink(tokenOf(created.json().url))).statusCode).toBe(204);
    expect((await me()).statusCode).toBe(401);
    expect((await login('resetter@example.com', 'the old password')).statusCode).toBe(401);
    expect((await login('resetter@example.com')).statusCode).toBe(200);
  });

  it('a new link revokes the earlier unused one', async () => {
    const user = await t.createUser(admin.apiKey);
    const first = tokenOf((await createLink(user.userId)).json().url);
    const second = tokenOf((await createLink(user.userId)).json().url);
    const stale = await redeemLink(first);
    expect(stale.statusCode).toBe(410);
    expect(stale.json().detail).toMatch(/newer link/);
    expect((await redeemLink(second)).statusCode).toBe(204);
  });

  it('an expired link answers 410 and sets nothing', async () => {
    const user = await t.createUser(admin.apiKey, 'late@example.com');
    const token = tokenOf((await createLink(user.userId)).json().url);
    const start = clock;
    clock = new Date(start.getTime() + 24 * HOUR);
    try {
      const expired = await redeemLink(token);
      expect(expired.statusCode).toBe(410);
      expect(expired.json().detail).toMatch(/expired/);
      expect((await describeLink(token)).statusCode).toBe(410);
    } finally {
      clock = start;
    }
    expect((await login('late@example.com')).statusCode).toBe(401);
  });

  it('unknown or malformed tokens answer 404 problem+json', async () => {
    for (const token of ['A'.repeat(43), 'not-a-token']) {
      for (const response of [await describeLink(token), await redeemLink(token)]) {
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.json().type).toMatch(/password-link-not-found$/);
      }
    }
  });

  it('the password policy applies', async () => {
    const user = await t.createUser(admin.apiKey);
    const token = tokenOf((await createLink(user.userId)).json().url);
    const short = await redeemLink(token, 'short');
    expect(short.statusCode).toBe(400);
    expect((await redeemLink(token)).statusCode).toBe(204);
  });

  it('two concurrent uses of one link: exactly one sets the password', async () => {
    const user = await t.createUser(admin.apiKey, 'racer@example.com');
    const token = tokenOf((await createLink(user.userId)).json().url);
    const results = await Promise.all([redeemLink(token, 'first password'), redeemLink(token, 'second password')]);
    const statuses = results.map((response) => response.statusCode).sort();
    expect(statuses).toEqual([204, 410]);
    const winner = results[0]?.statusCode === 204 ? 'first password' : 'second password';
    const loser = winner === 'first password' ? 'second password' : 'first password';
    expect((await login('racer@example.com', winner)).statusCode).toBe(200);
    expect((await login('racer@example.com', loser)).statusCode).toBe(401);
    const audited = await t.database.db.execute(
      sql`select count(*)::int as count from audit_logs where action = 'user.password_set_by_link' and resource_id = ${user.userId}`,
    );
    expect(audited.rows[0]).toEqual({ count: 1 });
  });

  it('only admins create links: 401 without credentials, 403 for members, 404 for unknown users', async () => {
    const member = await t.createUser(admin.apiKey);
    expect((await t.request({ method: 'POST', url: `/api/users/${member.userId}/password-link` })).statusCode).toBe(
      401,
    );
    expect((await createLink(member.userId, member.apiKey)).statusCode).toBe(403);
    expect((await createLink('00000000-0000-7000-8000-000000000000')).statusCode).toBe(404);
  });

  it('asked to email the link without SMTP configured: 400, and no link is made', async () => {
    const user = await t.createUser(admin.apiKey);
    const refused = await t.request({
      method: 'POST',
      url: `/api/users/${user.userId}/password-link`,
      key: admin.apiKey,
      body: { email: true },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().detail).toMatch(/SMTP_URL/);
    const links = await t.database.db.execute(sql`select id from password_links where user_id = ${user.userId}`);
    expect(links.rows).toEqual([]);
  });

  it('rate-limits the public routes per address with 429 and Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await describeLink('B'.repeat(43), '10.8.0.1')).statusCode);
    expect(statuses.slice(0, 30).every((status) => status === 404)).toBe(true);
    const limited = await redeemLink('B'.repeat(43), PASSWORD, '10.8.0.1');
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('the token never reaches the logs or the audit log', async () => {
    const user = await t.createUser(admin.apiKey);
    const token = tokenOf((await createLink(user.userId)).json().url);
    await describeLink(token);
    await redeemLink(token);
    const audit = JSON.stringify((await t.database.db.execute(sql`select * from audit_logs`)).rows);
    expect(audit).not.toContain(token);
    expect(t.logs.join('\n')).not.toContain(token);
    expect(t.logs.join('\n')).toContain('/api/auth/password-links/[redacted]');
  });
});

describe('emailed password links', () => {
  it('sends the link to the user over SMTP and still returns it once', async () => {
    const smtp = await startSmtpServer();
    const mailing = await createTestApp({ incidents: { smtpUrl: smtp.url, smtpFrom: 'Klaxon <klaxon@example.com>' } });
    try {
      const owner = await mailing.createAdmin();
      const user = await mailing.createUser(owner.apiKey, 'mailed@example.com');
      const created = await mailing.request({
        method: 'POST',
        url: `/api/users/${user.userId}/password-link`,
        key: owner.apiKey,
        body: { email: true },
      });
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json()).toMatchObject({ purpose: 'invite', emailed: true, emailError: null });
      expect(smtp.mails).toHaveLength(1);
      expect(smtp.mails[0]?.to).toEqual(['mailed@example.com']);
      expect(mailText(smtp.mails[0]?.raw ?? '')).toContain(created.json().url);
    } finally {
      await mailing.close();
      await smtp.close();
    }
  });
});
