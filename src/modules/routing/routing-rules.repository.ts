import { and, asc, count, eq, gt, gte, isNull, lte, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import { type RoutingRuleRow, routingRules } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewRoutingRule = Omit<RoutingRuleRow, 'createdAt' | 'updatedAt'>;
export type RoutingRuleChanges = Partial<Omit<RoutingRuleRow, 'id' | 'createdAt' | 'updatedAt'>>;

/** Serialises changes to the rule order across connections and processes (held to commit). */
const RULES_LOCK_ID = 7_240_002;

const ORDER = [asc(routingRules.position), asc(routingRules.id)];
const appliesTo = (integrationId: string) =>
  or(isNull(routingRules.integrationId), eq(routingRules.integrationId, integrationId));

/** Foreign keys make a missing team or integration impossible to store, even under races. */
function missingReference(rule: { teamId?: string | undefined; integrationId?: string | null | undefined }) {
  return ({ constraint, error }: ConstraintViolation) => {
    if (constraint === 'routing_rules_team_id_teams_id_fk') {
      return new AppError('team-not-found', `No team with id ${rule.teamId}`, { cause: error });
    }
    if (constraint === 'routing_rules_integration_id_integrations_id_fk') {
      return new AppError('integration-not-found', `No integration with id ${rule.integrationId}`, { cause: error });
    }
    return undefined;
  };
}

export function createRoutingRulesRepository() {
  return {
    async lockOrder(executor: Executor): Promise<void> {
      await executor.execute(sql`select pg_advisory_xact_lock(${RULES_LOCK_ID})`);
    },

    async list(executor: Executor, integrationId?: string): Promise<RoutingRuleRow[]> {
      return executor
        .select()
        .from(routingRules)
        .where(integrationId === undefined ? undefined : appliesTo(integrationId))
        .orderBy(...ORDER);
    },

    /** The ingest path: the active rules an alert of this integration is routed by, in order. */
    async listActive(executor: Executor, integrationId: string | null): Promise<RoutingRuleRow[]> {
      return executor
        .select()
        .from(routingRules)
        .where(
          and(
            eq(routingRules.isActive, true),
            integrationId === null ? isNull(routingRules.integrationId) : appliesTo(integrationId),
          ),
        )
        .orderBy(...ORDER);
    },

    async findById(executor: Executor, id: string): Promise<RoutingRuleRow | undefined> {
      const [row] = await executor.select().from(routingRules).where(eq(routingRules.id, id)).limit(1);
      return row;
    },

    async count(executor: Executor): Promise<number> {
      const [row] = await executor.select({ count: count() }).from(routingRules);
      return row?.count ?? 0;
    },

    async insert(executor: Executor, rule: NewRoutingRule, at: Date): Promise<RoutingRuleRow> {
      const [row] = await translatingViolations(
        executor
          .insert(routingRules)
          .values({ ...rule, createdAt: at, updatedAt: at })
          .returning(),
        missingReference(rule),
      );
      if (row === undefined) throw new Error('routing rule insert returned no row');
      return row;
    },

    async update(executor: Executor, id: string, changes: RoutingRuleChanges, at: Date): Promise<RoutingRuleRow> {
      const [row] = await translatingViolations(
        executor
          .update(routingRules)
          .set({ ...changes, updatedAt: at })
          .where(eq(routingRules.id, id))
          .returning(),
        missingReference(changes),
      );
      if (row === undefined) throw new Error('routing rule update matched no row');
      return row;
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.delete(routingRules).where(eq(routingRules.id, id));
    },

    /** Moves every rule with a position in [from, to] by `delta` places. */
    async shift(executor: Executor, from: number, to: number | null, delta: number): Promise<void> {
      await executor
        .update(routingRules)
        .set({ position: sql`${routingRules.position} + ${delta}` })
        .where(and(gte(routingRules.position, from), to === null ? undefined : lte(routingRules.position, to)));
    },

    /** Positions 1..n in the given order. */
    async setOrder(executor: Executor, ids: string[]): Promise<void> {
      for (const [index, id] of ids.entries()) {
        await executor
          .update(routingRules)
          .set({ position: index + 1 })
          .where(eq(routingRules.id, id));
      }
    },

    async closeGapAfter(executor: Executor, position: number): Promise<void> {
      await executor
        .update(routingRules)
        .set({ position: sql`${routingRules.position} - 1` })
        .where(gt(routingRules.position, position));
    },
  };
}

export type RoutingRulesRepository = ReturnType<typeof createRoutingRulesRepository>;
