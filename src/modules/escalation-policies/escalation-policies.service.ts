import type { Database } from '../../db/client.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/client.js';
import type { EscalationLevel, EscalationPolicyRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Principal } from '../api-keys/api-keys.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { TeamAccess } from '../teams/team-access.js';
import type { EscalationPoliciesRepository } from './escalation-policies.repository.js';
import type { CreatePolicyInput, UpdatePolicyInput } from './escalation-policies.schema.js';

/**
 * Escalation policies of a team: read by its members, written by its managers and platform admins,
 * every change audited in its transaction. User and schedule targets must exist when the policy
 * is saved (a schedule target is resolved to whoever is on call when a level runs).
 */
export function createEscalationPoliciesService(deps: {
  db: Database;
  repository: EscalationPoliciesRepository;
  teamAccess: TeamAccess;
  auditService: Pick<AuditService, 'record'>;
  now?: () => Date;
}) {
  const { db, repository, teamAccess, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('escalation-policy-not-found', `No escalation policy with id ${id}`);
  const duplicate = (name: string | undefined) =>
    new AppError('duplicate-escalation-policy', `The team already has a policy named "${name ?? ''}"`);

  async function assertTargetsExist(levels: EscalationLevel[]) {
    const idsOf = (type: 'user' | 'schedule') => [
      ...new Set(levels.flatMap((l) => l.targets.filter((t) => t.type === type).map((t) => t.id))),
    ];
    const userIds = idsOf('user');
    const scheduleIds = idsOf('schedule');
    const existingUsers = await repository.existingUserIds(db, userIds);
    const existingSchedules = await repository.existingScheduleIds(db, scheduleIds);
    const missing = [
      ...userIds.filter((id) => !existingUsers.has(id)).map((id) => ({ type: 'user', id })),
      ...scheduleIds.filter((id) => !existingSchedules.has(id)).map((id) => ({ type: 'schedule', id })),
    ];
    if (missing.length > 0) {
      throw new AppError(
        'validation-failed',
        `Unknown target(s): ${missing.map((target) => `${target.type} ${target.id}`).join(', ')}`,
        { errors: missing.map(({ type, id }) => ({ path: 'levels', message: `no ${type} with id ${id}` })) },
      );
    }
  }

  async function visible(viewer: Principal, id: string): Promise<EscalationPolicyRow> {
    const policy = await repository.findById(db, id);
    if (policy === undefined || !(await teamAccess.canSee(viewer, policy.teamId))) throw notFound(id);
    return policy;
  }

  const mapErrors = (name: string | undefined) => (error: unknown) => {
    if (isUniqueViolation(error, 'escalation_policies_team_name_unique')) throw duplicate(name);
    if (isUniqueViolation(error, 'escalation_policies_team_default_unique')) {
      throw new AppError('conflict', 'Another default policy of the team was saved at the same time; try again');
    }
    throw error;
  };

  return {
    async list(viewer: Principal, teamId?: string) {
      const scope = await teamAccess.scopeOf(viewer);
      const teams = teamId === undefined ? scope : scope === 'all' || scope.includes(teamId) ? [teamId] : [];
      return repository.list(db, teams);
    },

    get: visible,

    async create(actor: Principal, input: CreatePolicyInput) {
      await teamAccess.assertManager(actor, input.teamId);
      await assertTargetsExist(input.levels);
      const at = now();
      try {
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
      } catch (error) {
        if (isForeignKeyViolation(error)) throw new AppError('team-not-found', `No team with id ${input.teamId}`);
        return mapErrors(input.name)(error);
      }
    },

    async update(actor: Principal, id: string, input: UpdatePolicyInput) {
      const current = await visible(actor, id);
      await teamAccess.assertManager(actor, current.teamId);
      if (input.levels !== undefined) await assertTargetsExist(input.levels);
      try {
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
      } catch (error) {
        return mapErrors(input.name)(error);
      }
    },

    /** Incidents already escalating under the policy stop at their next step (recorded on their timeline). */
    async delete(actor: Principal, id: string): Promise<void> {
      const current = await visible(actor, id);
      await teamAccess.assertManager(actor, current.teamId);
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
