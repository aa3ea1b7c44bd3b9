import type { Principal } from '../../core/principal.js';
import type { TeamRole } from '../../core/teams.js';
import type { Executor, Transaction } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { ChangeFeed } from '../live-updates/change-feed.js';
import type { TeamMemberView, TeamsRepository } from './teams.repository.js';

export interface CreateTeamInput {
  name: string;
  description?: string | null | undefined;
}

export interface UpdateTeamInput {
  name?: string | undefined;
  description?: string | null | undefined;
}

export function createTeamsService(deps: {
  db: Executor;
  teamsRepository: TeamsRepository;
  auditService: Pick<AuditService, 'record'>;
  authz: Pick<Authz, 'authorize' | 'scopeOf'>;
  /** Open live-update streams: a removed member's end at once (they reconnect with their new scope). */
  liveStreams?: Pick<ChangeFeed, 'endStreamsOf'>;
  now?: () => Date;
}) {
  const { db, teamsRepository: repository, auditService, authz } = deps;
  const now = deps.now ?? (() => new Date());

  const notFound = (id: string) => new AppError('team-not-found', `No team with id ${id}`);
  const memberNotFound = (teamId: string, userId: string) =>
    new AppError('team-member-not-found', `User ${userId} is not a member of team ${teamId}`);

  /** A team the caller may read: any for a platform admin, only their own for anyone else (404 otherwise). */
  async function visibleTeam(viewer: Principal, id: string) {
    await authz.authorize(viewer, 'read', id, { notFound: () => notFound(id) });
    const team = await repository.findView(db, viewer.userId, id);
    if (team === undefined) throw notFound(id);
    return team;
  }

  /**
   * Membership is the team's own business: its managers and platform admins change it. Team
   * roles are `member` and `manager` only, so no one is made platform admin here.
   */
  async function manageable(actor: Principal, id: string, tx: Transaction) {
    await authz.authorize(actor, 'manage', id, { notFound: () => notFound(id), executor: tx });
    return lockTeam(tx, id);
  }

  /**
   * A manager may not leave their team without a manager (a platform admin may: they can appoint
   * one at any time), so that someone in the team can still change its members and schedules.
   */
  async function keepAManager(tx: Transaction, actor: Principal, teamId: string, before: TeamMemberView) {
    if (actor.isPlatformAdmin || before.role !== 'manager') return;
    if ((await repository.countManagers(tx, teamId)) <= 1) {
      throw new AppError('last-team-manager', 'Make someone else a manager of the team first');
    }
  }

  async function lockTeam(tx: Transaction, id: string) {
    const team = await repository.findByIdForUpdate(tx, id);
    if (team === undefined) throw notFound(id);
    return team;
  }

  return {
    async create(input: CreateTeamInput, actor: Principal) {
      const team = await db.transaction(async (tx) => {
        const row = await repository.insert(tx, {
          id: uuidv7(),
          name: input.name,
          description: input.description ?? null,
        });
        await auditService.record(tx, {
          action: 'team.created',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: row.id,
          severity: 'MEDIUM',
          metadata: { name: row.name },
        });
        return row;
      });
      return visibleTeam(actor, team.id);
    },

    async list(viewer: Principal) {
      return repository.listViews(db, viewer.userId, await authz.scopeOf(viewer));
    },

    get: visibleTeam,

    async update(id: string, input: UpdateTeamInput, actor: Principal) {
      await db.transaction(async (tx) => {
        const existing = await lockTeam(tx, id);
        const changes: Record<string, { from: unknown; to: unknown }> = {};
        for (const field of ['name', 'description'] as const) {
          const value = input[field];
          if (value !== undefined && value !== existing[field]) changes[field] = { from: existing[field], to: value };
        }
        if (Object.keys(changes).length === 0) return;
        const updated = await repository.update(
          tx,
          id,
          {
            ...(input.name === undefined ? {} : { name: input.name }),
            ...(input.description === undefined ? {} : { description: input.description }),
          },
          now(),
        );
        await auditService.record(tx, {
          action: 'team.updated',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: id,
          severity: 'INFO',
          metadata: { name: updated.name, changes },
        });
      });
      return visibleTeam(actor, id);
    },

    /**
     * Deleting a team that routing still uses would silently change where alerts go, so it is
     * refused until its rules are deleted or retargeted and no integration defaults to it.
     * Alerts already routed to the team keep its id (history is not rewritten).
     */
    async delete(id: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const existing = await lockTeam(tx, id);
        const { ruleCount, integrationNames } = await repository.references(tx, id);
        if (ruleCount > 0 || integrationNames.length > 0) {
          const uses = [
            ...(ruleCount > 0 ? [`${ruleCount} routing rule(s) target it`] : []),
            ...(integrationNames.length > 0 ? [`default team of integration(s) ${integrationNames.join(', ')}`] : []),
          ];
          throw new AppError('team-in-use', `Team "${existing.name}" is still in use: ${uses.join('; ')}`);
        }
        await repository.delete(tx, id);
        await auditService.record(tx, {
          action: 'team.deleted',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: id,
          severity: 'HIGH',
          metadata: { name: existing.name },
        });
      });
    },

    async listMembers(viewer: Principal, teamId: string) {
      await visibleTeam(viewer, teamId);
      return repository.listMembers(db, teamId);
    },

    /** Whom the team's managers may add: enabled people not in the team yet. */
    async listCandidates(actor: Principal, teamId: string) {
      await authz.authorize(actor, 'manage', teamId, { notFound: () => notFound(teamId), teamMustExist: true });
      return repository.listCandidates(db, teamId);
    },

    async addMember(teamId: string, input: { userId: string; role: TeamRole }, actor: Principal) {
      await db.transaction(async (tx) => {
        const team = await manageable(actor, teamId, tx);
        await repository.insertMember(tx, { teamId, userId: input.userId, role: input.role });
        await auditService.record(tx, {
          action: 'team.member_added',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'MEDIUM',
          metadata: { name: team.name, memberId: input.userId, role: input.role },
        });
      });
      const member = await repository.findMember(db, teamId, input.userId);
      if (member === undefined) throw memberNotFound(teamId, input.userId);
      return member;
    },

    async updateMember(teamId: string, userId: string, role: TeamRole, actor: Principal) {
      await db.transaction(async (tx) => {
        const team = await manageable(actor, teamId, tx);
        const before = await repository.findMember(tx, teamId, userId);
        if (before === undefined) throw memberNotFound(teamId, userId);
        if (before.role === role) return;
        await keepAManager(tx, actor, teamId, before);
        await repository.updateMemberRole(tx, teamId, userId, role);
        await auditService.record(tx, {
          action: 'team.member_role_changed',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'MEDIUM',
          metadata: { name: team.name, memberId: userId, from: before.role, to: role },
        });
      });
      const member = await repository.findMember(db, teamId, userId);
      if (member === undefined) throw memberNotFound(teamId, userId);
      return member;
    },

    async removeMember(teamId: string, userId: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const team = await manageable(actor, teamId, tx);
        const before = await repository.findMember(tx, teamId, userId);
        if (before === undefined) throw memberNotFound(teamId, userId);
        await keepAManager(tx, actor, teamId, before);
        await repository.deleteMember(tx, teamId, userId);
        await auditService.record(tx, {
          action: 'team.member_removed',
          userId: actor.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'MEDIUM',
          metadata: { name: team.name, memberId: userId },
        });
      });
      // Feeds and one-click links derived from the membership are checked at each use (authz).
      deps.liveStreams?.endStreamsOf({ userId });
    },
  };
}

export type TeamsService = ReturnType<typeof createTeamsService>;
