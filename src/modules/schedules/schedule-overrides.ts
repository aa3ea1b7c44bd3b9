import { uuidv7 } from '../../lib/ids.js';
import type { Principal } from '../api-keys/api-keys.service.js';
import { overrideNotFound, type SchedulePartDeps } from './schedule-access.js';
import { EARLIEST, LATEST, storable } from './schedule-definition.js';

export interface CreateOverrideInput {
  userId: string;
  startsAt: Date;
  endsAt: Date;
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
