import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type DeliveryStatus, type WebhookDeliveryRow, webhookDeliveries } from '../../db/schema/index.js';

export type NewDelivery = WebhookDeliveryRow;

/** Inserts several in one statement; returns how many were new (replays are skipped). */
async function insertMany(executor: Executor, deliveries: NewDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  const rows = await executor
    .insert(webhookDeliveries)
    .values(deliveries)
    .onConflictDoNothing()
    .returning({ id: webhookDeliveries.id });
  return rows.length;
}

export function createDeliveriesRepository() {
  return {
    insertMany,

    /** Inserts; returns false when an accepted delivery with the same webhook-id exists (a replay). */
    async insert(executor: Executor, delivery: NewDelivery): Promise<boolean> {
      return (await insertMany(executor, [delivery])) === 1;
    },

    async findAcceptedByWebhookId(
      executor: Executor,
      integrationId: string,
      webhookId: string,
    ): Promise<WebhookDeliveryRow | undefined> {
      const [row] = await executor
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.integrationId, integrationId),
            eq(webhookDeliveries.webhookId, webhookId),
            eq(webhookDeliveries.status, 'accepted'),
          ),
        )
        .limit(1);
      return row;
    },

    async list(
      executor: Executor,
      filter: {
        integrationId: string;
        status?: DeliveryStatus | undefined;
        beforeId?: string | undefined;
        limit: number;
      },
    ): Promise<WebhookDeliveryRow[]> {
      return executor
        .select()
        .from(webhookDeliveries)
        .where(
          and(
            eq(webhookDeliveries.integrationId, filter.integrationId),
            filter.status === undefined ? undefined : eq(webhookDeliveries.status, filter.status),
            filter.beforeId === undefined ? undefined : lt(webhookDeliveries.id, filter.beforeId),
          ),
        )
        .orderBy(desc(webhookDeliveries.id))
        .limit(filter.limit);
    },

    /** Deletes up to `batch` deliveries received before `cutoff`; returns how many went. */
    async pruneOlderThan(executor: Executor, cutoff: Date, batch: number): Promise<number> {
      const result = await executor.execute(sql`
        DELETE FROM ${webhookDeliveries} WHERE ${webhookDeliveries.id} IN (
          SELECT ${webhookDeliveries.id} FROM ${webhookDeliveries}
          WHERE ${webhookDeliveries.receivedAt} < ${cutoff.toISOString()}::timestamptz
          LIMIT ${batch}
        )`);
      return (
        (result as unknown as { rowCount?: number; affectedRows?: number }).rowCount ??
        (result as unknown as { affectedRows?: number }).affectedRows ??
        0
      );
    },
  };
}

export type DeliveriesRepository = ReturnType<typeof createDeliveriesRepository>;
