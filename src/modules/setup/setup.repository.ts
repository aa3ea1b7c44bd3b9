import { sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type SetupTokenRow, setupToken, users } from '../../db/schema/index.js';

export function createSetupRepository() {
  return {
    async anyUserExists(executor: Executor): Promise<boolean> {
      const rows = await executor.select({ one: sql<number>`1` }).from(users).limit(1);
      return rows.length > 0;
    },

    async find(executor: Executor): Promise<SetupTokenRow | undefined> {
      const [row] = await executor.select().from(setupToken).limit(1);
      return row;
    },

    /** The token row, locked until the transaction ends: of two concurrent uses, the second waits and finds it gone. */
    async findForUpdate(executor: Executor): Promise<SetupTokenRow | undefined> {
      const [row] = await executor.select().from(setupToken).limit(1).for('update');
      return row;
    },

    /** Stores the token unless another process stored one first; returns the row that is now valid. */
    async insertIfAbsent(
      executor: Executor,
      token: { tokenHash: string; tokenCiphertext: string; createdAt: Date },
    ): Promise<SetupTokenRow | undefined> {
      await executor.insert(setupToken).values(token).onConflictDoNothing();
      const [row] = await executor.select().from(setupToken).limit(1);
      return row;
    },

    async deleteAll(executor: Executor): Promise<void> {
      await executor.delete(setupToken);
    },
  };
}

export type SetupRepository = ReturnType<typeof createSetupRepository>;
