import { and, asc, eq, inArray, lte, min, sql } from 'drizzle-orm';
import type { HeartbeatState } from '../../core/heartbeats.js';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import { type HeartbeatRow, heartbeats } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewHeartbeat = typeof heartbeats.$inferInsert;
export type HeartbeatChanges = Partial<
  Pick<
    HeartbeatRow,
    | 'name'
    | 'description'
    | 'integrationId'
    | 'intervalSeconds'
    | 'graceSeconds'
    | 'severity'
    | 'watchdogIntegrationId'
    | 'watchdogMatchers'
    | 'isActive'
    | 'deadlineAt'
    | 'tokenHash'
    | 'tokenPrefix'
    | 'updatedAt'
  >
>;

/** A ping's effect: the heartbeat after it, and the state it was in before (to resolve a miss). */
export interface PingOutcome {
  heartbeat: HeartbeatRow;
  previousState: HeartbeatState;
}

/** The unique name and the foreign keys, read from the database's own refusal (race-free). */
function heartbeatViolation(heartbeat: { name?: string | undefined; teamId?: string | undefined }) {
  return ({ kind, constraint, error }: ConstraintViolation) => {
    if (constraint === 'heartbeats_team_name_unique') {
      return new AppError('duplicate-heartbeat', `The team already has a heartbeat named "${heartbeat.name ?? ''}"`, {
        cause: error,
      });
    }
    if (constraint === 'heartbeats_team_id_teams_id_fk') {
      return new AppError('team-not-found', `No team with id ${heartbeat.teamId}`, { cause: error });
    }
    // The other foreign keys name integrations (the alerting one and the watchdog's).
    if (kind === 'foreign-key')
      return new AppError('integration-not-found', 'No integration with that id', { cause: error });
    return undefined;
  };
}

