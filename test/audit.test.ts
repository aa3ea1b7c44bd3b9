import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditSeverity } from '../src/core/audit.js';
import { auditLogs, users } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/lib/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin('audit-admin@example.com');
});
afterAll(() => t.close());

interface Entry {
  id: string;
  action: string;
  userId: string | null;
  resourceType: string;
  resourceId: string | null;
  severity: AuditSeverity;
  metadata: Record<string, unknown>;
  createdAt: string;
}

/** Records entries one transaction each, the way services do, and returns their ids in order. */
async function record(
  entries: Array<{ action: string; resourceType: string; resourceId?: string; userId?: string | null }>,
): Promise<string[]> {
  const ids: string[] = [];
  for (const entry of entries) {
    const row = await t.database.db.transaction((tx) =>
      t.services.auditService.record(tx, {
        action: entry.action,
        userId: entry.userId ?? null,
        resourceType: entry.resourceType,
        resourceId: entry.resourceId ?? null,
        severity: 'LOW',
        metadata: { n: ids.length },
      }),
    );
    ids.push(row.id);
  }
  return ids;
}

async function list(query: string): Promise<{ entries: Entry[]; nextCursor: string | null }> {
  const response = await t.request({ method: 'GET', url: `/api/audit-logs?${query}`, key: admin.apiKey });
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
}

describe('GET /api/audit-logs filters', () => {
  const type = `widget-${randomBytes(3).toString('hex')}`;
  const alice = uuidv7();
  const bob = uuidv7();
  let ids: string[];

  beforeAll(async () => {
    ids = await record([
      { action: 'widget.created', resourceType: type, resourceId: 'w-1', userId: alice },
      { action: 'widget.updated', resourceType: type, resourceId: 'w-1', userId: bob },
      { action: 'widget.created', resourceType: type, resourceId: 'w-2', userId: alice },
      { action: 'gadget.created', resourceType: `${type}-other`, resourceId: 'w-1', userId: bob },
    ]);
  });

  it('by resourceType, newest first, with the full entry shape', async () => {
    const page = await list(`resourceType=${type}`);
    expect(page.entries.map((e) => e.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(page.nextCursor).toBeNull();
    expect(page.entries[2]).toEqual({
      id: ids[0],
      action: 'widget.created',
      userId: alice,
      resourceType: type,
      resourceId: 'w-1',
      severity: 'LOW',
      metadata: { n: 0 },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
  });

  it('by action', async () => {
    const page = await list(`action=widget.created&resourceType=${type}`);
    expect(page.entries.map((e) => e.id)).toEqual([ids[2], ids[0]]);
    const gadgets = await list('action=gadget.created');
    expect(gadgets.entries.map((e) => e.id)).toEqual([ids[3]]);
  });

  it('by resourceId (across resource types) and by resourceType + resourceId', async () => {
    const anyType = await list('resourceId=w-1');
    expect(anyType.entries.map((e) => e.id)).toEqual([ids[3], ids[1], ids[0]]);
    const oneType = await list(`resourceType=${type}&resourceId=w-1`);
    expect(oneType.entries.map((e) => e.id)).toEqual([ids[1], ids[0]]);
  });

  it('by userId', async () => {
    expect((await list(`userId=${alice}`)).entries.map((e) => e.id)).toEqual([ids[2], ids[0]]);
    expect((await list(`userId=${bob}`)).entries.map((e) => e.id)).toEqual([ids[3], ids[1]]);
    expect((await list(`userId=${uuidv7()}`)).entries).toEqual([]);
  });

  it('records the actions of the API itself, attributed to the caller', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/users',
      key: admin.apiKey,
      body: { email: 'audited@example.com' },
    });
    const page = await list(`resourceType=user&resourceId=${created.json().id}`);
    expect(page.entries).toHaveLength(1);
    expect(page.entries[0]).toMatchObject({ action: 'user.created', userId: admin.userId, severity: 'MEDIUM' });
  });
});

describe('GET /api/audit-logs pagination', () => {
  const type = `paged-${randomBytes(3).toString('hex')}`;
  let ids: string[];

  beforeAll(async () => {
    ids = await record(
      Array.from({ length: 5 }, (_, i) => ({ action: 'paged.event', resourceType: type, resourceId: `${i}` })),
    );
  });

  it('walks every entry once, newest first, and ends with nextCursor null', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`resourceType=${type}&limit=2${cursor === null ? '' : `&cursor=${cursor}`}`);
      sizes.push(page.entries.length);
      seen.push(...page.entries.map((e) => e.id));
      cursor = page.nextCursor;
    } while (cursor !== null && sizes.length < 10);
    expect(sizes).toEqual([2, 2, 1]);
    expect(seen).toEqual([...ids].reverse());
  });

  it('a page that ends exactly on the last entry has nextCursor null', async () => {
    const all = await list(`resourceType=${type}&limit=5`);
    expect(all.entries).toHaveLength(5);
    expect(all.nextCursor).toBeNull();
  });

  it('keeps pages stable when newer entries arrive between requests', async () => {
    const first = await list(`resourceType=${type}&limit=2`);
    await record([{ action: 'paged.event', resourceType: type, resourceId: 'late' }]);
    const second = await list(`resourceType=${type}&limit=2&cursor=${first.nextCursor}`);
    expect(second.entries.map((e) => e.id)).toEqual([ids[2], ids[1]]);
  });

  it.each([
    ['garbage', 'not-a-cursor'],
    ['a base64url non-uuid', Buffer.from('hello world').toString('base64url')],
  ])('an invalid cursor (%s) is a 400 naming the cursor', async (_label, cursor) => {
    const response = await t.request({ method: 'GET', url: `/api/audit-logs?cursor=${cursor}`, key: admin.apiKey });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.json().type).toMatch(/validation-failed$/);
    expect(response.json().errors).toEqual([{ path: 'cursor', message: 'invalid cursor' }]);
  });

  it.each(['0', '201', 'ten'])('limit=%s is a 400', async (limit) => {
    const response = await t.request({ method: 'GET', url: `/api/audit-logs?limit=${limit}`, key: admin.apiKey });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0].path).toBe('limit');
  });
});

