import type { EscalationLevel } from '../../core/escalation-policies.js';
import type { Principal } from '../../core/principal.js';
import type { Executor } from '../../db/client.js';
import type { EscalationPolicyRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { EscalationPoliciesRepository } from './escalation-policies.repository.js';
import type { CreatePolicyInput, UpdatePolicyInput } from './escalation-policies.schema.js';

/**
 * Escalation policies of a team: read by its members, written by its managers and platform admins,
 * every change audited in its transaction. Targets stay inside the team: user targets must be
 * members of the policy's team and schedule targets its schedules, when the policy is saved (here)
 * and when a level runs (the escalation engine skips and records any that no longer are).
 */
export function createEscalationPoliciesService(deps: {
  db: Executor;
  repository: EscalationPoliciesRepository;
  authz: Authz;
  auditService: Pick<AuditService, 'record'>;
  now?: () => Date;
}) {
  const { db, repository, authz, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('escalation-policy-not-found', `No escalation policy with id ${id}`);
  const teamNotFound = (teamId: string) => new AppError('team-not-found', `No team with id ${teamId}`);

  /** Every target of the levels must belong to the policy's team (authz: stored references). */
  function assertTargetsInTeam(teamId: string, levels: EscalationLevel[]) {
    const targets = levels.flatMap((level) => level.targets);
    // "Everyone on the team" and "the team's channel" name the policy's own team: never another team's.
    const foreignTeams = targets.filter((t) => (t.type === 'team' || t.type === 'team_channel') && t.id !== teamId);
    if (foreignTeams.length > 0) {
      throw new AppError('validation-failed', "A team target must be the policy's own team", {
        errors: foreignTeams.map((t) => ({ path: 'levels', message: `team ${t.id} is not the policy's team` })),
      });
    }
    return authz.assertReferences(db, teamId, [
      { kind: 'user', ids: targets.filter((t) => t.type === 'user').map((t) => t.id), path: 'levels' },
      { kind: 'schedule', ids: targets.filter((t) => t.type === 'schedule').map((t) => t.id), path: 'levels' },
    ]);
  }

  async function visible(viewer: Principal, id: string): Promise<EscalationPolicyRow> {
    const policy = await repository.findById(db, id);
    if (policy === undefined) throw notFound(id);
    await authz.authorize(viewer, 'read', policy.teamId, { notFound: () => notFound(id) });
    return policy;
  }

  return {
    async list(viewer: Principal, teamId?: string) {
      const scope = await authz.scopeOf(viewer);
      const teams = teamId === undefined ? scope : scope === 'all' || scope.includes(teamId) ? [teamId] : [];
      return repository.list(db, teams);
    },

    get: visible,

    async create(actor: Principal, input: CreatePolicyInput) {
      await authz.authorize(actor, 'manage', input.teamId, {
        notFound: () => teamNotFound(input.teamId),
        teamMustExist: true,
      });
      await assertTargetsInTeam(input.teamId, input.levels);
      const at = now();
      return await db.transaction(async (tx) => {
        const id = uuidv7();
        // The previous default stops being one first: at most one default per team (unique index).
        if (input.isDefault) await repository.clearDefault(tx, input.teamId, id);
        const policy = await repository.insert(tx, {
          id,
          teamId: input.teamId,
          name: input.name,
          description: input.description ?? null,
          repeatCount: input.repeatCount,
          isDefault: input.isDefault,
          ackTimeoutMinutes: input.ackTimeoutMinutes,
          levels: input.levels,
          createdAt: at,
          updatedAt: at,
        });
        await auditService.record(tx, {
          action: 'escalation_policy.created',
          userId: actor.userId,
          resourceType: 'escalation_policy',
          resourceId: policy.id,
          severity: 'MEDIUM',
          metadata: {
            name: policy.name,
            teamId: policy.teamId,
            isDefault: policy.isDefault,
            ackTimeoutMinutes: policy.ackTimeoutMinutes,
            levels: policy.levels,
          },
        });
        return policy;
      });
    },

    async update(actor: Principal, id: string, input: UpdatePolicyInput) {
      const current = await visible(actor, id);
      await authz.authorize(actor, 'manage', current.teamId, { notFound: () => notFound(id) });
      if (input.levels !== undefined) await assertTargetsInTeam(current.teamId, input.levels);
      return await db.transaction(async (tx) => {
        const before = await repository.findByIdForUpdate(tx, id);
        if (before === undefined) throw notFound(id);
        const changes = Object.fromEntries(
          Object.entries(input).filter(([, value]) => value !== undefined),
        ) as UpdatePolicyInput;
        if (changes.isDefault === true) await repository.clearDefault(tx, before.teamId, id);
        const policy = await repository.update(tx, id, { ...changes, updatedAt: now() });
        await auditService.record(tx, {
          action: 'escalation_policy.updated',
          userId: actor.userId,
          resourceType: 'escalation_policy',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: {
            name: policy.name,
            teamId: policy.teamId,
            changes: Object.fromEntries(
              Object.keys(changes).map((key) => [
                key,
                { from: before[key as keyof UpdatePolicyInput], to: policy[key as keyof UpdatePolicyInput] },
              ]),
            ),
          },
        });
        return policy;
      });
    },

    /** Incidents already escalating under the policy stop at their next step (recorded on their timeline). */
    async delete(actor: Principal, id: string): Promise<void> {
      const current = await visible(actor, id);
      await authz.authorize(actor, 'manage', current.teamId, { notFound: () => notFound(id) });
      await db.transaction(async (tx) => {
        const policy = await repository.findByIdForUpdate(tx, id);
        if (policy === undefined) throw notFound(id);
        await repository.delete(tx, id);
        await auditService.record(tx, {
          action: 'escalation_policy.deleted',
          userId: actor.userId,
          resourceType: 'escalation_policy',
          resourceId: id,
          severity: 'HIGH',
          metadata: { name: policy.name, teamId: policy.teamId },
        });
      });
    },
  };
}

export type EscalationPoliciesService = ReturnType<typeof createEscalationPoliciesService>;
