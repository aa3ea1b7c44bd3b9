import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin('root@example.com');
});
afterAll(() => t.close());

describe('users', () => {
  it('an admin creates a user and lists it; the email is normalised and unique', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      key: admin.apiKey,
      body: { email: 'Alice@Example.com', name: 'Alice' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ email: 'alice@example.com', name: 'Alice', isPlatformAdmin: false });
    expect(created.json()).not.toHaveProperty('passwordHash');

    const duplicate = await t.request({
      method: 'POST',
      url: '/api/users',
      key: admin.apiKey,
      body: { email: 'ALICE@example.com' },
    });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().type).toMatch(/duplicate-user$/);

    const list = await t.request({ method: 'GET', url: '/api/users', key: admin.apiKey });
    expect(list.statusCode).toBe(200);
    expect(list.json().users.map((u: { email: string }) => u.email)).toContain('alice@example.com');
  });

  it('rejects unknown fields and invalid emails with validation errors', async () => {
    const unknown = await t.request({
      method: 'POST',
      url: '/api/users',
      key: admin.apiKey,
      body: { email: 'bob@example.com', role: 'owner' },
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().errors).toContainEqual({ path: 'role', message: 'unknown field' });

    const invalid = await t.request({ method: 'POST', url: '/api/users', key: admin.apiKey, body: { email: 'nope' } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().errors[0].path).toBe('email');
  });

  it('writes user.created to the audit trail', async () => {
    await t.request({ method: 'POST', url: '/api/users', key: admin.apiKey, body: { email: 'carol@example.com' } });
    const audit = await t.request({ method: 'GET', url: '/api/audit-logs?action=user.created', key: admin.apiKey });
    const entry = audit
      .json()
      .entries.find((e: { metadata: { email?: string } }) => e.metadata.email === 'carol@example.com');
    expect(entry).toMatchObject({ action: 'user.created', userId: admin.userId, resourceType: 'user' });
  });
});

describe('api keys', () => {
  it('shows the key once, stores only its hash, and lists without the key', async () => {
    const created = await t.request({ method: 'POST', url: '/api/api-keys', key: admin.apiKey, body: { name: 'ci' } });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    expect(body).toMatchObject({ name: 'ci', userId: admin.userId });
    expect(body.key).toMatch(/^klx_[A-Za-z0-9_-]{43}$/);
    expect(body.key.startsWith(body.keyPrefix)).toBe(true);

    const list = await t.request({ method: 'GET', url: '/api/api-keys', key: admin.apiKey });
    expect(list.body).not.toContain(body.key);
    expect(list.json().apiKeys.map((k: { id: string }) => k.id)).toContain(body.id);

    const raw = await t.database.db.execute<{ key_hash: string }>(
      // Reading the raw row proves the table holds a hash, not the key.
      (await import('drizzle-orm')).sql`select key_hash from api_keys where id = ${body.id}`,
    );
    const row = (raw as unknown as { rows: Array<{ key_hash: string }> }).rows[0];
    expect(row?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(body.key);
  });

  it('a user manages only their own keys; an admin manages everyone’s', async () => {
    const alice = await t.createUser(admin.apiKey, 'key-owner@example.com');
    const bob = await t.createUser(admin.apiKey, 'other@example.com');

    const own = await t.request({ method: 'POST', url: '/api/api-keys', key: alice.apiKey, body: { name: 'laptop' } });
    expect(own.statusCode).toBe(201);
    expect(own.json().userId).toBe(alice.userId);

    const forOther = await t.request({
      method: 'POST',
      url: '/api/api-keys',
      key: alice.apiKey,
      body: { name: 'x', userId: bob.userId },
    });
    expect(forOther.statusCode).toBe(403);

    const aliceList = await t.request({ method: 'GET', url: '/api/api-keys', key: alice.apiKey });
    const owners = new Set(aliceList.json().apiKeys.map((k: { userId: string }) => k.userId));
    expect([...owners]).toEqual([alice.userId]);

    const bobsKeys = await t.request({ method: 'GET', url: '/api/api-keys', key: bob.apiKey });
    const bobKeyId = bobsKeys.json().apiKeys[0].id;
    const revokeOther = await t.request({ method: 'DELETE', url: `/api/api-keys/${bobKeyId}`, key: alice.apiKey });
    // CONTRACT: owner or admin; authenticated but not allowed is 403.
    expect(revokeOther.statusCode).toBe(403);
    expect(revokeOther.json().type).toMatch(/\/forbidden$/);
    const bobStill = await t.request({ method: 'GET', url: '/api/api-keys', key: bob.apiKey });
    expect(bobStill.statusCode).toBe(200);

    const adminAll = await t.request({ method: 'GET', url: '/api/api-keys', key: admin.apiKey });
    const allOwners = new Set(adminAll.json().apiKeys.map((k: { userId: string }) => k.userId));
    expect(allOwners.has(alice.userId) && allOwners.has(bob.userId)).toBe(true);
  });

  it('a revoked key stops working at once and the revocation is audited', async () => {
    const user = await t.createUser(admin.apiKey, 'revokee@example.com');
    const before = await t.request({ method: 'GET', url: '/api/api-keys', key: user.apiKey });
    expect(before.statusCode).toBe(200);
    const keyId = before.json().apiKeys[0].id;

    const revoked = await t.request({ method: 'DELETE', url: `/api/api-keys/${keyId}`, key: user.apiKey });
    expect(revoked.statusCode).toBe(204);

    const after = await t.request({ method: 'GET', url: '/api/api-keys', key: user.apiKey });
    expect(after.statusCode).toBe(401);

    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?action=api_key.revoked&resourceId=${keyId}`,
      key: admin.apiKey,
    });
    expect(audit.json().entries).toHaveLength(1);
    expect(audit.json().entries[0]).toMatchObject({ userId: user.userId, severity: 'MEDIUM' });
  });

  it('an admin creating a key for an unknown user gets 404', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/api/api-keys',
      key: admin.apiKey,
      body: { name: 'x', userId: '01900000-0000-7000-8000-000000000000' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toMatch(/user-not-found$/);
  });
});
