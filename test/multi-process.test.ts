import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';
import { startServer } from './helpers/server-process.js';
import { hmacHex } from './helpers/webhooks.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe.runIf(testDatabaseKind() === 'postgres')('several server processes on one PostgreSQL', () => {
  it('interleaved identical and distinct events: one open alert per key, no lost occurrences, no 5xx', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const masterKey = randomBytes(32);
    const env = { DATABASE_URL: database.url as string, KLAXON_MASTER_KEY: masterKey.toString('hex') };
    const servers = await Promise.all([startServer(env), startServer(env)]);
    for (const server of servers) cleanups.push(() => server.stop().then(() => undefined));

    const services = createServices({ database, masterKey });
    const admin = await services.bootstrapAdminService.bootstrap({ email: 'mp@example.com' });
    const { webhookSecret } = await services.integrationsService.create(
      { name: 'multi', type: 'generic' },
      admin.userId,
    );

    const send = (serverIndex: number, dedupKey: string) => {
      const body = JSON.stringify({ title: `event ${dedupKey}`, dedupKey });
      return fetch(`${servers[serverIndex % servers.length]?.url}/webhooks/alerts/multi`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(webhookSecret, body) },
        body,
      });
    };
    const keys = ['hot', 'hot', 'hot', 'warm', 'warm', ...Array.from({ length: 10 }, (_, i) => `cold-${i}`)];
    const requests = Array.from({ length: 120 }, (_, i) => ({ server: i, key: keys[i % keys.length] as string }));
    const responses = await Promise.all(requests.map(({ server, key }) => send(server, key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s !== 202)).toEqual([]);

    const expected = new Map<string, number>();
    for (const { key } of requests) expected.set(key, (expected.get(key) ?? 0) + 1);
    const page = await services.alertsService.list({ limit: 200 });
    const open = page.alerts.filter((a) => a.status === 'firing');
    expect(open).toHaveLength(expected.size);
    for (const alert of open) expect(alert.occurrenceCount).toBe(expected.get(alert.dedupKey));
    expect(open.reduce((sum, a) => sum + a.occurrenceCount, 0)).toBe(requests.length);
  });
});

describe.runIf(testDatabaseKind() === 'pglite')('the embedded database is held by one process', () => {
  it('a second server on the same data dir refuses to start with a clear message, and the first keeps serving', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-mp-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const env = { KLAXON_DATA_DIR: dataDir, DATABASE_URL: '' };
    const first = await startServer(env);
    cleanups.push(() => first.stop().then(() => undefined));
    await expect(startServer(env)).rejects.toThrow(/in use by another Klaxon process/);
    const health = await fetch(`${first.url}/readyz`);
    expect(health.status).toBe(200);
    expect(await first.stop()).toBe(0);
  });
});
