import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import { type EscalationPolicyRow, escalationPolicies, schedules, users } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewEscalationPolicy = typeof escalationPolicies.$inferInsert;
export type EscalationPolicyChanges = Partial<
  Pick<EscalationPolicyRow, 'name' | 'description' | 'repeatCount' | 'isDefault' | 'levels' | 'updatedAt'>
>;

/** What the escalation_policies table's constraints mean when a write violates them. */
function policyViolation(policy: { name?: string | undefined; teamId?: string | undefined }) {
  return ({ kind, constraint, error }: ConstraintViolation) => {
    if (constraint === 'escalation_policies_team_name_unique') {
      return new AppError('duplicate-escalation-policy', `The team already has a policy named "${policy.name ?? ''}"`, {
        cause: error,
      });
    }
    if (constraint === 'escalation_policies_team_default_unique') {
      return new AppError('conflict', 'Another default policy of the team was saved at the same time; try again', {
        cause: error,
      });
    }
    if (kind === 'foreign-key')
      return new AppError('team-not-found', `No team with id ${policy.teamId}`, { cause: error });
    return undefined;
  };
}

export function createEscalationPoliciesRepository() {
  return {
    async insert(executor: Executor, row: NewEscalationPolicy): Promise<EscalationPolicyRow> {
      const [inserted] = await translatingViolations(
        executor.insert(escalationPolicies).values(row).returning(),
        policyViolation(row),
      );
      if (inserted === undefined) throw new Error('policy insert returned no row');
      return inserted;
    },

    async update(executor: Executor, id: string, changes: EscalationPolicyChanges): Promise<EscalationPolicyRow> {
      const [row] = await translatingViolations(
        executor.update(escalationPolicies).set(changes).where(eq(escalationPolicies.id, id)).returning(),
        policyViolation(changes),
      );
      if (row === undefined) throw new Error('policy update matched no row');
      return row;
    },

    /** Only one default per team: the others stop being the default. */
    async clearDefault(executor: Executor, teamId: string, exceptId: string): Promise<void> {
      await executor
        .update(escalationPolicies)
        .set({ isDefault: false })
        .where(
          and(
            eq(escalationPolicies.teamId, teamId),
            eq(escalationPolicies.isDefault, true),
            ne(escalationPolicies.id, exceptId),
          ),
        );
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.delete(escalationPolicies).where(eq(escalationPolicies.id, id));
    },

    async findById(executor: Executor, id: string): Promise<EscalationPolicyRow | undefined> {
      const [row] = await executor.select().from(escalationPolicies).where(eq(escalationPolicies.id, id)).limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<EscalationPolicyRow | undefined> {
      const [row] = await executor
        .select()
        .from(escalationPolicies)
        .where(eq(escalationPolicies.id, id))
        .limit(1)
        .for('update');
      return row;
    },

    async findDefault(executor: Executor, teamId: string): Promise<EscalationPolicyRow | undefined> {
      const [row] = await executor
        .select()
        .from(escalationPolicies)
        .where(and(eq(escalationPolicies.teamId, teamId), eq(escalationPolicies.isDefault, true)))
        .limit(1);
      return row;
    },

    async list(executor: Executor, teamIds: string[] | 'all'): Promise<EscalationPolicyRow[]> {
      if (teamIds !== 'all' && teamIds.length === 0) return [];
      return executor
        .select()
        .from(escalationPolicies)
        .where(teamIds === 'all' ? undefined : inArray(escalationPolicies.teamId, teamIds))
        .orderBy(asc(escalationPolicies.id));
    },

    async existingUserIds(executor: Executor, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await executor.select({ id: users.id }).from(users).where(inArray(users.id, ids));
      return new Set(rows.map((row) => row.id));
    },

    async existingScheduleIds(executor: Executor, ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const rows = await executor.select({ id: schedules.id }).from(schedules).where(inArray(schedules.id, ids));
      return new Set(rows.map((row) => row.id));
    },

    /** How each existing user is named in timelines: their name, else their email. */
    async displayNamesByIds(executor: Executor, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await executor
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids));
      return new Map(rows.map((row) => [row.id, row.name ?? row.email]));
    },

    async scheduleNamesByIds(executor: Executor, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await executor
        .select({ id: schedules.id, name: schedules.name })
        .from(schedules)
        .where(inArray(schedules.id, ids));
      return new Map(rows.map((row) => [row.id, row.name]));
    },
  };
}

export type EscalationPoliciesRepository = ReturnType<typeof createEscalationPoliciesRepository>;
