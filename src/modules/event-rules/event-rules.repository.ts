import { and, asc, eq, isNull, max, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import { type EventRuleRow, eventRules } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewEventRule = typeof eventRules.$inferInsert;
export type EventRuleChanges = Partial<Omit<EventRuleRow, 'id' | 'createdAt'>>;

const ORDER = [asc(eventRules.position), asc(eventRules.id)];

/** The one foreign key names the integration a rule is scoped to. */
const missingIntegration = ({ kind, error }: ConstraintViolation) =>
  kind === 'foreign-key'
    ? new AppError('integration-not-found', 'No integration with that id', { cause: error })
    : undefined;

export function createEventRulesRepository() {
  return {
    async list(executor: Executor, integrationId?: string): Promise<EventRuleRow[]> {
      return executor
        .select()
        .from(eventRules)
        .where(
          integrationId === undefined
            ? undefined
            : or(isNull(eventRules.integrationId), eq(eventRules.integrationId, integrationId)),
        )
        .orderBy(...ORDER);
    },

    /** The ingest path: active rules for alerts of this integration (its own and the global ones), in order. */
    async listActive(executor: Executor, integrationId: string): Promise<EventRuleRow[]> {
      return executor
        .select()
        .from(eventRules)
        .where(
          and(
            eq(eventRules.isActive, true),
            or(isNull(eventRules.integrationId), eq(eventRules.integrationId, integrationId)),
          ),
        )
        .orderBy(...ORDER);
    },

    async findById(executor: Executor, id: string): Promise<EventRuleRow | undefined> {
      const [row] = await executor.select().from(eventRules).where(eq(eventRules.id, id)).limit(1);
      return row;
    },

    async lastPosition(executor: Executor): Promise<number> {
      const [row] = await executor.select({ last: max(eventRules.position) }).from(eventRules);
      return row?.last ?? 0;
    },

    async insert(executor: Executor, rule: NewEventRule): Promise<EventRuleRow> {
      const [row] = await translatingViolations(
        executor.insert(eventRules).values(rule).returning(),
        missingIntegration,
      );
      if (row === undefined) throw new Error('event rule insert returned no row');
      return row;
    },

    async update(executor: Executor, id: string, changes: EventRuleChanges): Promise<EventRuleRow | undefined> {
      const [row] = await translatingViolations(
        executor.update(eventRules).set(changes).where(eq(eventRules.id, id)).returning(),
        missingIntegration,
      );
      return row;
    },

    async delete(executor: Executor, id: string): Promise<boolean> {
      const rows = await executor.delete(eventRules).where(eq(eventRules.id, id)).returning({ id: eventRules.id });
      return rows.length > 0;
    },
  };
}

export type EventRulesRepository = ReturnType<typeof createEventRulesRepository>;
