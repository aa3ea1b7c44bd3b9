import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';
import { mailText, startSmtpServer, waitFor } from './helpers/paging.js';
import { freePort } from './helpers/ports.js';
import { startServer } from './helpers/server-process.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * Klaxon through PgBouncer in transaction pooling mode (each transaction may run on another
 * server connection), with DATABASE_DIRECT_URL for what needs a session: LISTEN/NOTIFY and the
 * job queue. The pool is kept at two server connections so concurrent requests really share them.
 * CI installs pgbouncer (.ci/run): there, a missing binary fails the test instead of skipping it.
 */
const PGBOUNCER = '/usr/sbin/pgbouncer';
const installed = existsSync(PGBOUNCER);

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function startPgBouncer(target: URL): Promise<{ url: (database: string) => string; process: ChildProcess }> {
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-pgbouncer-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${target.hostname} port=${target.port || 5432}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'admin_users = postgres',
      'pool_mode = transaction',
      'default_pool_size = 2',
      'max_client_conn = 200',
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'userlist.txt'), '"postgres" ""\n');
  // PgBouncer refuses to run as root: as root, it switches to the postgres user.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }));
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }));
    chownSync(dir, uid, gid);
  }
  const child = spawn(PGBOUNCER, [...(asRoot ? ['-u', 'postgres'] : []), join(dir, 'pgbouncer.ini')], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  cleanups.push(() => {
    child.kill('SIGINT');
  });
  const url = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  await waitFor(
    async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited:\n${output}`);
      const client = new pg.Client({ connectionString: url('pgbouncer') });
      client.on('error', () => {});
      return client.connect().then(
        () => client.end().then(() => true),
        () => false,
      );
    },
    10_000,
    'pgbouncer to listen',
  );
  return { url, process: child };
}

/** PgBouncer's own view (its admin console): client connections to `database`, and server ones. */
async function pooledConnections(adminUrl: string, database: string) {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const count = async (command: string) =>
      (await client.query<{ database: string }>(command)).rows.filter((row) => row.database === database).length;
    return { clients: await count('SHOW CLIENTS'), servers: await count('SHOW SERVERS') };
  } finally {
    await client.end();
  }
}

describe.runIf(testDatabaseKind() === 'postgres')('PostgreSQL through PgBouncer (transaction pooling)', () => {
  it.runIf(installed || process.env.CI !== undefined)(
    'ingests concurrent signed webhooks and pages by email, with DATABASE_DIRECT_URL for LISTEN and the job queue',
    async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.close());
      const direct = new URL(database.url as string);
      const name = direct.pathname.slice(1);
      const bouncer = await startPgBouncer(direct);
      const smtp = await startSmtpServer();
      cleanups.push(() => smtp.close());

      const masterKey = randomBytes(32);
      const server = await startServer({
        DATABASE_URL: bouncer.url(name),
        DATABASE_DIRECT_URL: direct.toString(),
        KLAXON_MASTER_KEY: masterKey.toString('hex'),
        SMTP_URL: smtp.url,
      });
      cleanups.push(() => server.stop().then(() => undefined));

      const services = createServices({ database, masterKey });
      const admin = await services.bootstrapAdminService.bootstrap({ email: 'bouncer@example.com' });
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${admin.apiKey}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
        return text === '' ? {} : JSON.parse(text);
      };
      await api('POST', '/api/contact-methods', { type: 'email', address: 'bouncer@example.com' });
      const team = (await api('POST', '/api/teams', { name: 'bouncer' })).id as string;
      await api('POST', `/api/teams/${team}/members`, { userId: admin.userId });
      await api('POST', '/api/routing-rules', {
        name: 'all to bouncer',
        teamId: team,
        matchers: [{ field: 'labels.team', op: 'equals', value: 'bouncer' }],
      });
      await api('POST', '/api/escalation-policies', {
        teamId: team,
        name: 'page me',
        isDefault: true,
        levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: admin.userId }] }],
      });
      const integration = await api('POST', '/api/integrations', { name: 'bounced', type: 'generic' });

      const send = (i: number) => {
        const body = JSON.stringify({
          title: `event ${i % 25}`,
          dedupKey: `key-${i % 25}`,
          labels: { team: 'bouncer' },
        });
        return fetch(`${server.url}/webhooks/alerts/bounced`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-webhook-signature': hmacHex(integration.webhookSecret, body),
          },
          body,
        });
      };
      // Concurrent requests over two server connections: named prepared statements or session
      // state on the pooled connections would fail here.
      const statuses = (await Promise.all(Array.from({ length: 100 }, (_, i) => send(i)))).map((r) => r.status);
      expect(statuses.filter((status) => status !== 202)).toEqual([]);
      // Klaxon's pool went through PgBouncer, which ran it all on at most two server connections.
      const pooled = await pooledConnections(bouncer.url('pgbouncer'), name);
      expect(pooled.clients).toBeGreaterThan(2);
      expect(pooled.servers).toBeLessThanOrEqual(2);

      const alerts = (await api('GET', '/api/alerts?limit=100')).alerts as Array<{ occurrenceCount: number }>;
      expect(alerts).toHaveLength(25);
      expect(alerts.reduce((sum, alert) => sum + alert.occurrenceCount, 0)).toBe(100);

      // The job queue (on the direct connection) sends the page.
      const mail = await waitFor(
        () => smtp.mails.find((m) => m.to.includes('bouncer@example.com')),
        30_000,
        'the page',
      );
      expect(mailText(mail.raw)).toContain('Escalation level 1, round 1');
      expect(server.stderr()).not.toMatch(/prepared statement|unsupported startup parameter/);
    },
    90_000,
  );
});
