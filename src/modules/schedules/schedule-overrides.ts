import type { Principal } from '../../core/principal.js';
import { uuidv7 } from '../../lib/ids.js';
import { invalid, overrideNotFound, type SchedulePartDeps } from './schedule-access.js';
import { EARLIEST, LATEST, storable } from './schedule-definition.js';

export interface CreateOverrideInput {
  userId: string;
  startsAt: Date;
  endsAt: Date;
  note?: string | null | undefined;
}

export interface UpdateOverrideInput {
  userId?: string | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  note?: string | null | undefined;
}

/** Overrides: someone covers a span of a schedule in place of whoever the layers name. */
export function createScheduleOverrides(deps: SchedulePartDeps) {
  const { db, repository, auditService, access } = deps;

  return {
    async listOverrides(
      viewer: Principal,
      scheduleId: string,
      range: { from?: Date | undefined; to?: Date | undefined },
    ) {
      await access.authorize(db, viewer, scheduleId, 'read');
      const from = storable(range.from ?? new Date(EARLIEST));
      const to = storable(range.to ?? new Date(LATEST));
      return repository.listOverrides(db, scheduleId, { from, to });
    },

    async createOverride(scheduleId: string, input: CreateOverrideInput, actor: Principal) {
      return db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
        await access.checkTeamMembers(tx, schedule.teamId, [input.userId], 'userId');
        const row = await repository.insertOverride(tx, {
          id: uuidv7(),
          scheduleId,
          userId: input.userId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          note: input.note ?? null,
          createdBy: actor.userId,
        });
        await auditService.record(tx, {
          action: 'schedule.override_created',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: {
            name: schedule.name,
            overrideId: row.id,
            coveringUserId: row.userId,
            startsAt: row.startsAt.toISOString(),
            endsAt: row.endsAt.toISOString(),
          },
        });
        return row;
      });
    },

    /** Who covers, when, and the note change in place; the override keeps its precedence (its creation time). */
    async updateOverride(scheduleId: string, overrideId: string, input: UpdateOverrideInput, actor: Principal) {
      return db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
        const row = await repository.findOverride(tx, scheduleId, overrideId);
        if (row === undefined) throw overrideNotFound(overrideId);
        const next = {
          userId: input.userId ?? row.userId,
          startsAt: input.startsAt ?? row.startsAt,
          endsAt: input.endsAt ?? row.endsAt,
          note: input.note === undefined ? row.note : input.note,
        };
        if (next.endsAt <= next.startsAt) throw invalid('endsAt', 'must be after startsAt');
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        if (next.userId !== row.userId) changes.userId = { from: row.userId, to: next.userId };
        for (const field of ['startsAt', 'endsAt'] as const) {
          if (next[field].getTime() !== row[field].getTime()) {
            changes[field] = { from: row[field].toISOString(), to: next[field].toISOString() };
          }
        }
        if (next.note !== row.note) changes.note = { from: row.note, to: next.note };
        if (Object.keys(changes).length === 0) return row;
        if (changes.userId !== undefined) await access.checkTeamMembers(tx, schedule.teamId, [next.userId], 'userId');
        const updated = await repository.updateOverride(tx, overrideId, next);
        await auditService.record(tx, {
          action: 'schedule.override_updated',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: { name: schedule.name, overrideId, coveringUserId: updated.userId, changes },
        });
        return updated;
      });
    },

    async deleteOverride(scheduleId: string, overrideId: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
        const row = await repository.findOverride(tx, scheduleId, overrideId);
        if (row === undefined) throw overrideNotFound(overrideId);
        await repository.deleteOverride(tx, overrideId);
        await auditService.record(tx, {
          action: 'schedule.override_deleted',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: {
            name: schedule.name,
            overrideId,
            coveringUserId: row.userId,
            startsAt: row.startsAt.toISOString(),
            endsAt: row.endsAt.toISOString(),
          },
        });
      });
    },
  };
}

export type ScheduleOverrides = ReturnType<typeof createScheduleOverrides>;
