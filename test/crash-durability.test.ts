import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { testDatabaseKind } from './helpers/database.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { prepareServerStorage } from './helpers/server-storage.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * Crash durability: under concurrent load, SIGKILL the server at a random moment, restart it on
 * the same database, and check that every event answered 202 is stored exactly once, and that
 * no half-written event (a delivery without its alerts, an alert without its occurrence) is
 * visible. `npm run soak` runs many more kills (KLAXON_SOAK_KILLS).
 */
const KILLS = Number(process.env.KLAXON_SOAK_KILLS ?? 3);
const WORKERS = 12;
const SEED = Number(process.env.KLAXON_SOAK_SEED ?? Date.now() % 1_000_000);

/** A small deterministic PRNG so a failing kill schedule can be replayed with KLAXON_SOAK_SEED. */
function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

interface AcceptedEvent {
  /** Dedup keys of the alerts the event carried (one for generic, three for alertmanager). */
  keys: string[];
  integration: 'generic' | 'alertmanager';
  deliveryId: string | undefined;
  alertIds: string[];
}

interface Target {
  genericSecret: string;
  alertmanagerSecret: string;
}

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Sends events with fresh dedup keys from WORKERS concurrent loops until `stop()`; collects the 202s. */
function driveLoad(server: ServerProcess, target: Target, round: number) {
  let running = true;
  const accepted: AcceptedEvent[] = [];
  const statuses = new Map<number, number>();
  let connectionErrors = 0;
  let firstAccepted: () => void = () => {};
  const firstAcceptedPromise = new Promise<void>((resolve) => {
    firstAccepted = resolve;
  });

  async function sendOne(worker: number, seq: number): Promise<void> {
    const base = `r${round}-w${worker}-s${seq}`;
    const useAlertmanager = seq % 3 === 2;
    let body: string;
    let headers: Record<string, string>;
    let keys: string[];
    if (useAlertmanager) {
      keys = [0, 1, 2].map((i) => `${base}-am${i}`);
      body = JSON.stringify({
        version: '4',
        status: 'firing',
        receiver: 'klaxon',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager.example.com',
        alerts: keys.map((key) => ({
          status: 'firing',
          labels: { alertname: key, severity: 'critical' },
          annotations: { summary: `crash test ${key}` },
          startsAt: new Date().toISOString(),
          fingerprint: key,
        })),
      });
      headers = { 'content-type': 'application/json', authorization: `Bearer ${target.alertmanagerSecret}` };
    } else {
      keys = [base];
      body = JSON.stringify({ title: `crash test ${base}`, dedupKey: base, severity: 'error' });
      headers = { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(target.genericSecret, body) };
    }
    const name = useAlertmanager ? 'crash-alertmanager' : 'crash-generic';
    let response: Response;
    try {
      response = await fetch(`${server.url}/webhooks/alerts/${name}`, { method: 'POST', headers, body });
    } catch {
      connectionErrors++;
      return;
    }
    statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
    if (response.status !== 202) {
      await response.text().catch(() => '');
      return;
    }
    // The status line alone proves the server committed: record the event even if the body is cut off.
    const event: AcceptedEvent = {
      keys,
      integration: useAlertmanager ? 'alertmanager' : 'generic',
      deliveryId: undefined,
      alertIds: [],
    };
    accepted.push(event);
    firstAccepted();
    try {
      const json = (await response.json()) as { deliveryId: string; alerts: Array<{ id: string }> };
      event.deliveryId = json.deliveryId;
      event.alertIds = json.alerts.map((a) => a.id);
    } catch {
      // Killed between the status line and the end of the body.
    }
  }

  const workers = Array.from({ length: WORKERS }, async (_, worker) => {
    for (let seq = 0; running; seq++) {
      await sendOne(worker, seq);
      if (server.child.exitCode !== null || server.child.signalCode !== null) break;
    }
  });
  return {
    accepted,
    statuses,
    firstAccepted: firstAcceptedPromise,
    connectionErrors: () => connectionErrors,
    async stop() {
      running = false;
      await Promise.all(workers);
    },
  };
}

