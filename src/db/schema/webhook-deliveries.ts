import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { DELIVERY_STATUSES } from '../../core/deliveries.js';

/**
 * One row per request that named an existing integration. `integrationId` deliberately has no
 * foreign key and `integrationName` is copied, so deleting an integration leaves its delivery
 * history readable.
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: uuid('id').primaryKey(),
    integrationId: uuid('integration_id').notNull(),
    integrationName: text('integration_name').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull(),
    httpStatus: integer('http_status').notNull(),
    reason: text('reason'),
    alertIds: uuid('alert_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /**
     * The body as it arrived (UTF-8 text, so the sender's key order is kept: jsonb would sort the
     * keys), cut to a size cap, the integration's secrets redacted; null when no body was kept.
     * Rejected requests keep theirs too, see webhooks/stored-body.ts for which and how much.
     */
    payload: text('payload'),
    /** Set when `payload` is only the first part of the body: the body's size as received, in bytes. */
    payloadTruncatedFrom: integer('payload_truncated_from'),
    /** Request headers with every credential-bearing header removed. */
    headers: jsonb('headers').$type<Record<string, string>>().notNull().default({}),
    sourceIp: text('source_ip'),
    userAgent: text('user_agent'),
    processingMs: integer('processing_ms'),
    /** Standard Webhooks `webhook-id`, unique per integration among accepted deliveries (replay guard). */
    webhookId: text('webhook_id'),
  },
  (table) => [
    index('webhook_deliveries_integration_idx').on(table.integrationId, table.id),
    uniqueIndex('webhook_deliveries_webhook_id_unique')
      .on(table.integrationId, table.webhookId)
      .where(sql`${table.webhookId} IS NOT NULL AND ${table.status} = 'accepted'`),
  ],
);

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
