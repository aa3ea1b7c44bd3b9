import { and, asc, desc, eq, gt, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import {
  type IcalFeedRow,
  icalFeeds,
  type ScheduleLayerRow,
  type ScheduleLayerVersionRow,
  type ScheduleOverrideRow,
  type ScheduleRow,
  scheduleLayers,
  scheduleLayerVersions,
  scheduleOverrides,
  schedules,
  users,
} from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewSchedule = Pick<ScheduleRow, 'id' | 'teamId' | 'name' | 'description' | 'timeZone'>;
export type ScheduleChanges = Partial<Pick<ScheduleRow, 'name' | 'description' | 'timeZone'>>;
export type NewLayer = Pick<
  ScheduleLayerRow,
  'id' | 'scheduleId' | 'name' | 'position' | 'timeZone' | 'startsAt' | 'endsAt'
>;
export type LayerChanges = Partial<Pick<ScheduleLayerRow, 'name' | 'position' | 'endsAt'>>;
export type NewLayerVersion = Omit<ScheduleLayerVersionRow, 'createdAt'>;
export type NewOverride = Omit<ScheduleOverrideRow, 'createdAt'>;
export type OverrideChanges = Pick<ScheduleOverrideRow, 'userId' | 'startsAt' | 'endsAt' | 'note'>;
export type NewIcalFeed = Pick<IcalFeedRow, 'id' | 'scheduleId' | 'userId' | 'tokenHash' | 'tokenPrefix' | 'createdBy'>;

export interface LayerWithVersions extends ScheduleLayerRow {
  versions: ScheduleLayerVersionRow[];
}

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
}

/** What the schedules table's constraints mean when a write violates them. */
function scheduleViolation(schedule: { name?: string | undefined; teamId?: string | undefined }) {
  return ({ constraint, error }: ConstraintViolation) => {
    if (constraint === 'schedules_team_name_unique') {
      return new AppError('duplicate-schedule', `The team already has a schedule named "${schedule.name ?? ''}"`, {
        cause: error,
      });
    }
    if (constraint === 'schedules_team_id_teams_id_fk') {
      return new AppError('team-not-found', `No team with id ${schedule.teamId}`, { cause: error });
    }
    return undefined;
  };
}

