import type { Principal } from '../../core/principal.js';
import type { Executor } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { AuthzRepository } from './authz.repository.js';

/**
 * What a principal is within one team: a platform admin (`admin`) may do anything a manager may;
 * `manager` reads and changes the team's resources (schedules, policies, grouping); `member` reads
 * them and works its incidents and alerts. Undefined: the team is invisible to the principal.
 */
export type TeamStanding = 'admin' | 'manager' | 'member';
/** `read`: see and work (acknowledge, note, reassign); `manage`: change the team's configuration. */
export type TeamAction = 'read' | 'manage';
export type TeamScope = string[] | 'all';

/** A reference that a resource of one team stores: ids of users or of schedules, and the request field they came from. */
export interface StoredReference {
  kind: 'user' | 'schedule';
  ids: string[];
  path: string;
}

const allows = (standing: TeamStanding | undefined, action: TeamAction) =>
  standing !== undefined && (action === 'read' || standing !== 'member');

/**
 * The one authorization module: given the principal, the action and the team that owns the
 * resource, it decides. Services ask it at the top of every method (as GoAlert's permission checks
 * or Infisical's throwUnlessCan), and every id one team's resource stores about another is checked
 * here against the owning team, when it is written and again when it is used.
 *
 * An API key's limits (read-only, one team) are applied here too, so a scoped key never does more
 * than its owner, and never more than its scope.
 */
