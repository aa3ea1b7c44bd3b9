import { desc, eq, gt, lte } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type SilenceRow, silences } from '../../db/schema/index.js';

export type SilenceChanges = Partial<Pick<SilenceRow, 'matchers' | 'startsAt' | 'endsAt' | 'comment'>>;

/** Expired silences listed by the API: as many as Alertmanager keeps by default (its retention is 120 h, unbounded in count). */
const MAX_LISTED = 1000;

export function createSilencesRepository() {
  return {
    async insert(executor: Executor, row: SilenceRow): Promise<SilenceRow> {
      const [inserted] = await executor.insert(silences).values(row).returning();
      if (inserted === undefined) throw new Error('silence insert returned no row');
      return inserted;
    },

    async update(executor: Executor, id: string, changes: SilenceChanges, at: Date): Promise<SilenceRow> {
      const [updated] = await executor
        .update(silences)
        .set({ ...changes, updatedAt: at })
        .where(eq(silences.id, id))
        .returning();
      if (updated === undefined) throw new Error('silence update returned no row');
      return updated;
    },

    async findById(executor: Executor, id: string): Promise<SilenceRow | undefined> {
      const [row] = await executor.select().from(silences).where(eq(silences.id, id)).limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<SilenceRow | undefined> {
      const [row] = await executor.select().from(silences).where(eq(silences.id, id)).for('update').limit(1);
      return row;
    },

    /** Newest first. */
    async list(executor: Executor, expiredBy?: Date): Promise<SilenceRow[]> {
      return executor
        .select()
        .from(silences)
        .where(expiredBy === undefined ? undefined : lte(silences.endsAt, expiredBy))
        .orderBy(desc(silences.id))
        .limit(MAX_LISTED);
    },

    /** Silences that are or will be active after `at`: what the ingest path keeps in memory. */
    async listUnexpired(executor: Executor, at: Date): Promise<SilenceRow[]> {
      return executor.select().from(silences).where(gt(silences.endsAt, at)).orderBy(silences.id);
    },
  };
}

export type SilencesRepository = ReturnType<typeof createSilencesRepository>;