export function createHeartbeatsRepository() {
  return {
    async insert(executor: Executor, row: NewHeartbeat): Promise<HeartbeatRow> {
      const [inserted] = await translatingViolations(
        executor.insert(heartbeats).values(row).returning(),
        heartbeatViolation(row),
      );
      if (inserted === undefined) throw new Error('heartbeat insert returned no row');
      return inserted;
    },

    async update(executor: Executor, id: string, changes: HeartbeatChanges): Promise<HeartbeatRow> {
      const [row] = await translatingViolations(
        executor.update(heartbeats).set(changes).where(eq(heartbeats.id, id)).returning(),
        heartbeatViolation(changes),
      );
      if (row === undefined) throw new Error('heartbeat update matched no row');
      return row;
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.delete(heartbeats).where(eq(heartbeats.id, id));
    },

    async findById(executor: Executor, id: string): Promise<HeartbeatRow | undefined> {
      const [row] = await executor.select().from(heartbeats).where(eq(heartbeats.id, id)).limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<HeartbeatRow | undefined> {
      const [row] = await executor.select().from(heartbeats).where(eq(heartbeats.id, id)).limit(1).for('update');
      return row;
    },

    async findByTokenHash(executor: Executor, tokenHash: string): Promise<HeartbeatRow | undefined> {
      const [row] = await executor.select().from(heartbeats).where(eq(heartbeats.tokenHash, tokenHash)).limit(1);
      return row;
    },

    /** Heartbeats of these teams ('all': every team), by name. */
    async list(executor: Executor, teamIds: string[] | 'all'): Promise<HeartbeatRow[]> {
      if (teamIds !== 'all' && teamIds.length === 0) return [];
      return executor
        .select()
        .from(heartbeats)
        .where(teamIds === 'all' ? undefined : inArray(heartbeats.teamId, teamIds))
        .orderBy(asc(heartbeats.name), asc(heartbeats.id));
    },

    /**
     * Heartbeats fed by this integration's watchdog alerts (read on the ingest path, cached).
     * Paused ones too: their watchdog alerts are still pings, never alerts of their own.
     */
    async listWatchdogs(executor: Executor, integrationId: string): Promise<HeartbeatRow[]> {
      return executor
        .select()
        .from(heartbeats)
        .where(eq(heartbeats.watchdogIntegrationId, integrationId))
        .orderBy(asc(heartbeats.id));
    },

    /**
     * Records a ping: the deadline moves to `at` + interval + grace and the state becomes `up`.
     * Run it in a transaction: the row lock orders it against a concurrent claim of the same expiry.
     */
    async ping(executor: Executor, id: string, at: Date): Promise<PingOutcome | undefined> {
      const [previous] = await executor
        .select({ state: heartbeats.state })
        .from(heartbeats)
        .where(eq(heartbeats.id, id))
        .for('update');
      if (previous === undefined) return undefined;
      const [row] = await executor
        .update(heartbeats)
        .set({
          lastPingAt: at,
          deadlineAt: sql`${at.toISOString()}::timestamptz + make_interval(secs => ${heartbeats.intervalSeconds} + ${heartbeats.graceSeconds})`,
          state: 'up',
          missedAt: null,
          alertId: null,
        })
        .where(eq(heartbeats.id, id))
        .returning();
      return row === undefined ? undefined : { heartbeat: row, previousState: previous.state };
    },

    /** Ids of active heartbeats whose deadline has passed while up. */
    async listExpired(executor: Executor, at: Date, limit: number): Promise<string[]> {
      const rows = await executor
        .select({ id: heartbeats.id })
        .from(heartbeats)
        .where(and(eq(heartbeats.isActive, true), eq(heartbeats.state, 'up'), lte(heartbeats.deadlineAt, at)))
        .orderBy(asc(heartbeats.deadlineAt))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    /** Claims claimed by a process that did not finish storing the alert before `claimedBefore`. */
    async listStalledClaims(executor: Executor, claimedBefore: Date, limit: number): Promise<string[]> {
      const rows = await executor
        .select({ id: heartbeats.id })
        .from(heartbeats)
        .where(and(eq(heartbeats.state, 'missing'), lte(heartbeats.updatedAt, claimedBefore)))
        .limit(limit);
      return rows.map((row) => row.id);
    },

    /**
     * The guard that makes one missed-heartbeat alert out of any number of sweeping processes:
     * only the UPDATE that still finds the row `up` and past its deadline returns it.
     */
    async claimExpired(executor: Executor, id: string, at: Date): Promise<HeartbeatRow | undefined> {
      const [row] = await executor
        .update(heartbeats)
        .set({ state: 'missing', missedAt: sql`${heartbeats.deadlineAt}`, updatedAt: at })
        .where(
          and(
            eq(heartbeats.id, id),
            eq(heartbeats.isActive, true),
            eq(heartbeats.state, 'up'),
            lte(heartbeats.deadlineAt, at),
          ),
        )
        .returning();
      return row;
    },

    /** Re-claims a stalled claim (its process died between claim and alert), once. */
    async reclaimStalled(executor: Executor, id: string, claimedBefore: Date, at: Date) {
      const [row] = await executor
        .update(heartbeats)
        .set({ updatedAt: at })
        .where(and(eq(heartbeats.id, id), eq(heartbeats.state, 'missing'), lte(heartbeats.updatedAt, claimedBefore)))
        .returning();
      return row;
    },

    /** `missing` → `down` with the alert; false when a ping came in meanwhile (the alert must be resolved). */
    async markDown(executor: Executor, id: string, alertId: string | null, at: Date): Promise<boolean> {
      const rows = await executor
        .update(heartbeats)
        .set({ state: 'down', alertId, updatedAt: at })
        .where(and(eq(heartbeats.id, id), eq(heartbeats.state, 'missing')))
        .returning({ id: heartbeats.id });
      return rows.length > 0;
    },

    /** The nearest deadline among active heartbeats that are up (when the next sweep is due). */
    async nearestDeadline(executor: Executor): Promise<Date | null> {
      const [row] = await executor
        .select({ at: min(heartbeats.deadlineAt) })
        .from(heartbeats)
        .where(and(eq(heartbeats.isActive, true), eq(heartbeats.state, 'up')));
      return row?.at ?? null;
    },
  };
}

export type HeartbeatsRepository = ReturnType<typeof createHeartbeatsRepository>;
