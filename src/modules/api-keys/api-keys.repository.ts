import { and, desc, eq, isNull, lt, or } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ApiKeyRow, apiKeys, type UserRow, users } from '../../db/schema/index.js';

export function createApiKeysRepository() {
  return {
    async insert(
      executor: Executor,
      key: Pick<ApiKeyRow, 'id' | 'userId' | 'name' | 'keyHash' | 'keyPrefix'>,
    ): Promise<ApiKeyRow> {
      const [row] = await executor.insert(apiKeys).values(key).returning();
      if (row === undefined) throw new Error('api key insert returned no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<ApiKeyRow | undefined> {
      const [row] = await executor.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return row;
    },

    /** The unrevoked key with this hash, with its owner. */
    async findActiveByHash(
      executor: Executor,
      keyHash: string,
    ): Promise<{ key: ApiKeyRow; user: UserRow } | undefined> {
      const [row] = await executor
        .select({ key: apiKeys, user: users })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
        .limit(1);
      return row;
    },

    async list(executor: Executor, ownerId: string | undefined): Promise<ApiKeyRow[]> {
      return executor
        .select()
        .from(apiKeys)
        .where(ownerId === undefined ? undefined : eq(apiKeys.userId, ownerId))
        .orderBy(desc(apiKeys.id));
    },

    async revoke(executor: Executor, id: string, at: Date): Promise<ApiKeyRow | undefined> {
      const [row] = await executor
        .update(apiKeys)
        .set({ revokedAt: at })
        .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
        .returning();
      return row;
    },

    /** Records use, at most once per `staleBefore` window so authentication is not a write per request. */
    async touchLastUsed(executor: Executor, id: string, at: Date, staleBefore: Date): Promise<void> {
      await executor
        .update(apiKeys)
        .set({ lastUsedAt: at })
        .where(and(eq(apiKeys.id, id), or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore))));
    },
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;
