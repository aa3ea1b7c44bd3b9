import { and, desc, eq, gt, isNotNull, or, sql } from 'drizzle-orm';
import type { AlertSuppression } from '../../core/noise-control.js';
import type { Executor } from '../../db/client.js';
import {
  alerts,
  type MaintenanceWindowRow,
  maintenanceWindowEndings,
  maintenanceWindows,
} from '../../db/schema/index.js';

export type MaintenanceWindowChanges = Partial<Omit<MaintenanceWindowRow, 'id' | 'createdAt' | 'createdByUserId'>>;

export function createMaintenanceRepository() {
  return {
    async insert(executor: Executor, row: MaintenanceWindowRow): Promise<MaintenanceWindowRow> {
      const [inserted] = await executor.insert(maintenanceWindows).values(row).returning();
      if (inserted === undefined) throw new Error('maintenance window insert returned no row');
      return inserted;
    },

    async update(executor: Executor, id: string, changes: MaintenanceWindowChanges) {
      const [row] = await executor
        .update(maintenanceWindows)
        .set(changes)
        .where(eq(maintenanceWindows.id, id))
        .returning();
      return row;
    },

    async delete(executor: Executor, id: string): Promise<MaintenanceWindowRow | undefined> {
      const [row] = await executor.delete(maintenanceWindows).where(eq(maintenanceWindows.id, id)).returning();
      return row;
    },

    async findById(executor: Executor, id: string): Promise<MaintenanceWindowRow | undefined> {
      const [row] = await executor.select().from(maintenanceWindows).where(eq(maintenanceWindows.id, id)).limit(1);
      return row;
    },

    async list(executor: Executor): Promise<MaintenanceWindowRow[]> {
      return executor.select().from(maintenanceWindows).orderBy(desc(maintenanceWindows.id));
    },

    /** Windows that are or may again be in force after `at`: recurring ones, and spans not yet over. */
    async listCurrent(executor: Executor, at: Date): Promise<MaintenanceWindowRow[]> {
      return executor
        .select()
        .from(maintenanceWindows)
        .where(or(isNotNull(maintenanceWindows.recurrence), gt(maintenanceWindows.endsAt, at)))
        .orderBy(maintenanceWindows.id);
    },

    /** Claims the end of one occurrence: true for exactly one caller across all processes. */
    async claimEnding(executor: Executor, windowId: string, endedAt: Date, at: Date): Promise<boolean> {
      const inserted = await executor
        .insert(maintenanceWindowEndings)
        .values({ windowId, endedAt, handledAt: at })
        .onConflictDoNothing()
        .returning({ windowId: maintenanceWindowEndings.windowId });
      return inserted.length > 0;
    },

    /** Alerts the window held back that still fire, for opening incidents when it ends. */
    async firingAlertsHeldBy(executor: Executor, windowId: string): Promise<string[]> {
      const held: AlertSuppression = { kind: 'maintenance', id: windowId };
      const rows = await executor
        .select({ id: alerts.id })
        .from(alerts)
        .where(and(eq(alerts.status, 'firing'), sql`${alerts.suppressedBy} @> ${JSON.stringify(held)}::jsonb`))
        .orderBy(alerts.id);
      return rows.map((row) => row.id);
    },
  };
}

export type MaintenanceRepository = ReturnType<typeof createMaintenanceRepository>;
