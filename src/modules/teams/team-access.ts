import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Principal } from '../api-keys/api-keys.service.js';
import type { TeamsRepository } from './teams.repository.js';

/**
 * Team-scoped permissions for the team's own resources (incidents, escalation policies, grouping):
 * platform admins see and manage all; members see their teams'; a team's managers also manage them.
 * A team the caller cannot see answers 404, as alerts of other teams do.
 */
export function createTeamAccess(deps: { db: Database; teamsRepository: TeamsRepository }) {
  const { db, teamsRepository } = deps;
  return {
    async scopeOf(viewer: Principal): Promise<string[] | 'all'> {
      return viewer.isPlatformAdmin ? 'all' : teamsRepository.teamIdsOfUser(db, viewer.userId);
    },

    async canSee(viewer: Principal, teamId: string): Promise<boolean> {
      if (viewer.isPlatformAdmin) return true;
      return (await teamsRepository.findMember(db, teamId, viewer.userId)) !== undefined;
    },

    /** Throws unless the caller may change the team's incident settings. */
    async assertManager(viewer: Principal, teamId: string): Promise<void> {
      if (viewer.isPlatformAdmin) return;
      const member = await teamsRepository.findMember(db, teamId, viewer.userId);
      if (member === undefined) throw new AppError('team-not-found', `No team with id ${teamId}`);
      if (member.role !== 'manager') {
        throw new AppError('forbidden', "Only the team's managers and platform admins can change this");
      }
    },
  };
}

export type TeamAccess = ReturnType<typeof createTeamAccess>;