export function createSchedulesRepository() {
  return {
    async insert(executor: Executor, schedule: NewSchedule): Promise<ScheduleRow> {
      const [row] = await translatingViolations(
        executor.insert(schedules).values(schedule).returning(),
        scheduleViolation(schedule),
      );
      if (row === undefined) throw new Error('schedule insert returned no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<ScheduleRow | undefined> {
      const [row] = await executor.select().from(schedules).where(eq(schedules.id, id)).limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<ScheduleRow | undefined> {
      const [row] = await executor.select().from(schedules).where(eq(schedules.id, id)).limit(1).for('update');
      return row;
    },

    /** All schedules, or those of the given teams; optionally of one team. */
    async list(executor: Executor, teamIds: string[] | 'all', teamId?: string): Promise<ScheduleRow[]> {
      if (teamIds !== 'all' && teamIds.length === 0) return [];
      return executor
        .select()
        .from(schedules)
        .where(
          and(
            teamIds === 'all' ? undefined : inArray(schedules.teamId, teamIds),
            teamId === undefined ? undefined : eq(schedules.teamId, teamId),
          ),
        )
        .orderBy(asc(sql`lower(${schedules.name})`), asc(schedules.id));
    },

    async update(executor: Executor, id: string, changes: ScheduleChanges, at: Date): Promise<ScheduleRow> {
      const [row] = await translatingViolations(
        executor
          .update(schedules)
          .set({ ...changes, updatedAt: at })
          .where(eq(schedules.id, id))
          .returning(),
        scheduleViolation(changes),
      );
      if (row === undefined) throw new Error('schedule update matched no row');
      return row;
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.delete(schedules).where(eq(schedules.id, id));
    },

    async listLayers(executor: Executor, scheduleId: string): Promise<LayerWithVersions[]> {
      const layers = await executor
        .select()
        .from(scheduleLayers)
        .where(eq(scheduleLayers.scheduleId, scheduleId))
        .orderBy(asc(scheduleLayers.position), asc(scheduleLayers.id));
      if (layers.length === 0) return [];
      const versions = await executor
        .select()
        .from(scheduleLayerVersions)
        .where(
          inArray(
            scheduleLayerVersions.layerId,
            layers.map((layer) => layer.id),
          ),
        )
        .orderBy(asc(scheduleLayerVersions.effectiveFrom), asc(scheduleLayerVersions.id));
      return layers.map((layer) => ({ ...layer, versions: versions.filter((v) => v.layerId === layer.id) }));
    },

    async insertLayer(executor: Executor, layer: NewLayer): Promise<ScheduleLayerRow> {
      const [row] = await executor.insert(scheduleLayers).values(layer).returning();
      if (row === undefined) throw new Error('layer insert returned no row');
      return row;
    },

    async updateLayer(executor: Executor, id: string, changes: LayerChanges, at: Date): Promise<void> {
      await executor
        .update(scheduleLayers)
        .set({ ...changes, updatedAt: at })
        .where(eq(scheduleLayers.id, id));
    },

    async setLayerPosition(executor: Executor, id: string, position: number): Promise<void> {
      await executor.update(scheduleLayers).set({ position }).where(eq(scheduleLayers.id, id));
    },

    async deleteLayer(executor: Executor, id: string): Promise<void> {
      await executor.delete(scheduleLayers).where(eq(scheduleLayers.id, id));
    },

    async insertVersion(executor: Executor, version: NewLayerVersion): Promise<void> {
      await executor.insert(scheduleLayerVersions).values(version);
    },

    /** Overrides of a schedule overlapping [from, to), or all of them. */
    async listOverrides(
      executor: Executor,
      scheduleId: string,
      range?: { from: Date; to: Date },
    ): Promise<ScheduleOverrideRow[]> {
      return executor
        .select()
        .from(scheduleOverrides)
        .where(
          and(
            eq(scheduleOverrides.scheduleId, scheduleId),
            range === undefined ? undefined : lt(scheduleOverrides.startsAt, range.to),
            range === undefined ? undefined : gt(scheduleOverrides.endsAt, range.from),
          ),
        )
        .orderBy(asc(scheduleOverrides.startsAt), asc(scheduleOverrides.id));
    },

    async findOverride(executor: Executor, scheduleId: string, id: string) {
      const [row] = await executor
        .select()
        .from(scheduleOverrides)
        .where(and(eq(scheduleOverrides.scheduleId, scheduleId), eq(scheduleOverrides.id, id)))
        .limit(1);
      return row;
    },

    async insertOverride(executor: Executor, override: NewOverride): Promise<ScheduleOverrideRow> {
      const [row] = await executor.insert(scheduleOverrides).values(override).returning();
      if (row === undefined) throw new Error('override insert returned no row');
      return row;
    },

    async updateOverride(executor: Executor, id: string, changes: OverrideChanges): Promise<ScheduleOverrideRow> {
      const [row] = await executor
        .update(scheduleOverrides)
        .set(changes)
        .where(eq(scheduleOverrides.id, id))
        .returning();
      if (row === undefined) throw new Error('override update matched no row');
      return row;
    },

    async deleteOverride(executor: Executor, id: string): Promise<void> {
      await executor.delete(scheduleOverrides).where(eq(scheduleOverrides.id, id));
    },

    /** Schedules in which a user takes part: in any layer version, or in an override ending after `since`. */
    async scheduleIdsWithUser(executor: Executor, userId: string, since: Date): Promise<string[]> {
      const viaLayers = await executor
        .selectDistinct({ id: scheduleLayers.scheduleId })
        .from(scheduleLayerVersions)
        .innerJoin(scheduleLayers, eq(scheduleLayers.id, scheduleLayerVersions.layerId))
        .where(sql`${scheduleLayerVersions.participantIds} @> ${JSON.stringify([userId])}::jsonb`);
      const viaOverrides = await executor
        .selectDistinct({ id: scheduleOverrides.scheduleId })
        .from(scheduleOverrides)
        .where(and(eq(scheduleOverrides.userId, userId), gte(scheduleOverrides.endsAt, since)));
      return [...new Set([...viaLayers, ...viaOverrides].map((row) => row.id))].sort();
    },

    async userSummaries(executor: Executor, ids: string[]): Promise<UserSummary[]> {
      if (ids.length === 0) return [];
      return executor
        .select({ id: users.id, email: users.email, name: users.name })
        .from(users)
        .where(inArray(users.id, ids))
        .orderBy(asc(users.email));
    },

    async userExists(executor: Executor, id: string): Promise<boolean> {
      const [row] = await executor.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
      return row !== undefined;
    },

    async insertFeed(executor: Executor, feed: NewIcalFeed): Promise<IcalFeedRow> {
      const [row] = await executor.insert(icalFeeds).values(feed).returning();
      if (row === undefined) throw new Error('feed insert returned no row');
      return row;
    },

    async listFeeds(executor: Executor, target: { scheduleId: string } | { userId: string }, createdBy?: string) {
      return executor
        .select()
        .from(icalFeeds)
        .where(
          and(
            'scheduleId' in target ? eq(icalFeeds.scheduleId, target.scheduleId) : eq(icalFeeds.userId, target.userId),
            isNull(icalFeeds.revokedAt),
            createdBy === undefined ? undefined : eq(icalFeeds.createdBy, createdBy),
          ),
        )
        .orderBy(desc(icalFeeds.id));
    },

    async findFeed(executor: Executor, id: string): Promise<IcalFeedRow | undefined> {
      const [row] = await executor
        .select()
        .from(icalFeeds)
        .where(and(eq(icalFeeds.id, id), isNull(icalFeeds.revokedAt)))
        .limit(1);
      return row;
    },

    /** The live feed whose token hashes to `tokenHash`: the lookup is by hash, never by the token. */
    async findFeedByTokenHash(executor: Executor, tokenHash: string): Promise<IcalFeedRow | undefined> {
      const [row] = await executor
        .select()
        .from(icalFeeds)
        .where(and(eq(icalFeeds.tokenHash, tokenHash), isNull(icalFeeds.revokedAt)))
        .limit(1);
      return row;
    },

    async revokeFeed(executor: Executor, id: string, at: Date): Promise<void> {
      await executor.update(icalFeeds).set({ revokedAt: at }).where(eq(icalFeeds.id, id));
    },
  };
}

export type SchedulesRepository = ReturnType<typeof createSchedulesRepository>;