describe('crash durability', () => {
  it(
    `every 202 survives ${KILLS} SIGKILLs exactly once, and nothing half-written is visible (${testDatabaseKind()})`,
    async () => {
      const random = mulberry32(SEED);
      const masterKey = randomBytes(32);
      const storage = await prepareServerStorage(masterKey, cleanups);
      storage.env.LOG_LEVEL = 'info';

      let setup = await storage.open();
      const services = createServices({ database: setup, masterKey });
      const admin = await services.bootstrapAdminService.bootstrap({ email: 'crash@example.com' });
      const generic = await services.integrationsService.create(
        { name: 'crash-generic', type: 'generic' },
        admin.userId,
      );
      const alertmanager = await services.integrationsService.create(
        { name: 'crash-alertmanager', type: 'alertmanager' },
        admin.userId,
      );
      const target = { genericSecret: generic.webhookSecret, alertmanagerSecret: alertmanager.webhookSecret };
      if (storage.exclusive) await setup.close();

      const accepted: AcceptedEvent[] = [];
      const statuses = new Map<number, number>();
      let connectionErrors = 0;
      const killDelays: number[] = [];

      for (let round = 0; round < KILLS; round++) {
        const server = await startServer(storage.env);
        cleanups.push(() => server.stop('SIGKILL').then(() => undefined));
        const load = driveLoad(server, target, round);
        await load.firstAccepted;
        const delay = Math.round(200 + random() * 800);
        killDelays.push(delay);
        await new Promise((resolve) => setTimeout(resolve, delay));
        server.child.kill('SIGKILL');
        await load.stop();
        await server.stop('SIGKILL');
        expect(server.child.signalCode).toBe('SIGKILL');
        accepted.push(...load.accepted);
        for (const [status, count] of load.statuses) statuses.set(status, (statuses.get(status) ?? 0) + count);
        connectionErrors += load.connectionErrors();
      }

      // One more restart: the server comes up on the crashed database, is ready, and accepts work.
      const last = await startServer(storage.env);
      cleanups.push(() => last.stop('SIGKILL').then(() => undefined));
      expect((await fetch(`${last.url}/readyz`)).status).toBe(200);
      const finalLoad = driveLoad(last, target, KILLS);
      await finalLoad.firstAccepted;
      await new Promise((resolve) => setTimeout(resolve, 300));
      await finalLoad.stop();
      accepted.push(...finalLoad.accepted);
      for (const [status, count] of finalLoad.statuses) statuses.set(status, (statuses.get(status) ?? 0) + count);
      expect(await last.stop('SIGTERM')).toBe(0);
      expect(last.output()).not.toMatch(/request failed/);

      if (storage.exclusive) setup = await storage.open();
      const db = setup.db;
      try {
        // Every event answered 202: its alerts exist exactly once, each with exactly one occurrence
        // pointing at an accepted delivery that lists it.
        const rows = (
          await db.execute<{
            dedup_key: string;
            alert_id: string;
            occurrence_count: number;
            occurrences: string;
            delivery_ids: string[] | null;
          }>(sql`
            SELECT a.dedup_key, a.id AS alert_id, a.occurrence_count,
                   (SELECT count(*) FROM alert_occurrences o WHERE o.alert_id = a.id) AS occurrences,
                   (SELECT array_agg(o.delivery_id::text) FROM alert_occurrences o WHERE o.alert_id = a.id) AS delivery_ids
            FROM alerts a`)
        ).rows;
        const byKey = new Map<string, typeof rows>();
        for (const row of rows) byKey.set(row.dedup_key, [...(byKey.get(row.dedup_key) ?? []), row]);
        const deliveries = (
          await db.execute<{ id: string; status: string; alert_ids: string[] | string; integration_name: string }>(
            sql`SELECT id, status, alert_ids::text[] AS alert_ids, integration_name FROM webhook_deliveries`,
          )
        ).rows.map((d) => ({ ...d, alert_ids: parseArray(d.alert_ids) }));
        const deliveryById = new Map(deliveries.map((d) => [d.id, d]));

        let eventsChecked = 0;
        for (const event of accepted) {
          const alertIds: string[] = [];
          for (const key of event.keys) {
            const stored = byKey.get(key) ?? [];
            expect(stored, `alert ${key} answered 202`).toHaveLength(1);
            const alert = stored[0];
            if (alert === undefined) continue;
            expect(alert.occurrence_count).toBe(1);
            expect(Number(alert.occurrences)).toBe(1);
            alertIds.push(alert.alert_id);
            const deliveryIds = parseArray(alert.delivery_ids ?? []);
            expect(deliveryIds).toHaveLength(1);
            const delivery = deliveryById.get(deliveryIds[0] as string);
            expect(delivery?.status).toBe('accepted');
            expect(delivery?.alert_ids).toContain(alert.alert_id);
            if (event.deliveryId !== undefined) expect(deliveryIds[0]).toBe(event.deliveryId);
          }
          if (event.alertIds.length > 0) expect(event.alertIds.sort()).toEqual(alertIds.sort());
          eventsChecked++;
        }

        // Nothing half-written anywhere (this covers the requests cut off by a kill, too): every
        // accepted delivery has all its alerts, each with an occurrence for it; every alert has its
        // occurrence and a delivery; no rejected delivery carries alerts.
        const alertById = new Map(rows.map((r) => [r.alert_id, r]));
        for (const delivery of deliveries) {
          if (delivery.status !== 'accepted') {
            expect(delivery.alert_ids).toEqual([]);
            continue;
          }
          const expectedCount = delivery.integration_name === 'crash-alertmanager' ? 3 : 1;
          expect(delivery.alert_ids, `delivery ${delivery.id}`).toHaveLength(expectedCount);
          for (const alertId of delivery.alert_ids) {
            const alert = alertById.get(alertId);
            expect(alert, `alert ${alertId} of delivery ${delivery.id}`).toBeDefined();
            expect(parseArray(alert?.delivery_ids ?? [])).toContain(delivery.id);
          }
        }
        for (const alert of rows) {
          expect(Number(alert.occurrences), `occurrences of ${alert.dedup_key}`).toBe(1);
          const deliveryId = parseArray(alert.delivery_ids ?? [])[0] as string;
          expect(deliveryById.get(deliveryId)?.status).toBe('accepted');
        }
        // Keys are unique per event, so a key stored twice would be a replayed or duplicated write.
        for (const [key, stored] of byKey) expect(stored, key).toHaveLength(1);

        const fiveHundreds = [...statuses].filter(([status]) => status >= 500).reduce((n, [, c]) => n + c, 0);
        console.info(
          `[crash-durability] ${testDatabaseKind()}: seed ${SEED}, kills survived ${KILLS} ` +
            `(after ${killDelays.join('/')} ms), events answered 202 and checked ${eventsChecked}, ` +
            `alerts stored ${rows.length}, deliveries ${deliveries.length}, cut-off requests ${connectionErrors}, ` +
            `statuses ${JSON.stringify(Object.fromEntries(statuses))}, 5xx seen ${fiveHundreds}`,
        );
        expect(fiveHundreds).toBe(0);
        expect(eventsChecked).toBeGreaterThanOrEqual(KILLS);
      } finally {
        if (storage.exclusive) await setup.close();
      }
    },
    // A limit against a hang: each round starts a server (PGlite's start-up alone took 20 s at load 16).
    60_000 + KILLS * 60_000,
  );
});

/** node-postgres returns uuid[] as string[]; PGlite may return the text form `{a,b}`. */
function parseArray(value: string[] | string): string[] {
  if (Array.isArray(value)) return value;
  const inner = value.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',');
}
