import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/client.js';
import { uuidv7 } from '../src/lib/ids.js';
import { createServices } from '../src/services.js';
import { testDatabaseKind } from './helpers/database.js';
import { freePort } from './helpers/ports.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * A real PostgreSQL outage, on a throwaway cluster of this test's own (the shared one is never
 * touched): stop it under a running Klaxon, which must answer 503 + Retry-After and stay up, then
 * start it again, which must be enough. Also: pool exhaustion and slow statements end in 503
 * within the configured timeouts, not in hung sockets.
 */
const PG_BIN = '/usr/lib/postgresql/15/bin';

function asPostgres(command: string, args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function createCluster(port: number) {
  const root = mkdtempSync(join(tmpdir(), 'klaxon-pg-'));
  chownSync(root, 101, 104);
  const dir = join(root, 'data');
  asPostgres('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '--no-sync']);
  const pgCtl = (...args: string[]) => asPostgres('pg_ctl', ['-D', dir, ...args]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start: () =>
      pgCtl('-o', `-p ${port} -c listen_addresses=127.0.0.1 -c fsync=off`, '-l', join(root, 'log'), '-w', 'start'),
    stop: (mode: 'fast' | 'immediate' = 'fast') => pgCtl('-m', mode, '-w', 'stop'),
    running: () => existsSync(join(dir, 'postmaster.pid')),
    remove: () => rmSync(root, { recursive: true, force: true }),
  };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) {
    try {
      await cleanup();
    } catch {
      // Keep cleaning up.
    }
  }
});

const usable = existsSync(join(PG_BIN, 'initdb')) && process.getuid?.() === 0;

describe.runIf(testDatabaseKind() === 'postgres' && usable)('PostgreSQL outage on a throwaway cluster', () => {
  it('stop → 503 + Retry-After, /readyz red, process up; start → works without a restart; exhausted pool and slow statements → 503 in time', async () => {
    const cluster = createCluster(await freePort());
    cleanups.push(() => cluster.remove());
    cluster.start();
    cleanups.push(() => {
      if (cluster.running()) cluster.stop('immediate');
    });

    const masterKey = randomBytes(32);
    const server: ServerProcess = await startServer({
      DATABASE_URL: cluster.url,
      KLAXON_MASTER_KEY: masterKey.toString('hex'),
      DATABASE_POOL_SIZE: '2',
      DATABASE_CONNECT_TIMEOUT_MS: '1000',
      DATABASE_STATEMENT_TIMEOUT_MS: '1000',
    });
    cleanups.push(() => server.stop('SIGKILL').then(() => undefined));

    const setup = openPostgres(cluster.url, 2);
    cleanups.push(() => setup.close().catch(() => {}));
    const services = createServices({ database: setup, masterKey });
    const admin = await services.bootstrapAdminService.bootstrap({ email: 'outage@example.com' });
    const { webhookSecret } = await services.integrationsService.create(
      { name: 'outage', type: 'generic' },
      admin.userId,
    );
    // None hangs: every request must be answered while the database is down or locked (the lock is
    // held until all are answered), and a hung one is aborted by this generous bound, far above the
    // 1 s connect and statement timeouts, rather than by a reading of the clock a loaded machine
    // could stretch.
    const HUNG_MS = 30_000;
    let sequence = 0;
    const send = async () => {
      const body = JSON.stringify({ title: 'outage test', dedupKey: `k-${sequence++}` });
      const started = performance.now();
      const response = await fetch(`${server.url}/webhooks/alerts/outage`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(webhookSecret, body) },
        body,
        signal: AbortSignal.timeout(HUNG_MS),
      });
      const text = await response.text();
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        text,
        ms: performance.now() - started,
      };
    };
    const get = async (path: string) =>
      (await fetch(`${server.url}${path}`, { signal: AbortSignal.timeout(HUNG_MS) })).status;

    expect((await send()).status).toBe(202);
    expect(await get('/readyz')).toBe(200);

    // 1. The database goes away.
    await setup.close();
    cluster.stop('fast');
    const during = await Promise.all(Array.from({ length: 6 }, () => send()));
    for (const response of during) {
      expect(response.status, response.text).toBe(503);
      expect(response.retryAfter).toBe('5');
      expect(response.text).toMatch(/service-unavailable/);
      expect(response.text).not.toMatch(/ECONNREFUSED|at \w+ \(|SELECT|INSERT/);
    }
    expect(await get('/readyz')).toBe(503);
    expect(await get('/healthz')).toBe(200);
    expect(server.child.exitCode).toBeNull();

    // 2. It comes back: no restart of Klaxon needed.
    cluster.start();
    const deadline = Date.now() + 15_000;
    while ((await get('/readyz')) !== 200 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(await get('/readyz')).toBe(200);
    const after = await Promise.all(Array.from({ length: 4 }, () => send()));
    expect(after.map((r) => r.status)).toEqual([202, 202, 202, 202]);

    // 3. Slow statements and an exhausted pool: a lock held elsewhere blocks every lookup, so
    // the two pooled connections hit the 1 s statement timeout and the other requests wait
    // for a connection for at most 1 s. All end in 503, none hangs.
    const locker = new pg.Client({ connectionString: cluster.url });
    await locker.connect();
    cleanups.push(() => locker.end().catch(() => {}));
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE integrations IN ACCESS EXCLUSIVE MODE');
    const blocked = await Promise.all(Array.from({ length: 8 }, () => send()));
    for (const response of blocked) {
      expect(response.status, response.text).toBe(503);
      expect(response.retryAfter).toBe('5');
    }
    await locker.query('ROLLBACK');
    expect((await send()).status).toBe(202);

    // Exactly the accepted events are stored: nothing from the 503s slipped in.
    const check = openPostgres(cluster.url, 1);
    cleanups.push(() => check.close().catch(() => {}));
    const viewer = { userId: uuidv7(), email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: uuidv7() };
    const alerts = await createServices({ database: check, masterKey }).alertsService.list(viewer, { limit: 100 });
    expect(alerts.alerts).toHaveLength(1 + after.length + 1);
    console.info(
      `[postgres-outage] outage: ${during.length} webhooks → 503 in ≤${Math.round(Math.max(...during.map((r) => r.ms)))} ms; ` +
        `locked: ${blocked.length} → 503 in ≤${Math.round(Math.max(...blocked.map((r) => r.ms)))} ms; recovered without restart`,
    );
    expect(await server.stop('SIGTERM')).toBe(0);
  });
});
