import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/client.js';
import { createServices } from '../src/services.js';
import { freePort } from './helpers/ports.js';
import { startServer } from './helpers/server-process.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * PostgreSQL failover under load (`npm run test:failover`): a primary and a synchronous standby on
 * loopback, and a TCP proxy as the one address Klaxon knows (what a Kubernetes service or HAProxy
 * in front of Patroni is). Signed webhooks keep coming while the primary is killed; the proxy then
 * has nowhere to go (Klaxon must answer 503 with Retry-After), the standby is promoted and the
 * proxy follows it (Klaxon must recover without a restart). Every alert answered 202 must be on
 * the new primary. KLAXON_FAILOVER_ROUNDS (default 3) repeats it, each time with a fresh standby
 * of the new primary; CI runs one round.
 */
const PG_BIN = '/usr/lib/postgresql/15/bin';
const ROUNDS = Number(process.env.KLAXON_FAILOVER_ROUNDS ?? 3);
const root = mkdtempSync(join(tmpdir(), 'klaxon-failover-'));
const asRoot = process.getuid?.() === 0;
if (asRoot) {
  chownSync(
    root,
    Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })),
    Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })),
  );
}

/** initdb and PostgreSQL refuse to run as root: as root, they run as the postgres user. */
function pgTool(command: string, args: string[]): string {
  const [file, argv] = asRoot
    ? ['runuser', ['-u', 'postgres', '--', join(PG_BIN, command), ...args]]
    : [join(PG_BIN, command), args];
  return execFileSync(file as string, argv as string[], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

interface Instance {
  name: string;
  port: number;
  dir: string;
  url: string;
}

const started: Instance[] = [];
function start(instance: Instance, options: string[] = []): void {
  pgTool('pg_ctl', [
    '-D',
    instance.dir,
    '-l',
    `${instance.dir}.log`,
    '-w',
    '-o',
    [`-p ${instance.port}`, '-c listen_addresses=127.0.0.1', `-c unix_socket_directories=${root}`, ...options].join(
      ' ',
    ),
    'start',
  ]);
  started.push(instance);
}
const kill = (instance: Instance) => pgTool('pg_ctl', ['-D', instance.dir, '-m', 'immediate', '-w', 'stop']);

async function newInstance(name: string): Promise<Instance> {
  const port = await freePort();
  return { name, port, dir: join(root, name), url: `postgres://postgres@127.0.0.1:${port}/postgres` };
}

async function query<Row extends pg.QueryResultRow>(url: string, text: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<Row>(text)).rows;
  } finally {
    await client.end();
  }
}

/** A standby streaming from `primary`, which then waits for it on every commit. */
async function addSynchronousStandby(primary: Instance, name: string): Promise<Instance> {
  const standby = await newInstance(name);
  pgTool('pg_basebackup', [
    '-d',
    `host=127.0.0.1 port=${primary.port} user=postgres application_name=${name}`,
    '-D',
    standby.dir,
    '-R',
    '--wal-method=stream',
    '--checkpoint=fast',
  ]);
  start(standby);
  await query(primary.url, `ALTER SYSTEM SET synchronous_standby_names = '${name}'`);
  await query(primary.url, 'SELECT pg_reload_conf()');
  for (const deadline = Date.now() + 30_000; ; await sleep(100)) {
    const rows = await query<{ sync_state: string }>(
      primary.url,
      `SELECT sync_state FROM pg_stat_replication WHERE application_name = '${name}'`,
    );
    if (rows[0]?.sync_state === 'sync') return standby;
    if (Date.now() > deadline) throw new Error(`${name} did not become a synchronous standby`);
  }
}

/** The address Klaxon uses: forwards to `target`, or drops every connection while there is none. */
async function startProxy(): Promise<{ url: string; point(port: number | undefined): void; close(): void }> {
  let target: number | undefined;
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = connect(target, '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    point(port) {
      target = port;
      // Connections to the old primary are cut, as a service endpoint change or HAProxy would.
      for (const socket of open) socket.destroy();
      open.clear();
    },
    close: () => server.close(),
  };
}

afterAll(() => {
  for (const instance of started) {
    try {
      kill(instance);
    } catch {
      // Already stopped (killed by the test).
    }
  }
  rmSync(root, { recursive: true, force: true });
});