export function createAuthz(deps: { db: Executor; repository: AuthzRepository }) {
  const { db, repository } = deps;

  /** A key limited to one team sees nothing of the others, whoever owns it. */
  const outsideKeyTeam = (principal: Principal, teamId: string) =>
    principal.keyLimits?.teamId != null && principal.keyLimits.teamId !== teamId;

  async function standingIn(principal: Principal, teamId: string, executor: Executor = db) {
    if (outsideKeyTeam(principal, teamId)) return undefined;
    if (principal.isPlatformAdmin || principal.keyLimits?.ownerIsPlatformAdmin === true) return 'admin' as const;
    return repository.roleOf(executor, teamId, principal.userId);
  }

  function effective(principal: Principal, standing: TeamStanding | undefined): TeamStanding | undefined {
    // A read-only key reads; the auth plugin already refuses its unsafe requests.
    return standing !== undefined && principal.keyLimits?.scope === 'read' ? 'member' : standing;
  }

  async function scopeOf(principal: Principal, executor: Executor = db): Promise<TeamScope> {
    const keyTeam = principal.keyLimits?.teamId;
    if (keyTeam != null) return (await standingIn(principal, keyTeam, executor)) === undefined ? [] : [keyTeam];
    if (principal.isPlatformAdmin) return 'all';
    return [...(await repository.rolesOf(executor, principal.userId)).keys()];
  }

  return {
    scopeOf,

    /** The principal's standing in the team, with its key's limits applied. */
    async standingIn(principal: Principal, teamId: string, executor: Executor = db) {
      return effective(principal, await standingIn(principal, teamId, executor));
    },

    async can(principal: Principal, action: TeamAction, teamId: string, executor: Executor = db): Promise<boolean> {
      return allows(effective(principal, await standingIn(principal, teamId, executor)), action);
    },

    /**
     * Throws unless the principal may act on a resource of the team: `notFound` when it may not
     * even see the team's resources (so ids of other teams do not leak), 403 when it may see but
     * not manage them. Returns the standing.
     */
    async authorize(
      principal: Principal,
      action: TeamAction,
      teamId: string,
      options: { notFound: () => AppError; executor?: Executor; teamMustExist?: boolean },
    ): Promise<TeamStanding> {
      const standing = effective(principal, await standingIn(principal, teamId, options.executor));
      if (standing === undefined) throw options.notFound();
      // Members stand in an existing team; an admin's standing is not proof that the team exists.
      if (
        standing === 'admin' &&
        options.teamMustExist &&
        !(await repository.teamExists(options.executor ?? db, teamId))
      ) {
        throw options.notFound();
      }
      if (!allows(standing, action)) {
        throw new AppError('forbidden', "Only the team's managers and platform admins can change this");
      }
      return standing;
    },

    /** Which of the teams the principal manages (for `canManage` flags in lists). */
    async managedAmong(principal: Principal, teamIds: string[]): Promise<Set<string>> {
      const managed = new Set<string>();
      for (const teamId of new Set(teamIds)) {
        if (allows(effective(principal, await standingIn(principal, teamId)), 'manage')) managed.add(teamId);
      }
      return managed;
    },

    /** A person's own things (contact methods, shifts, feeds): the person, or a platform admin. */
    isSelfOrAdmin(principal: Principal, userId: string): boolean {
      return principal.userId === userId || principal.isPlatformAdmin;
    },

    /**
     * Write time: every user a team's resource names must be a member of that team, and every
     * schedule one of its schedules. The same rule holds for platform admins: they may write any
     * team's resources, but a team's resources only ever point inside the team. Unknown ids and
     * ids of other teams get the same answer, so the check reveals nothing about other teams.
     */
    async assertReferences(executor: Executor, teamId: string, references: StoredReference[]): Promise<void> {
      const errors: Array<{ path: string; message: string }> = [];
      for (const reference of references) {
        const ids = [...new Set(reference.ids)];
        const inside =
          reference.kind === 'user'
            ? await repository.membersAmong(executor, teamId, ids)
            : await repository.schedulesAmong(executor, teamId, ids);
        for (const id of ids.filter((candidate) => !inside.has(candidate))) {
          errors.push({
            path: reference.path,
            message:
              reference.kind === 'user' ? `${id} is not a member of the team` : `${id} is not a schedule of the team`,
          });
        }
      }
      if (errors.length > 0) {
        throw new AppError('validation-failed', errors.map((error) => error.message).join('; '), { errors });
      }
    },

    /**
     * Use time: of the users and schedules a team's resource names, those that still belong to
     * the team, and those that no longer do (a member removed, a schedule moved or deleted).
     */
    async partitionReferences(executor: Executor, teamId: string, refs: { userIds: string[]; scheduleIds: string[] }) {
      const userIds = [...new Set(refs.userIds)];
      const scheduleIds = [...new Set(refs.scheduleIds)];
      const members = await repository.membersAmong(executor, teamId, userIds);
      const teamSchedules = await repository.schedulesAmong(executor, teamId, scheduleIds);
      return {
        userIds: userIds.filter((id) => members.has(id)),
        /** The members' names as people see them (name, else email). */
        names: members,
        strangerUserIds: userIds.filter((id) => !members.has(id)),
        scheduleIds: scheduleIds.filter((id) => teamSchedules.has(id)),
        foreignScheduleIds: scheduleIds.filter((id) => !teamSchedules.has(id)),
      };
    },

    userExists: (id: string, executor: Executor = db) => repository.userExists(executor, id),

    /**
     * The standing of a person who is not the caller, for grants derived from them and used
     * without them (a feed they created, a link sent to them): it ends when they leave the team
     * or their account is disabled.
     */
    async standingOfUser(userId: string, teamId: string, executor: Executor = db): Promise<TeamStanding | undefined> {
      const found = await repository.userInTeam(executor, userId, teamId);
      if (found === undefined || found.disabledAt !== null) return undefined;
      if (found.isPlatformAdmin) return 'admin';
      return found.role ?? undefined;
    },

    /** The teams whose resources a person (not the caller) may see: none once disabled. */
    async scopeOfUser(userId: string, executor: Executor = db): Promise<TeamScope> {
      const found = await repository.findUser(executor, userId);
      if (found === undefined || found.disabledAt !== null) return [];
      if (found.isPlatformAdmin) return 'all';
      return [...(await repository.rolesOf(executor, userId)).keys()];
    },
  };
}

export type Authz = ReturnType<typeof createAuthz>;
