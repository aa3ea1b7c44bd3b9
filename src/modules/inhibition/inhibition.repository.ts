import { and, desc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { alerts, type InhibitionRuleRow, inhibitionRules } from '../../db/schema/index.js';
import type { SourceAlert } from '../silences/suppression.js';

export type InhibitionRuleChanges = Partial<
  Pick<InhibitionRuleRow, 'name' | 'sourceMatchers' | 'targetMatchers' | 'equal' | 'isActive'>
>;

/** Open alerts looked at per inhibition check; the newest first. */
const MAX_SOURCES = 500;

export function createInhibitionRepository() {
  return {
    async insert(executor: Executor, row: InhibitionRuleRow): Promise<InhibitionRuleRow> {
      const [inserted] = await executor.insert(inhibitionRules).values(row).returning();
      if (inserted === undefined) throw new Error('inhibition rule insert returned no row');
      return inserted;
    },

    async update(executor: Executor, id: string, changes: InhibitionRuleChanges, at: Date) {
      const [row] = await executor
        .update(inhibitionRules)
        .set({ ...changes, updatedAt: at })
        .where(eq(inhibitionRules.id, id))
        .returning();
      return row;
    },

    async delete(executor: Executor, id: string): Promise<InhibitionRuleRow | undefined> {
      const [row] = await executor.delete(inhibitionRules).where(eq(inhibitionRules.id, id)).returning();
      return row;
    },

    async findById(executor: Executor, id: string): Promise<InhibitionRuleRow | undefined> {
      const [row] = await executor.select().from(inhibitionRules).where(eq(inhibitionRules.id, id)).limit(1);
      return row;
    },

    async list(executor: Executor): Promise<InhibitionRuleRow[]> {
      return executor.select().from(inhibitionRules).orderBy(inhibitionRules.id);
    },

    /**
     * Open alerts that may inhibit `alertId`: those carrying the given non-empty label values
     * (the rule's `equal` labels; jsonb containment uses the labels' index when there is one).
     * The source matchers are applied by the caller.
     */
    async openAlertsLike(executor: Executor, alertId: string, labels: Record<string, string>): Promise<SourceAlert[]> {
      const rows = await executor
        .select({
          id: alerts.id,
          severity: alerts.severity,
          source: alerts.source,
          integrationName: alerts.integrationName,
          labels: alerts.labels,
        })
        .from(alerts)
        .where(
          and(
            inArray(alerts.status, ['firing', 'acknowledged']),
            ne(alerts.id, alertId),
            Object.keys(labels).length === 0 ? undefined : sql`${alerts.labels} @> ${JSON.stringify(labels)}::jsonb`,
          ),
        )
        .orderBy(desc(alerts.id))
        .limit(MAX_SOURCES);
      return rows;
    },
  };
}

export type InhibitionRepository = ReturnType<typeof createInhibitionRepository>;
