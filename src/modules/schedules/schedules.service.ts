import type { Principal } from '../../core/principal.js';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import { createScheduleAccess, type SchedulePartDeps } from './schedule-access.js';
import { createDefinitionLoader } from './schedule-definition.js';
import { createScheduleFeeds } from './schedule-feeds.js';
import { createScheduleLayers } from './schedule-layers.js';
import { createScheduleOnCall } from './schedule-oncall.js';
import { createScheduleOverrides } from './schedule-overrides.js';
import type { SchedulesRepository } from './schedules.repository.js';

export type { CreateLayerInput, UpdateLayerInput } from './schedule-layers.js';
export type { CreateOverrideInput } from './schedule-overrides.js';

export interface CreateScheduleInput {
  teamId: string;
  name: string;
  description?: string | null | undefined;
  timeZone: string;
}

export interface UpdateScheduleInput {
  name?: string | undefined;
  description?: string | null | undefined;
  timeZone?: string | undefined;
}

/**
 * Schedules themselves (create, list, rename, delete), composed with the parts that each do one
 * job on them: layers, overrides, on-call queries and iCal feeds.
 */
export function createSchedulesService(deps: {
  db: Executor;
  schedulesRepository: SchedulesRepository;
  auditService: Pick<AuditService, 'record'>;
  authz: Authz;
  now?: () => Date;
}) {
  const { db, schedulesRepository: repository, auditService, authz } = deps;
  const now = deps.now ?? (() => new Date());
  const access = createScheduleAccess({ repository, authz });
  const definitions = createDefinitionLoader(repository);
  const parts: SchedulePartDeps = { db, repository, auditService, access, now };
  const onCall = createScheduleOnCall({ ...parts, authz, definitions });

  async function detail(viewer: Principal, id: string) {
    const { schedule, access: standing } = await access.authorize(db, viewer, id, 'read');
    const layers = await repository.listLayers(db, id);
    return { ...schedule, canManage: standing === 'manage', layers };
  }

  return {
    ...createScheduleLayers(parts),
    ...createScheduleOverrides(parts),
    ...onCall,
    ...createScheduleFeeds({ ...parts, authz, definitions, onCall }),

    async create(input: CreateScheduleInput, actor: Principal) {
      await authz.authorize(actor, 'manage', input.teamId, {
        notFound: () => new AppError('team-not-found', `No team with id ${input.teamId}`),
      });
      const created = await db.transaction(async (tx) => {
        const row = await repository.insert(tx, {
          id: uuidv7(),
          teamId: input.teamId,
          name: input.name,
          description: input.description ?? null,
          timeZone: input.timeZone,
        });
        await auditService.record(tx, {
          action: 'schedule.created',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: row.id,
          severity: 'MEDIUM',
          metadata: { name: row.name, teamId: row.teamId, timeZone: row.timeZone },
        });
        return row;
      });
      return detail(actor, created.id);
    },

    async list(viewer: Principal, teamId?: string) {
      const rows = await repository.list(db, await authz.scopeOf(viewer), teamId);
      const managed = await authz.managedAmong(
        viewer,
        rows.map((row) => row.teamId),
      );
      return rows.map((row) => ({ ...row, canManage: managed.has(row.teamId) }));
    },

    get: detail,

    async update(id: string, input: UpdateScheduleInput, actor: Principal) {
      await db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, id, 'manage', true);
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        for (const field of ['name', 'description', 'timeZone'] as const) {
          const value = input[field];
          if (value !== undefined && value !== schedule[field]) changes[field] = { from: schedule[field], to: value };
        }
        if (Object.keys(changes).length === 0) return;
        await repository.update(
          tx,
          id,
          Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.to])),
          now(),
        );
        await auditService.record(tx, {
          action: 'schedule.updated',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: id,
          severity: changes.timeZone === undefined ? 'INFO' : 'MEDIUM',
          metadata: { name: schedule.name, changes },
        });
      });
      return detail(actor, id);
    },

    async delete(id: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, id, 'manage', true);
        await repository.delete(tx, id);
        await auditService.record(tx, {
          action: 'schedule.deleted',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: id,
          severity: 'HIGH',
          metadata: { name: schedule.name, teamId: schedule.teamId },
        });
      });
    },
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