describe('audit entries are written in the same transaction as the change', () => {
  const email = () => `tx-${randomBytes(4).toString('hex')}@example.com`;

  async function changeWithAudit(userEmail: string, resourceId: string, fail: boolean) {
    await t.database.db.transaction(async (tx) => {
      await t.services.auditService.record(tx, {
        action: 'user.created',
        userId: admin.userId,
        resourceType: 'tx-test',
        resourceId,
        severity: 'INFO',
      });
      await tx.insert(users).values({ id: uuidv7(), email: userEmail, name: null, isPlatformAdmin: false });
      if (fail) throw new Error('the change failed after both writes');
    });
  }

  async function stored(userEmail: string, resourceId: string) {
    const userRows = await t.database.db.select().from(users).where(eq(users.email, userEmail));
    const auditRows = await t.database.db.select().from(auditLogs).where(eq(auditLogs.resourceId, resourceId));
    return { users: userRows.length, audit: auditRows.length };
  }

  it('both rows commit together', async () => {
    const [userEmail, resourceId] = [email(), uuidv7()];
    await changeWithAudit(userEmail, resourceId, false);
    expect(await stored(userEmail, resourceId)).toEqual({ users: 1, audit: 1 });
  });

  it('a failure after both writes stores neither', async () => {
    const [userEmail, resourceId] = [email(), uuidv7()];
    await expect(changeWithAudit(userEmail, resourceId, true)).rejects.toThrow('the change failed');
    expect(await stored(userEmail, resourceId)).toEqual({ users: 0, audit: 0 });
  });

  it('a failing change through the API (duplicate email) leaves no audit entry', async () => {
    const userEmail = email();
    const first = await t.request({ method: 'POST', url: '/api/users', key: admin.apiKey, body: { email: userEmail } });
    expect(first.statusCode).toBe(201);
    const second = await t.request({
      method: 'POST',
      url: '/api/users',
      key: admin.apiKey,
      body: { email: userEmail },
    });
    expect(second.statusCode).toBe(409);
    const entries = (await list('action=user.created&resourceType=user&limit=200')).entries.filter(
      (e) => e.metadata.email === userEmail,
    );
    expect(entries).toHaveLength(1);
  });
});

describe('the audit trail is append-only', () => {
  let id: string;
  beforeAll(async () => {
    [id] = (await record([{ action: 'immutable.event', resourceType: 'immutable' }])) as [string];
  });

  it('rejects a direct UPDATE', async () => {
    await expect(
      t.database.db.execute(sql`update audit_logs set action = 'rewritten' where id = ${id}`),
    ).rejects.toThrow();
    await expect(t.database.db.execute(sql`update audit_logs set metadata = '{}'`)).rejects.toThrow();
  });

  it('rejects a direct DELETE', async () => {
    await expect(t.database.db.execute(sql`delete from audit_logs where id = ${id}`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`delete from audit_logs`)).rejects.toThrow();
  });

  it('rejects a TRUNCATE, and the entry is still there', async () => {
    await expect(t.database.db.execute(sql`truncate audit_logs`)).rejects.toThrow();
    const [row] = await t.database.db.select().from(auditLogs).where(eq(auditLogs.id, id));
    expect(row?.action).toBe('immutable.event');
  });

  it('names the rule in the database error, and the entry is unchanged', async () => {
    const error = await t.database.db.execute(sql`delete from audit_logs where id = ${id}`).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    const messages: string[] = [];
    for (let current = error as { message?: string; cause?: unknown } | undefined; current; ) {
      messages.push(String(current.message));
      current = current.cause as typeof current;
    }
    expect(messages.join(' | ')).toContain('audit_logs is append-only');
    const [row] = await t.database.db.select().from(auditLogs).where(eq(auditLogs.id, id));
    expect(row?.action).toBe('immutable.event');
  });
});
