import { and, arrayContains, arrayOverlaps, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { AlertSeverity, AlertStatus, OccurrenceKind } from '../../core/alerts.js';
import {
  builtPerExecutor,
  type Executor,
  type HotStatement,
  isNotNullViolation,
  queryHot,
  toUuidArrayLiteral,
} from '../../db/client.js';
import {
  type AlertOccurrenceRow,
  type AlertRow,
  alertOccurrences,
  alerts,
  incidentAlerts,
  incidents,
  teams,
  webhookDeliveries,
} from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import {
  type AcceptedBatchDelivery,
  acceptedBatchInsert,
  acceptedBatchParams,
} from '../deliveries/deliveries.repository.js';
import type { NormalizedAlert } from './normalized-alert.js';

const OPEN = sql`${alerts.status} IN ('firing', 'acknowledged')`;

const CLOSE_STALE: HotStatement = {
  name: 'klaxon_alerts_close_stale',
  text: `UPDATE alerts SET status = 'resolved', resolved_at = $1::timestamptz
    FROM unnest($2::uuid[], $3::text[], $4::timestamptz[]) AS stale(integration_id, dedup_key, window_start)
    WHERE alerts.integration_id = stale.integration_id AND alerts.dedup_key = stale.dedup_key
      AND alerts.status IN ('firing', 'acknowledged') AND alerts.last_seen_at < stale.window_start`,
};

const UPSERT_INSERT = `INSERT INTO alerts (id, integration_id, integration_name, dedup_key, title, description,
      severity, status, source, labels, links, occurrence_count, first_seen_at, last_seen_at, team_ids)
    SELECT id, integration_id, integration_name, dedup_key, title, description, severity, 'firing',
      source, labels::jsonb, links::jsonb, occurrence_count, $1::timestamptz, $1::timestamptz, team_ids::uuid[]
    FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
      $10::text[], $11::text[], $12::int[], $13::text[])
      AS row(id, integration_id, integration_name, dedup_key, title, description, severity, source,
        labels, links, occurrence_count, team_ids)
    ON CONFLICT (integration_id, dedup_key) WHERE status IN ('firing', 'acknowledged')
    DO UPDATE SET occurrence_count = alerts.occurrence_count + excluded.occurrence_count,
      last_seen_at = excluded.last_seen_at`;

/**
 * Opens or joins, but joins only an open alert still inside its integration's window: one whose
 * last event is older is left alone (locked, not returned), for the stale path below.
 */
const UPSERT_FIRING_FRESH: HotStatement = {
  name: 'klaxon_alerts_upsert_firing_fresh',
  text: `${UPSERT_INSERT}
    WHERE alerts.last_seen_at >= excluded.last_seen_at - make_interval(mins => (
      SELECT deduplication_window_minutes FROM integrations WHERE integrations.id = alerts.integration_id))
    RETURNING id, integration_id, dedup_key`,
};

const UPSERT_FIRING: HotStatement = {
  name: 'klaxon_alerts_upsert_firing',
  text: `${UPSERT_INSERT}
    RETURNING id, integration_id, dedup_key`,
};

/**
 * A whole ingest batch of firing events in one statement, so in one implicit transaction: the
 * fresh upsert of every key, one occurrence per event, one accepted delivery per request (with
 * its alert ids, first-seen order; the deliveries module's insert, acceptedBatchInsert). No BEGIN/COMMIT round trips. A key whose open alert went stale
 * comes back from the upsert without a row; its occurrence then has no alert id and the NOT NULL
 * on alert_occurrences.alert_id aborts the statement (nothing is written) — see upsertFiringBatch.
 */
const UPSERT_FIRING_BATCH: HotStatement = {
  name: 'klaxon_alerts_upsert_firing_batch',
  text: `WITH input AS (
      SELECT * FROM unnest($2::uuid[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
        $9::text[], $10::text[], $11::text[], $12::int[], $13::text[]) WITH ORDINALITY
        AS row(id, integration_id, integration_name, dedup_key, title, description, severity, source,
          labels, links, occurrence_count, team_ids, row_no)
    ),
    upserted AS (
      INSERT INTO alerts (id, integration_id, integration_name, dedup_key, title, description,
        severity, status, source, labels, links, occurrence_count, first_seen_at, last_seen_at, team_ids)
      SELECT id, integration_id, integration_name, dedup_key, title, description, severity, 'firing',
        source, labels::jsonb, links::jsonb, occurrence_count, $1::timestamptz, $1::timestamptz, team_ids::uuid[]
      FROM input ORDER BY row_no
      ON CONFLICT (integration_id, dedup_key) WHERE status IN ('firing', 'acknowledged')
      DO UPDATE SET occurrence_count = alerts.occurrence_count + excluded.occurrence_count,
        last_seen_at = excluded.last_seen_at
      WHERE alerts.last_seen_at >= excluded.last_seen_at - make_interval(mins => (
        SELECT deduplication_window_minutes FROM integrations WHERE integrations.id = alerts.integration_id))
      RETURNING id, integration_id, dedup_key
    ),
    events AS (
      SELECT event.occurrence_id, event.delivery_id, event.position, upserted.id AS alert_id,
        CASE WHEN event.first AND upserted.id = input.id THEN 'created' ELSE 'deduplicated' END AS kind
      FROM unnest($14::uuid[], $15::int[], $16::uuid[], $17::boolean[]) WITH ORDINALITY
        AS event(occurrence_id, row_no, delivery_id, first, position)
      JOIN input ON input.row_no = event.row_no
      LEFT JOIN upserted ON upserted.integration_id = input.integration_id AND upserted.dedup_key = input.dedup_key
    ),
    occurrences AS (
      INSERT INTO alert_occurrences (id, alert_id, delivery_id, user_id, kind, occurred_at)
      SELECT occurrence_id, alert_id, delivery_id, NULL, kind, $1::timestamptz FROM events
    ),
    deliveries AS (
      ${acceptedBatchInsert(
        18,
        `COALESCE((SELECT array_agg(alert_id ORDER BY first_position) FROM (
          SELECT alert_id, min(position) AS first_position FROM events
          WHERE events.delivery_id = delivery.id AND alert_id IS NOT NULL GROUP BY alert_id) AS ids), '{}')`,
      )}
    )
    SELECT id, integration_id, dedup_key FROM upserted`,
};

const INSERT_OCCURRENCES: HotStatement = {
  name: 'klaxon_alert_occurrences_insert',
  text: `INSERT INTO alert_occurrences (id, alert_id, delivery_id, user_id, kind, occurred_at)
    SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::timestamptz[])`,
};

export interface AlertFilter {
  status?: AlertStatus | undefined;
  severity?: AlertSeverity | undefined;
  integrationId?: string | undefined;
  teamId?: string | undefined;
  /** Only alerts routed to at least one of these teams (the caller's teams). */
  anyOfTeamIds?: string[] | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export interface IngestTarget {
  integrationId: string;
  integrationName: string;
  windowMinutes: number;
}

/** Read on every page (the message names the alert): built once per executor, 74 µs a build. */
const alertByIdQuery = builtPerExecutor((executor) =>
  executor
    .select()
    .from(alerts)
    .where(eq(alerts.id, sql.placeholder('id')))
    .limit(1)
    .prepare('klaxon_alert_by_id'),
);

export function createAlertsRepository() {
  return {
    /**
     * Opens an alert or joins the open one with the same key. The partial unique index on open
     * alerts makes this race-free: concurrent inserts of one key collapse into ON CONFLICT updates,
     * across connections and processes. An open alert whose last event is older than the window
     * is closed first, so the event opens a fresh alert.
     */
    async upsertFiring(
      executor: Executor,
      target: IngestTarget,
      alert: NormalizedAlert,
      teamIds: string[],
      at: Date,
    ): Promise<{ id: string; created: boolean }> {
      const windowStart = new Date(at.getTime() - target.windowMinutes * 60_000);
      await executor
        .update(alerts)
        .set({ status: 'resolved', resolvedAt: at })
        .where(
          and(
            eq(alerts.integrationId, target.integrationId),
            eq(alerts.dedupKey, alert.dedupKey),
            OPEN,
            lt(alerts.lastSeenAt, windowStart),
          ),
        );
      const id = uuidv7();
      const [row] = await executor
        .insert(alerts)
        .values({
          id,
          integrationId: target.integrationId,
          integrationName: target.integrationName,
          dedupKey: alert.dedupKey,
          title: alert.title,
          description: alert.description,
          severity: alert.severity,
          status: 'firing',
          source: alert.source,
          labels: alert.labels,
          links: alert.links,
          occurrenceCount: 1,
          firstSeenAt: at,
          lastSeenAt: at,
          teamIds,
        })
        .onConflictDoUpdate({
          target: [alerts.integrationId, alerts.dedupKey],
          targetWhere: OPEN,
          set: { occurrenceCount: sql`${alerts.occurrenceCount} + 1`, lastSeenAt: at },
        })
        .returning({ id: alerts.id });
      if (row === undefined) throw new Error('alert upsert returned no row');
      return { id: row.id, created: row.id === id };
    },

    /**
     * The batch form of upsertFiring: one multi-row INSERT … ON CONFLICT opens each key's alert
     * or joins the open one while it is inside the window; only for keys whose open alert went
     * stale does a second statement close it and a third open a fresh one. Each row is one distinct key with
     * the number of events it carries (`count`), so no key appears twice in the statement.
     * Rows must be sorted by (integration, key): rows are locked in that order, which keeps two
     * concurrent batches from deadlocking on each other. Hand-written over `unnest` arrays (one
     * text whatever the row count, prepared once per connection): Drizzle's per-value SQL
     * building was a fifth of the ingest CPU.
     */
    async upsertFiringMany(
      executor: Executor,
      rows: Array<{ target: IngestTarget; alert: NormalizedAlert; count: number; teamIds: string[] }>,
      at: Date,
    ): Promise<Array<{ id: string; created: boolean }>> {
      if (rows.length === 0) return [];
      const ids = rows.map(() => uuidv7());
      const keyOf = (integrationId: string, dedupKey: string) => `${integrationId}\u0000${dedupKey}`;
      const found = new Map<string, string>();
      const upsert = async (statement: HotStatement, indexes: number[]) => {
        const picked = indexes.map((index) => rows[index] as (typeof rows)[number]);
        const returned = await queryHot<{ id: string; integration_id: string; dedup_key: string }>(
          executor,
          statement,
          [
            at,
            indexes.map((index) => ids[index]),
            picked.map(({ target }) => target.integrationId),
            picked.map(({ target }) => target.integrationName),
            picked.map(({ alert }) => alert.dedupKey),
            picked.map(({ alert }) => alert.title),
            picked.map(({ alert }) => alert.description),
            picked.map(({ alert }) => alert.severity),
            picked.map(({ alert }) => alert.source),
            picked.map(({ alert }) => JSON.stringify(alert.labels)),
            picked.map(({ alert }) => JSON.stringify(alert.links)),
            picked.map(({ count }) => count),
            picked.map(({ teamIds }) => toUuidArrayLiteral(teamIds)),
          ],
        );
        for (const row of returned) found.set(keyOf(row.integration_id, row.dedup_key), row.id);
      };
      // One round trip in the common case; keys whose open alert went stale take two more.
      await upsert(
        UPSERT_FIRING_FRESH,
        rows.map((_, index) => index),
      );
      const stale = rows.flatMap(({ target, alert }, index) =>
        found.has(keyOf(target.integrationId, alert.dedupKey)) ? [] : [index],
      );
      if (stale.length > 0) {
        const picked = stale.map((index) => rows[index] as (typeof rows)[number]);
        await queryHot(executor, CLOSE_STALE, [
          at,
          picked.map(({ target }) => target.integrationId),
          picked.map(({ alert }) => alert.dedupKey),
          picked.map(({ target }) => new Date(at.getTime() - target.windowMinutes * 60_000)),
        ]);
        await upsert(UPSERT_FIRING, stale);
      }
      return rows.map(({ target, alert }, index) => {
        const id = found.get(keyOf(target.integrationId, alert.dedupKey));
        if (id === undefined) throw new Error('alert upsert returned no row for a key');
        return { id, created: id === ids[index] };
      });
    },

    /**
     * upsertFiringMany, the occurrences and the accepted deliveries of a batch of firing events in
     * one statement (one round trip, no explicit transaction). `events` are in the order the
     * occurrences are written: `row` indexes `rows`, `first` marks the first event of its key.
     * Returns undefined, having written nothing, when a key's open alert went stale (outside
     * its window): the caller then writes the batch the long way (upsertFiringMany closes it).
     */
    async upsertFiringBatch(
      executor: Executor,
      rows: Array<{ target: IngestTarget; alert: NormalizedAlert; count: number; teamIds: string[] }>,
      events: Array<{ row: number; deliveryId: string; first: boolean }>,
      deliveries: AcceptedBatchDelivery[],
      at: Date,
    ): Promise<Array<{ id: string; created: boolean }> | undefined> {
      const ids = rows.map(() => uuidv7());
      let returned: Array<{ id: string; integration_id: string; dedup_key: string }>;
      try {
        returned = await queryHot(executor, UPSERT_FIRING_BATCH, [
          at,
          ids,
          rows.map(({ target }) => target.integrationId),
          rows.map(({ target }) => target.integrationName),
          rows.map(({ alert }) => alert.dedupKey),
          rows.map(({ alert }) => alert.title),
          rows.map(({ alert }) => alert.description),
          rows.map(({ alert }) => alert.severity),
          rows.map(({ alert }) => alert.source),
          rows.map(({ alert }) => JSON.stringify(alert.labels)),
          rows.map(({ alert }) => JSON.stringify(alert.links)),
          rows.map(({ count }) => count),
          rows.map(({ teamIds }) => toUuidArrayLiteral(teamIds)),
          events.map(() => uuidv7()),
          events.map(({ row }) => row + 1),
          events.map(({ deliveryId }) => deliveryId),
          events.map(({ first }) => first),
          ...acceptedBatchParams(deliveries),
        ]);
      } catch (error) {
        if (isNotNullViolation(error, 'alert_id')) return undefined;
        throw error;
      }
      const found = new Map(returned.map((row) => [`${row.integration_id}\u0000${row.dedup_key}`, row.id]));
      return rows.map(({ target, alert }, index) => {
        const id = found.get(`${target.integrationId}\u0000${alert.dedupKey}`);
        if (id === undefined) throw new Error('alert upsert returned no row for a key');
        return { id, created: id === ids[index] };
      });
    },

    /** Moves the open alert with this key to `status`; undefined when none is open. */
    async transitionOpen(
      executor: Executor,
      integrationId: string,
      dedupKey: string,
      status: 'acknowledged' | 'resolved',
      at: Date,
    ): Promise<string | undefined> {
      const [row] = await executor
        .update(alerts)
        .set(
          status === 'resolved'
            ? { status, resolvedAt: at, lastSeenAt: at, occurrenceCount: sql`${alerts.occurrenceCount} + 1` }
            : {
                status: sql`CASE WHEN ${alerts.status} = 'firing' THEN 'acknowledged' ELSE ${alerts.status} END`,
                acknowledgedAt: sql`COALESCE(${alerts.acknowledgedAt}, ${at.toISOString()}::timestamptz)`,
                lastSeenAt: at,
                occurrenceCount: sql`${alerts.occurrenceCount} + 1`,
              },
        )
        .where(and(eq(alerts.integrationId, integrationId), eq(alerts.dedupKey, dedupKey), OPEN))
        .returning({ id: alerts.id });
      return row?.id;
    },

    async insertOccurrences(
      executor: Executor,
      occurrences: Array<{
        alertId: string;
        deliveryId: string | null;
        userId: string | null;
        kind: OccurrenceKind;
        occurredAt: Date;
      }>,
    ): Promise<void> {
      if (occurrences.length === 0) return;
      await queryHot(executor, INSERT_OCCURRENCES, [
        occurrences.map(() => uuidv7()),
        occurrences.map((o) => o.alertId),
        occurrences.map((o) => o.deliveryId),
        occurrences.map((o) => o.userId),
        occurrences.map((o) => o.kind),
        occurrences.map((o) => o.occurredAt),
      ]);
    },

    async findById(executor: Executor, id: string): Promise<AlertRow | undefined> {
      const [row] = await alertByIdQuery(executor).execute({ id });
      return row;
    },

    /** The open (firing or acknowledged) alert of an integration with this dedup key, if any. */
    async findOpenByDedupKey(
      executor: Executor,
      integrationId: string,
      dedupKey: string,
    ): Promise<AlertRow | undefined> {
      const [row] = await executor
        .select()
        .from(alerts)
        .where(
          and(
            eq(alerts.integrationId, integrationId),
            eq(alerts.dedupKey, dedupKey),
            inArray(alerts.status, ['firing', 'acknowledged']),
          ),
        )
        .limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<AlertRow | undefined> {
      const [row] = await executor.select().from(alerts).where(eq(alerts.id, id)).limit(1).for('update');
      return row;
    },

    async listOccurrences(executor: Executor, alertId: string, limit: number): Promise<AlertOccurrenceRow[]> {
      return executor
        .select()
        .from(alertOccurrences)
        .where(eq(alertOccurrences.alertId, alertId))
        .orderBy(desc(alertOccurrences.id))
        .limit(limit);
    },

    /** The incidents this alert belongs to (one per team it reached). */
    async incidentsOf(executor: Executor, alertId: string) {
      return executor
        .select({
          id: incidents.id,
          number: incidents.number,
          title: incidents.title,
          status: incidents.status,
          teamId: incidents.teamId,
        })
        .from(incidentAlerts)
        .innerJoin(incidents, eq(incidents.id, incidentAlerts.incidentId))
        .where(eq(incidentAlerts.alertId, alertId))
        .orderBy(incidents.id);
    },

    async teamNames(executor: Executor, teamIds: string[]): Promise<Array<{ id: string; name: string }>> {
      if (teamIds.length === 0) return [];
      return executor.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, teamIds));
    },

    /** The payload of the latest delivery that touched this alert and kept one (accepted deliveries do). */
    async latestPayload(executor: Executor, alertId: string) {
      const [row] = await executor
        .select({
          id: webhookDeliveries.id,
          receivedAt: webhookDeliveries.receivedAt,
          status: webhookDeliveries.status,
          payload: webhookDeliveries.payload,
          payloadTruncatedFrom: webhookDeliveries.payloadTruncatedFrom,
        })
        .from(alertOccurrences)
        .innerJoin(webhookDeliveries, eq(webhookDeliveries.id, alertOccurrences.deliveryId))
        .where(and(eq(alertOccurrences.alertId, alertId), sql`${webhookDeliveries.payload} IS NOT NULL`))
        .orderBy(desc(alertOccurrences.id))
        .limit(1);
      return row;
    },

    async list(executor: Executor, filter: AlertFilter): Promise<AlertRow[]> {
      const conditions: SQL[] = [];
      if (filter.status !== undefined) conditions.push(eq(alerts.status, filter.status));
      if (filter.severity !== undefined) conditions.push(eq(alerts.severity, filter.severity));
      if (filter.integrationId !== undefined) conditions.push(eq(alerts.integrationId, filter.integrationId));
      if (filter.teamId !== undefined) conditions.push(arrayContains(alerts.teamIds, [filter.teamId]));
      if (filter.anyOfTeamIds !== undefined) conditions.push(arrayOverlaps(alerts.teamIds, filter.anyOfTeamIds));
      if (filter.beforeId !== undefined) conditions.push(lt(alerts.id, filter.beforeId));
      return executor
        .select()
        .from(alerts)
        .where(and(...conditions))
        .orderBy(desc(alerts.id))
        .limit(filter.limit);
    },

    async update(
      executor: Executor,
      id: string,
      changes: Partial<
        Pick<
          AlertRow,
          'status' | 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt' | 'resolvedBy' | 'teamIds' | 'suppressedBy'
        >
      >,
    ): Promise<AlertRow> {
      const [row] = await executor.update(alerts).set(changes).where(eq(alerts.id, id)).returning();
      if (row === undefined) throw new Error('alert update matched no row');
      return row;
    },

    async countByIds(executor: Executor, ids: string[]): Promise<number> {
      if (ids.length === 0) return 0;
      const [row] = await executor
        .select({ count: sql<number>`count(*)::int` })
        .from(alerts)
        .where(inArray(alerts.id, ids));
      return row?.count ?? 0;
    },
  };
}

export type AlertsRepository = ReturnType<typeof createAlertsRepository>;
