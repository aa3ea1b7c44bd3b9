import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { UrgencySettings } from './support-hours.js';
import type { UrgencyRepository } from './urgency.repository.js';

/** A team's urgency map and support hours: members read them, managers (and admins) write them. */
export function createUrgencyService(deps: {
  db: Database;
  repository: UrgencyRepository;
  authz: Pick<Authz, 'authorize'>;
  auditService: Pick<AuditService, 'record'>;
  now?: () => Date;
}) {
  const { db, repository, authz, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const teamNotFound = (teamId: string) => new AppError('team-not-found', `No team with id ${teamId}`);

  return {
    async get(viewer: Principal, teamId: string): Promise<UrgencySettings> {
      await authz.authorize(viewer, 'read', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      return repository.settingsOf(db, teamId);
    },

    async set(viewer: Principal, teamId: string, settings: UrgencySettings): Promise<UrgencySettings> {
      await authz.authorize(viewer, 'manage', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      return db.transaction(async (tx) => {
        const saved = await repository.upsert(tx, teamId, settings, now());
        await auditService.record(tx, {
          action: 'team_urgency.updated',
          userId: viewer.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'INFO',
          metadata: {
            highUrgencySeverities: saved.highUrgencySeverities,
            timeZone: saved.timeZone,
            windows: saved.windows,
            outsideHours: saved.outsideHours,
          },
        });
        return saved;
      });
    },
  };
}

export type UrgencyService = ReturnType<typeof createUrgencyService>;
