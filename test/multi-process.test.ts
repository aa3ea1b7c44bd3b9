import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/lib/ids.js';
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
    const platformAdmin = { userId: uuidv7(), email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: uuidv7() };
    const page = await services.alertsService.list(platformAdmin, { limit: 200 });
    const open = page.alerts.filter((a) => a.status === 'firing');
    expect(open).toHaveLength(expected.size);
    for (const alert of open) expect(alert.occurrenceCount).toBe(expected.get(alert.dedupKey));
    expect(open.reduce((sum, a) => sum + a.occurrenceCount, 0)).toBe(requests.length);
  });

  it('a secret rotated or an integration disabled through one process is refused by the other once it hears of it', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const masterKey = randomBytes(32);
    const env = { DATABASE_URL: database.url as string, KLAXON_MASTER_KEY: masterKey.toString('hex') };
    const [a, b] = await Promise.all([startServer(env), startServer(env)]);
    if (a === undefined || b === undefined) throw new Error('servers did not start');
    cleanups.push(() => a.stop().then(() => undefined));
    cleanups.push(() => b.stop().then(() => undefined));
    const services = createServices({ database, masterKey });
    const admin = await services.bootstrapAdminService.bootstrap({ email: 'cache@example.com' });
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${a.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${admin.apiKey}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const created = await (await api('POST', '/api/integrations', { name: 'cached', type: 'generic' })).json();
    let n = 0;
    const sendToB = (secret: string) => {
      const body = JSON.stringify({ title: 'cache', dedupKey: `k-${n++}` });
      return fetch(`${b.url}/webhooks/alerts/cached`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(secret, body) },
        body,
      }).then((response) => response.status);
    };
    /**
     * B's answer once it is no longer `accepted`, or `accepted` if it still is after 30 s: B's
     * cache has no expiry, so without the notice its answer would never change; the bound only
     * ends a failing test, and a loaded machine cannot reach it.
     */
    const refusedOnceNoticed = async (secret: string, accepted = 202) => {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const status = await sendToB(secret);
        if (status !== accepted || Date.now() > deadline) return status;
        await sleep(10);
      }
    };
    // B has the integration cached (it served it twice).
    expect([await sendToB(created.webhookSecret), await sendToB(created.webhookSecret)]).toEqual([202, 202]);

    const rotated = await (
      await api('POST', `/api/integrations/${created.id}/rotate-secret`, { gracePeriodMinutes: 0 })
    ).json();
    expect(await refusedOnceNoticed(created.webhookSecret)).toBe(401);
    expect(await sendToB(rotated.webhookSecret)).toBe(202);

    expect((await api('PATCH', `/api/integrations/${created.id}`, { isActive: false })).status).toBe(200);
    expect(await refusedOnceNoticed(rotated.webhookSecret)).toBe(403);
  });
});

describe.runIf(testDatabaseKind() === 'postgres')('KLAXON_WORKERS: one server, several worker processes', () => {
  /**
   * GET /readyz on a fresh connection each time, so the primary hands each to the next worker.
   * Bounded: a connection handed to a worker at the moment it is killed is never answered. The
   * bound is generous, so a loaded machine's slow answer is not taken for that.
   */
  const readyOnNewConnection = (url: string) =>
    new Promise<number>((resolve, reject) => {
      const request = get(`${url}/readyz`, { agent: false, timeout: 10_000 }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('timeout', () => request.destroy(new Error('no answer within 10 s')));
      request.on('error', reject);
    });
  const servingPids = (output: string) =>
    new Set([...output.matchAll(/"pid":(\d+)[^\n]*"msg":"request completed"/g)].map((match) => Number(match[1])));
  const alive = (pid: number) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  };

  it('both workers serve, a crashed worker is replaced, and SIGTERM drains them all and exits 0', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const server = await startServer({
      DATABASE_URL: database.url as string,
      KLAXON_MASTER_KEY: randomBytes(32).toString('hex'),
      KLAXON_WORKERS: '2',
    });
    cleanups.push(() => server.stop().then(() => undefined));
    // The helper returns once the first worker listens; the primary says when both do.
    const readyBy = Date.now() + 60_000;
    while (!server.output().includes('"workers":2,"msg":"Klaxon is ready"')) {
      if (Date.now() > readyBy) throw new Error(`workers did not start:\n${server.output()}`);
      await sleep(100);
    }
    for (let i = 0; i < 20; i++) expect(await readyOnNewConnection(server.url)).toBe(200);
    const first = servingPids(server.output());
    expect(first.size).toBe(2);
    expect(first.has(server.child.pid as number)).toBe(false);

    const [crashed] = [...first];
    process.kill(crashed as number, 'SIGKILL');
    const deadline = Date.now() + 60_000;
    while (
      !/"msg":"a worker exited; starting another"/.test(server.output()) ||
      servingPids(server.output()).size < 3
    ) {
      if (Date.now() > deadline) throw new Error(`no replacement worker:\n${server.output()}`);
      await readyOnNewConnection(server.url).catch(() => 0);
      await sleep(100);
    }

    const workers = [...servingPids(server.output())].filter((pid) => pid !== crashed);
    expect(await server.stop('SIGTERM')).toBe(0);
    expect(workers.filter(alive)).toEqual([]);
    expect(server.output()).toContain('shutting down: draining every worker');
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

  it('KLAXON_WORKERS > 1 is ignored with a log line naming why, and the one process serves', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-mp-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ KLAXON_DATA_DIR: dataDir, DATABASE_URL: '', KLAXON_WORKERS: '2' });
    cleanups.push(() => server.stop().then(() => undefined));
    expect(server.output()).toContain('KLAXON_WORKERS=2 ignored: the embedded database is open in one process only');
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    expect(await server.stop()).toBe(0);
  });
});
