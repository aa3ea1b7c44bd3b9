import { and, arrayContains, arrayOverlaps, desc, eq, inArray, lt, type SQL, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  type AlertOccurrenceRow,
  type AlertRow,
  type AlertSeverity,
  type AlertStatus,
  alertOccurrences,
  alerts,
  type OccurrenceKind,
} from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import type { NormalizedAlert } from './normalized-alert.js';

const OPEN = sql`${alerts.status} IN ('firing', 'acknowledged')`;

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
     * The batch form of upsertFiring: one statement closes the stale open alerts of all keys,
     * one multi-row INSERT … ON CONFLICT opens or joins them. Each row is one distinct key with
     * the number of events it carries (`count`), so no key appears twice in the statement.
     * Rows must be sorted by (integration, key): rows are locked in that order, which keeps two
     * concurrent batches from deadlocking on each other.
     */
    async upsertFiringMany(
      executor: Executor,
      rows: Array<{ target: IngestTarget; alert: NormalizedAlert; count: number; teamIds: string[] }>,
      at: Date,
    ): Promise<Array<{ id: string; created: boolean }>> {
      if (rows.length === 0) return [];
      const stale = sql.join(
        rows.map(
          ({ target, alert }) =>
            sql`(${target.integrationId}::uuid, ${alert.dedupKey}::text, ${new Date(at.getTime() - target.windowMinutes * 60_000).toISOString()}::timestamptz)`,
        ),
        sql`, `,
      );
      await executor.execute(sql`
        UPDATE ${alerts} SET status = 'resolved', resolved_at = ${at.toISOString()}::timestamptz
        FROM (VALUES ${stale}) AS stale(integration_id, dedup_key, window_start)
        WHERE ${alerts.integrationId} = stale.integration_id AND ${alerts.dedupKey} = stale.dedup_key
          AND ${alerts.status} IN ('firing', 'acknowledged') AND ${alerts.lastSeenAt} < stale.window_start`);
      const ids = rows.map(() => uuidv7());
      const returned = await executor
        .insert(alerts)
        .values(
          rows.map(({ target, alert, count, teamIds }, index) => ({
            id: ids[index] as string,
            integrationId: target.integrationId,
            integrationName: target.integrationName,
            dedupKey: alert.dedupKey,
            title: alert.title,
            description: alert.description,
            severity: alert.severity,
            status: 'firing' as const,
            source: alert.source,
            labels: alert.labels,
            links: alert.links,
            occurrenceCount: count,
            firstSeenAt: at,
            lastSeenAt: at,
            teamIds,
          })),
        )
        .onConflictDoUpdate({
          target: [alerts.integrationId, alerts.dedupKey],
          targetWhere: OPEN,
          set: { occurrenceCount: sql`${alerts.occurrenceCount} + excluded.occurrence_count`, lastSeenAt: at },
        })
        .returning({ id: alerts.id, integrationId: alerts.integrationId, dedupKey: alerts.dedupKey });
      const byKey = new Map(returned.map((row) => [`${row.integrationId}\u0000${row.dedupKey}`, row.id]));
      return rows.map(({ target, alert }, index) => {
        const id = byKey.get(`${target.integrationId}\u0000${alert.dedupKey}`);
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
      await executor.insert(alertOccurrences).values(occurrences.map((o) => ({ id: uuidv7(), ...o })));
    },

    async findById(executor: Executor, id: string): Promise<AlertRow | undefined> {
      const [row] = await executor.select().from(alerts).where(eq(alerts.id, id)).limit(1);
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
        Pick<AlertRow, 'status' | 'acknowledgedAt' | 'acknowledgedBy' | 'resolvedAt' | 'resolvedBy' | 'teamIds'>
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
