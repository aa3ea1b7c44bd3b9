import type { Principal } from '../../core/principal.js';
import type { Executor } from '../../db/client.js';
import type { ScheduleRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { SchedulesRepository } from './schedules.repository.js';

export type Access = 'read' | 'manage';

export const scheduleNotFound = (id: string) => new AppError('schedule-not-found', `No schedule with id ${id}`);
export const layerNotFound = (id: string) =>
  new AppError('schedule-layer-not-found', `No layer with id ${id} in this schedule`);
export const overrideNotFound = (id: string) =>
  new AppError('schedule-override-not-found', `No override with id ${id} in this schedule`);
export const invalid = (path: string, message: string) =>
  new AppError('validation-failed', message, { errors: [{ path, message }] });

/** Who may do what with a schedule: its team's members read it, the team's managers and platform admins manage it. */
export function createScheduleAccess(deps: { repository: SchedulesRepository; authz: Authz }) {
  const { repository, authz } = deps;

  return {
    async accessOf(executor: Executor, viewer: Principal, schedule: ScheduleRow): Promise<Access | undefined> {
      const standing = await authz.standingIn(viewer, schedule.teamId, executor);
      if (standing === undefined) return undefined;
      return standing === 'member' ? 'read' : 'manage';
    },

    /** The schedule if the viewer may see it (404 otherwise, as for a missing one); 403 if they need to manage it and may only read. */
    async authorize(executor: Executor, viewer: Principal, id: string, need: Access, lock = false) {
      const schedule = lock
        ? await repository.findByIdForUpdate(executor, id)
        : await repository.findById(executor, id);
      if (schedule === undefined) throw scheduleNotFound(id);
      const standing = await authz.authorize(viewer, need === 'manage' ? 'manage' : 'read', schedule.teamId, {
        notFound: () => scheduleNotFound(id),
        executor,
      });
      const access: Access = standing === 'member' ? 'read' : 'manage';
      return { schedule, access };
    },

    /** Layer participants and override users are stored references: members of the schedule's team only. */
    checkTeamMembers(executor: Executor, teamId: string, userIds: string[], path: string) {
      return authz.assertReferences(executor, teamId, [{ kind: 'user', ids: userIds, path }]);
    },
  };
}

export type ScheduleAccess = ReturnType<typeof createScheduleAccess>;

/** What every part of the schedules service works with. */
export interface SchedulePartDeps {
  db: Executor;
  repository: SchedulesRepository;
  auditService: Pick<AuditService, 'record'>;
  access: ScheduleAccess;
  now: () => Date;
}
