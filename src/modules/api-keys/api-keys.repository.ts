import { and, desc, eq, gt, isNull, lt, or, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ApiKeyRow, apiKeys, type UserRow, users } from '../../db/schema/index.js';

/** A key works while it is unrevoked, unexpired, and its owner's account is not disabled. */
const live = (at: Date): SQL | undefined =>
  and(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, at)), isNull(users.disabledAt));

export function createApiKeysRepository() {
  return {
    async insert(
      executor: Executor,
      key: Pick<ApiKeyRow, 'id' | 'userId' | 'name' | 'keyHash' | 'keyPrefix'> &
        Partial<Pick<ApiKeyRow, 'scope' | 'teamId' | 'expiresAt'>>,
    ): Promise<ApiKeyRow> {
      const [row] = await executor.insert(apiKeys).values(key).returning();
      if (row === undefined) throw new Error('api key insert returned no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<ApiKeyRow | undefined> {
      const [row] = await executor.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
      return row;
    },

    /** The working key with this hash, with its owner. */
    async findActiveByHash(
      executor: Executor,
      keyHash: string,
      at: Date,
    ): Promise<{ key: ApiKeyRow; user: UserRow } | undefined> {
      const [row] = await executor
        .select({ key: apiKeys, user: users })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(and(eq(apiKeys.keyHash, keyHash), live(at)))
        .limit(1);
      return row;
    },

    async isLive(executor: Executor, id: string, at: Date): Promise<boolean> {
      const [row] = await executor
        .select({ id: apiKeys.id })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(and(eq(apiKeys.id, id), live(at)))
        .limit(1);
      return row !== undefined;
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
