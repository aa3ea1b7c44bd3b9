import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import { type ContactMethodRow, contactMethods, type VapidKeysRow, vapidKeys } from '../../../db/schema/index.js';

/** The stored VAPID key pair, and browser subscriptions (`webpush` contact methods) by endpoint. */
export function createPushRepository() {
  const byEndpoint = (endpoint: string) =>
    and(eq(contactMethods.type, 'webpush'), eq(contactMethods.address, endpoint));

  return {
    async findVapidKeys(executor: Executor): Promise<VapidKeysRow | undefined> {
      const [row] = await executor.select().from(vapidKeys).limit(1);
      return row;
    },

    /** Stores this pair unless another process stored one first; the caller reads back the winner. */
    async insertVapidKeysIfAbsent(executor: Executor, row: { publicKey: string; privateKeyEncrypted: string }) {
      await executor.insert(vapidKeys).values(row).onConflictDoNothing();
    },

    async deleteSubscriptions(executor: Executor, endpoint: string, userId?: string): Promise<number> {
      const rows = await executor
        .delete(contactMethods)
        .where(
          userId === undefined ? byEndpoint(endpoint) : and(byEndpoint(endpoint), eq(contactMethods.userId, userId)),
        )
        .returning({ id: contactMethods.id });
      return rows.length;
    },

    async insertSubscription(executor: Executor, row: typeof contactMethods.$inferInsert): Promise<ContactMethodRow> {
      const [inserted] = await executor.insert(contactMethods).values(row).returning();
      if (inserted === undefined) throw new Error('subscription insert returned no row');
      return inserted;
    },
  };
}

export type PushRepository = ReturnType<typeof createPushRepository>;
