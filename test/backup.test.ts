import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { wrapPglite } from '../src/db/client.js';
import { RestoreRefusedError, restoreBackup } from '../src/modules/backups/restore.js';
import { createServices } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli-run.js';
import { testDatabaseKind } from './helpers/database.js';
import { createIntegration, hmacHex, sendSigned } from './helpers/webhooks.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };
let work: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  work = mkdtempSync(join(tmpdir(), 'klaxon-backup-'));
});
afterAll(async () => {
  await t.close();
  rmSync(work, { recursive: true, force: true });
});

describe.runIf(testDatabaseKind() === 'postgres')('on PostgreSQL', () => {
  it('answers 409 backup-not-available, pointing at pg_dump', async () => {
    const response = await t.request({ method: 'POST', url: '/api/backups', key: admin.apiKey });
    expect(response.statusCode).toBe(409);
    expect(response.json().type).toMatch(/backup-not-available$/);
    expect(response.json().detail).toMatch(/pg_dump/);
  });
});

describe.runIf(testDatabaseKind() === 'pglite')('embedded database', () => {
  it('backs up while the server runs and restores into a fresh data dir: alerts, secrets and schedules', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'backed-up', type: 'generic' });
    const alerts: string[] = [];
    for (const title of ['disk full', 'api down']) {
      const accepted = await sendSigned(t, integration, { title, dedupKey: title });
      expect(accepted.statusCode).toBe(202);
      alerts.push(accepted.json().alerts[0].id);
    }
    const applied = await t.request({
      method: 'POST',
      url: '/api/config/apply',
      key: admin.apiKey,
      body: {
        document: {
          version: 1,
          teams: [{ name: 'Ops', members: [{ email: 'ops@example.com' }] }],
          schedules: [
            {
              name: 'Ops primary',
              team: 'Ops',
              timeZone: 'UTC',
              layers: [
                {
                  name: 'daily',
                  startsAt: '2026-01-01T09:00:00Z',
                  turnUnit: 'days',
                  turnLength: 1,
                  participants: ['ops@example.com'],
                },
              ],
            },
          ],
        },
      },
    });
    expect(applied.statusCode).toBe(200);

    // The CLI takes the backup through the running server, as an operator would.
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const file = join(work, 'klaxon.tar.gz');
    const backup = await runCli(['backup', '-o', file], { KLAXON_URL: address, KLAXON_API_KEY: admin.apiKey });
    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(JSON.parse(backup.stdout)).toEqual({ backup: file, bytes: statSync(file).size });
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const occupied = join(work, 'occupied');
    mkdirSync(occupied);
    writeFileSync(join(occupied, 'something'), '');
    const keyFile = join(work, 'old-master.key');
    writeFileSync(keyFile, `${t.masterKey.toString('hex')}\n`);
    await expect(restoreBackup({ input: file, dataDir: occupied })).rejects.toThrow(RestoreRefusedError);

    const fresh = join(work, 'restored');
    await restoreBackup({ input: file, dataDir: fresh, masterKeyFile: keyFile });
    expect(readFileSync(join(fresh, 'master.key'), 'utf8').trim()).toBe(t.masterKey.toString('hex'));
    expect(statSync(join(fresh, 'master.key')).mode & 0o777).toBe(0o600);

    const restored = await createTestAppOn(join(fresh, 'pgdata'));
    try {
      const listed = await restored.request('GET', '/api/alerts', admin.apiKey);
      expect(
        listed
          .json()
          .alerts.map((alert: { id: string }) => alert.id)
          .sort(),
      ).toEqual([...alerts].sort());
      const schedules = await restored.request('GET', '/api/schedules', admin.apiKey);
      expect(schedules.json().schedules.map((s: { name: string }) => s.name)).toEqual(['Ops primary']);
      // The secret, encrypted under the same master key, still verifies a signed webhook.
      const body = JSON.stringify({ title: 'after restore' });
      const verified = await restored.app.inject({
        method: 'POST',
        url: '/webhooks/alerts/backed-up',
        payload: body,
        headers: {
          'content-type': 'application/json',
          'x-webhook-signature': hmacHex(integration.webhookSecret, body),
        },
      });
      expect(verified.statusCode).toBe(202);
      const forged = await restored.app.inject({
        method: 'POST',
        url: '/webhooks/alerts/backed-up',
        payload: body,
        headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex('not-the-secret', body) },
      });
      expect(forged.statusCode).toBe(401);
    } finally {
      await restored.close();
    }
  });
});

/** A Klaxon on the restored directory, with the original master key. */
async function createTestAppOn(pgdata: string) {
  const database = wrapPglite(await PGlite.create(pgdata));
  await database.migrate();
  const services = createServices({ database, masterKey: t.masterKey });
  const app = await buildApp({
    database,
    masterKey: t.masterKey,
    services,
    bodyLimitBytes: 512 * 1024,
    webhookRateLimitPerMinute: 120_000,
    logger: false,
  });
  await app.ready();
  return {
    app,
    request: (method: 'GET', url: string, key: string) =>
      app.inject({ method, url, headers: { authorization: `Bearer ${key}` } }),
    async close() {
      services.heartbeatMonitor.stop();
      await services.escalationEngine.stop();
      await app.close();
      await database.close();
    },
  };
}
