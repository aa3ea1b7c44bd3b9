import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { setupToken } from '../src/db/schema/index.js';
import { createServices } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/** First run: the one-time setup link that creates the first admin while no user exists. */
const ADMIN = { email: 'First.Admin@example.com', name: 'Ada Admin', password: 'first run password' };
const expectedDatabase = process.env.DATABASE_URL ? 'postgres' : 'embedded';

let t: TestApp;
afterEach(() => t?.close());

let nextAddress = 1;
const freshAddress = () => `10.7.0.${nextAddress++}`;
const createFirstAdmin = (token: string, body: Record<string, unknown> = ADMIN) =>
  t.app.inject({ method: 'POST', url: '/api/setup', payload: { token, ...body }, remoteAddress: freshAddress() });

async function userCount(): Promise<number> {
  return (await t.services.usersService.list()).length;
}

describe('first run', () => {
  it('while no user exists, the setup link creates the admin once, signs them in, and is audited', async () => {
    t = await createTestApp();
    const status = await t.request({ method: 'GET', url: '/api/setup' });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ setupNeeded: true, database: expectedDatabase });
    expect(status.json().command).toContain('npm run cli -- bootstrap-admin');

    const token = await t.services.setupService.tokenWhileNoUser();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Every process and every restart prints the same link until it is used.
    expect(await t.services.setupService.tokenWhileNoUser()).toBe(token);
    const [stored] = await t.database.db.select().from(setupToken);
    expect(JSON.stringify(stored)).not.toContain(token);

    const wrong = await createFirstAdmin(randomBytes(32).toString('base64url'));
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json().type).toMatch(/\/setup-link-invalid$/);
    expect(await userCount()).toBe(0);

    const created = await createFirstAdmin(token as string);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({
      email: 'first.admin@example.com',
      name: 'Ada Admin',
      isPlatformAdmin: true,
      authMethod: 'session',
    });
    const cookie = String(created.headers['set-cookie']).split(';')[0] as string;
    const me = await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
    expect(me.json().email).toBe('first.admin@example.com');

    // The admin can also sign in with the password chosen on the setup page.
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: ADMIN.email, password: ADMIN.password },
      remoteAddress: freshAddress(),
    });
    expect(login.statusCode).toBe(200);

    const again = await createFirstAdmin(token as string, { ...ADMIN, email: 'second@example.com' });
    expect(again.statusCode).toBe(410);
    expect(again.json().type).toMatch(/\/setup-complete$/);
    expect(await userCount()).toBe(1);
    expect((await t.request({ method: 'GET', url: '/api/setup' })).json()).toEqual({ setupNeeded: false });
    expect(await t.services.setupService.tokenWhileNoUser()).toBeUndefined();
    expect(await t.database.db.select().from(setupToken)).toEqual([]);

    const audit = await t.services.auditService.list({ action: 'user.created', limit: 10 });
    expect(audit.entries).toHaveLength(1);
    expect(audit.entries[0]).toMatchObject({
      userId: created.json().id,
      resourceId: created.json().id,
      severity: 'HIGH',
      metadata: { via: 'setup-link', isPlatformAdmin: true },
    });
  });

  it('stops working once a user exists, even one made by the CLI after the link was printed', async () => {
    t = await createTestApp();
    const token = (await t.services.setupService.tokenWhileNoUser()) as string;
    await t.services.bootstrapAdminService.bootstrap({ email: 'cli-admin@example.com' });
    const used = await createFirstAdmin(token);
    expect(used.statusCode).toBe(410);
    expect(await userCount()).toBe(1);
  });

  it('of two concurrent uses of the link, exactly one creates an admin', async () => {
    t = await createTestApp();
    const token = (await t.services.setupService.tokenWhileNoUser()) as string;
    const answers = await Promise.all([
      createFirstAdmin(token, { ...ADMIN, email: 'one@example.com' }),
      createFirstAdmin(token, { ...ADMIN, email: 'two@example.com' }),
    ]);
    expect(answers.map((answer) => answer.statusCode).sort()).toEqual([201, 410]);
    expect(await userCount()).toBe(1);
  });

  it('a process with a rotated master key prints a new link, and the old one stops working', async () => {
    t = await createTestApp();
    const old = (await t.services.setupService.tokenWhileNoUser()) as string;
    const rotated = createServices({ database: t.database, masterKey: randomBytes(32) });
    const fresh = await rotated.setupService.tokenWhileNoUser();
    expect(fresh).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(fresh).not.toBe(old);
    expect((await createFirstAdmin(old)).statusCode).toBe(403);
    expect((await createFirstAdmin(fresh as string)).statusCode).toBe(201);
  });

  it('refuses unknown fields, a short password and a missing name with 400, creating no one', async () => {
    t = await createTestApp();
    const token = (await t.services.setupService.tokenWhileNoUser()) as string;
    for (const body of [
      { ...ADMIN, isPlatformAdmin: false },
      { ...ADMIN, password: 'short' },
      { email: ADMIN.email, password: ADMIN.password },
    ]) {
      const answer = await createFirstAdmin(token, body);
      expect(answer.statusCode, JSON.stringify(body)).toBe(400);
      expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    }
    expect(await userCount()).toBe(0);
  });
});