describe('PostgreSQL failover under load', () => {
  it(
    `kill the primary, promote the synchronous standby: 503 + Retry-After meanwhile, recovery without a restart, no accepted alert lost (${ROUNDS} round(s))`,
    async () => {
      let primary = await newInstance('node_0');
      pgTool('initdb', ['-D', primary.dir, '-U', 'postgres', '--auth=trust', '--no-sync']);
      start(primary);
      const proxy = await startProxy();
      proxy.point(primary.port);

      const masterKey = randomBytes(32);
      const server = await startServer(
        {
          DATABASE_URL: proxy.url,
          KLAXON_MASTER_KEY: masterKey.toString('hex'),
          DATABASE_CONNECT_TIMEOUT_MS: '2000',
        },
        // Start-up on a busy CI machine can be slow; the failover itself is what is measured.
        180_000,
      );
      const setup = openPostgres(proxy.url, 2);
      const services = createServices({ database: setup, masterKey });
      const admin = await services.bootstrapAdminService.bootstrap({ email: 'failover@example.com' });
      const { webhookSecret } = await services.integrationsService.create(
        { name: 'failover', type: 'generic' },
        admin.userId,
      );
      await setup.close();

      const accepted: string[] = [];
      const unavailable: Array<string | null> = [];
      const unexpected: string[] = [];
      let sequence = 0;
      let loading = true;
      const sender = async () => {
        while (loading) {
          const dedupKey = `event-${sequence++}`;
          const body = JSON.stringify({ title: dedupKey, dedupKey });
          try {
            const response = await fetch(`${server.url}/webhooks/alerts/failover`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(webhookSecret, body) },
              body,
            });
            await response.arrayBuffer();
            if (response.status === 202) accepted.push(dedupKey);
            else if (response.status === 503) unavailable.push(response.headers.get('retry-after'));
            else unexpected.push(`${response.status}`);
          } catch (error) {
            unexpected.push(String(error));
          }
          // A 503 asks to come back later; a sender that does not wait only spins.
          if (unavailable.length > 0 && unexpected.length === 0) await sleep(5);
        }
      };
      const senders = Array.from({ length: 8 }, sender);

      try {
        for (let round = 1; round <= ROUNDS; round++) {
          const standby = await addSynchronousStandby(primary, `node_${round}`);
          const acceptedBefore = accepted.length;
          for (const deadline = Date.now() + 30_000; accepted.length < acceptedBefore + 20; await sleep(100)) {
            if (Date.now() > deadline) {
              throw new Error(`too few accepted before round ${round}: ${JSON.stringify({ unavailable, unexpected })}`);
            }
          }
          const unavailableBefore = unavailable.length;

          kill(primary);
          proxy.point(undefined);
          await sleep(1_500);
          expect(unavailable.length, 'answers while there is no primary').toBeGreaterThan(unavailableBefore);

          pgTool('pg_ctl', ['-D', standby.dir, '-w', 'promote']);
          proxy.point(standby.port);
          primary = standby;
          const acceptedAtPromotion = accepted.length;
          for (const deadline = Date.now() + 30_000; accepted.length < acceptedAtPromotion + 20; await sleep(100)) {
            if (Date.now() > deadline) throw new Error(`no recovery after round ${round}:\n${server.output()}`);
          }
        }
      } finally {
        loading = false;
        await Promise.all(senders);
      }
      expect(unexpected).toEqual([]);
      expect(unavailable.every((retryAfter) => retryAfter !== null && Number(retryAfter) > 0)).toBe(true);
      // The server process was never restarted.
      expect(server.child.exitCode).toBeNull();
      await server.stop();
      proxy.close();

      const stored = new Set(
        (await query<{ dedup_key: string }>(primary.url, 'SELECT dedup_key FROM alerts')).map((row) => row.dedup_key),
      );
      expect(accepted.filter((key) => !stored.has(key))).toEqual([]);
      console.log(`failover: ${ROUNDS} round(s), ${accepted.length} accepted, ${unavailable.length} answered 503`);
    },
    240_000 + ROUNDS * 60_000,
  );
});
