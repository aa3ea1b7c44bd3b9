import { sql } from 'drizzle-orm';
import { loadConfig } from '../../src/config.js';
import { type DatabaseHandle, openDatabase } from '../../src/db/client.js';
import { createServices } from '../../src/services.js';

/** Where a Klaxon database lives: the env that points Klaxon (and this script) at it. */
export type KlaxonTarget = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; url: string };

export function targetEnv(target: KlaxonTarget, masterKeyHex: string): Record<string, string> {
  return target.kind === 'pglite'
    ? { KLAXON_DATA_DIR: target.dataDir, DATABASE_URL: '', KLAXON_MASTER_KEY: masterKeyHex }
    : { DATABASE_URL: target.url, KLAXON_MASTER_KEY: masterKeyHex };
}

export async function withKlaxonDatabase<T>(
  target: KlaxonTarget,
  masterKeyHex: string,
  run: (database: DatabaseHandle) => Promise<T>,
): Promise<T> {
  const database = await openDatabase(loadConfig(targetEnv(target, masterKeyHex)));
  try {
    return await run(database);
  } finally {
    await database.close();
  }
}

export interface BenchIntegrations {
  generic: { id: string; name: string; secret: string };
  alertmanager: { id: string; name: string; secret: string };
}

/**
 * Migrates a fresh database and creates the two integrations through Klaxon's own services (as
 * the CLI and the tests do), before the server starts: an embedded data dir can be open in one
 * process only.
 */
export async function prepareKlaxonDatabase(target: KlaxonTarget, masterKeyHex: string): Promise<BenchIntegrations> {
  return withKlaxonDatabase(target, masterKeyHex, async (database) => {
    await database.migrate();
    const services = createServices({ database, masterKey: Buffer.from(masterKeyHex, 'hex') });
    const admin = await services.bootstrapAdminService.bootstrap({ email: 'bench@example.com' });
    const generic = await services.integrationsService.create({ name: 'bench-generic', type: 'generic' }, admin.userId);
    const alertmanager = await services.integrationsService.create(
      { name: 'bench-alertmanager', type: 'alertmanager' },
      admin.userId,
    );
    return {
      generic: { id: generic.integration.id, name: generic.integration.name, secret: generic.webhookSecret },
      alertmanager: {
        id: alertmanager.integration.id,
        name: alertmanager.integration.name,
        secret: alertmanager.webhookSecret,
      },
    };
  });
}

/** A UUIDv7-shaped id for row `i` at `ts` (time-ordered like Klaxon's own ids), salted per table. */
function uuid7Sql(salt: string): string {
  return `(lpad(to_hex((extract(epoch FROM ts) * 1000)::bigint), 12, '0') || '7' || substr(md5(i::text || '${salt}'), 1, 3) || '8' || substr(md5(i::text || '${salt}'), 4, 15))::uuid`;
}

/**
 * Pre-fills `rows` alerts (1 in 20 still open), as many accepted deliveries (with a realistic
 * payload and headers) and as many occurrences, for the generic integration, spread over the
 * last 7 days (inside the delivery retention), with generate_series. Then VACUUM ANALYZE, so the
 * run does not start with autovacuum catching up on a freshly loaded table.
 */
export async function prefillGrown(
  target: KlaxonTarget,
  masterKeyHex: string,
  integration: { id: string; name: string },
  rows: number,
  log: (line: string) => void,
): Promise<void> {
  const chunk = 100_000;
  await withKlaxonDatabase(target, masterKeyHex, async (database) => {
    const started = performance.now();
    for (let from = 1; from <= rows; from += chunk) {
      const to = Math.min(rows, from + chunk - 1);
      const series = `(SELECT i, now() - interval '7 days' + (i * (interval '7 days' / ${rows})) AS ts FROM generate_series(${from}, ${to}) AS i) AS s`;
      const alertId = uuid7Sql('alert');
      const deliveryId = uuid7Sql('delivery');
      await database.db.execute(
        sql.raw(`
          INSERT INTO alerts (id, integration_id, integration_name, dedup_key, title, description, severity, status,
                              source, labels, links, occurrence_count, first_seen_at, last_seen_at, resolved_at)
          SELECT ${alertId}, '${integration.id}', '${integration.name}', 'g-' || lpad(i::text, 10, '0'),
                 'Prefilled alert ' || i, 'prefilled by the benchmark', (ARRAY['critical','warning','info'])[1 + i % 3],
                 CASE WHEN i % 20 = 0 THEN 'firing' ELSE 'resolved' END, 'klaxon-bench',
                 jsonb_build_object('service', 'svc-' || (i % 50), 'env', 'bench', 'n', i::text), '[]'::jsonb,
                 1, ts, ts, CASE WHEN i % 20 = 0 THEN NULL ELSE ts END
          FROM ${series}`),
      );
      await database.db.execute(
        sql.raw(`
          INSERT INTO webhook_deliveries (id, integration_id, integration_name, received_at, status, http_status,
                                          alert_ids, payload, headers, source_ip, user_agent, processing_ms)
          SELECT ${deliveryId}, '${integration.id}', '${integration.name}', ts, 'accepted', 202, ARRAY[${alertId}],
                 jsonb_build_object('title', 'Prefilled alert ' || i, 'dedupKey', 'g-' || lpad(i::text, 10, '0'),
                   'severity', 'warning', 'source', 'klaxon-bench',
                   'labels', jsonb_build_object('service', 'svc-' || (i % 50), 'env', 'bench', 'region', 'eu-west-1'),
                   'description', repeat('prefilled description ', 20)),
                 '{"content-type":"application/json","user-agent":"klaxon-bench/1","host":"127.0.0.1"}'::jsonb,
                 '127.0.0.1', 'klaxon-bench/1', 3
          FROM ${series}`),
      );
      await database.db.execute(
        sql.raw(`
          INSERT INTO alert_occurrences (id, alert_id, delivery_id, kind, occurred_at)
          SELECT ${uuid7Sql('occurrence')}, ${alertId}, ${deliveryId}, 'created', ts
          FROM ${series}`),
      );
      log(`  prefilled ${to.toLocaleString('en')} / ${rows.toLocaleString('en')} rows`);
    }
    await database.db.execute(sql.raw('VACUUM ANALYZE alerts'));
    await database.db.execute(sql.raw('VACUUM ANALYZE webhook_deliveries'));
    await database.db.execute(sql.raw('VACUUM ANALYZE alert_occurrences'));
    log(`  prefill done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  });
}

export interface StoredCounts {
  occurrences: number;
  acceptedDeliveries: number;
  rejectedDeliveries: number;
  alerts: number;
}

export async function countStored(target: KlaxonTarget, masterKeyHex: string): Promise<StoredCounts> {
  return withKlaxonDatabase(target, masterKeyHex, async (database) => {
    const result = await database.db.execute(
      sql.raw(`SELECT (SELECT count(*) FROM alert_occurrences)::int AS occurrences,
                      (SELECT count(*) FROM webhook_deliveries WHERE status = 'accepted')::int AS accepted,
                      (SELECT count(*) FROM webhook_deliveries WHERE status <> 'accepted')::int AS rejected,
                      (SELECT count(*) FROM alerts)::int AS alerts`),
    );
    // node-postgres returns { rows }, PGlite's drizzle driver too.
    const row = (result as unknown as { rows: Array<Record<string, number>> }).rows[0] ?? {};
    return {
      occurrences: Number(row.occurrences ?? 0),
      acceptedDeliveries: Number(row.accepted ?? 0),
      rejectedDeliveries: Number(row.rejected ?? 0),
      alerts: Number(row.alerts ?? 0),
    };
  });
}
