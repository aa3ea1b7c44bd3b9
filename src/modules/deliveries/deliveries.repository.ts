import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { OccurrenceKind } from '../../core/alerts.js';
import type { DeliveryStatus } from '../../core/deliveries.js';
import { type Executor, type HotStatement, queryHot, toUuidArrayLiteral } from '../../db/client.js';
import { type WebhookDeliveryRow, webhookDeliveries } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

export type NewDelivery = WebhookDeliveryRow;

const INSERT_DELIVERIES: HotStatement = {
  name: 'klaxon_webhook_deliveries_insert',
  text: `INSERT INTO webhook_deliveries (id, integration_id, integration_name, received_at, status, http_status, reason,
      alert_ids, payload, headers, source_ip, user_agent, processing_ms, webhook_id, payload_truncated_from)
    SELECT id, integration_id, integration_name, received_at, status, http_status, reason,
      alert_ids::uuid[], payload, headers::jsonb, source_ip, user_agent, processing_ms, webhook_id, payload_truncated_from
    FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::text[],
      $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::int[], $14::text[], $15::int[])
      AS row(id, integration_id, integration_name, received_at, status, http_status, reason,
        alert_ids, payload, headers, source_ip, user_agent, processing_ms, webhook_id, payload_truncated_from)
    ON CONFLICT DO NOTHING
    RETURNING id`,
};

/**
 * The ingest batch's deliveries and the alert occurrences they caused, in one statement: the
 * batch transaction waits on PostgreSQL round trip by round trip, so one fewer pays directly.
 */
const INSERT_DELIVERIES_WITH_OCCURRENCES: HotStatement = {
  name: 'klaxon_webhook_deliveries_insert_with_occurrences',
  text: `WITH occurrences AS (
      INSERT INTO alert_occurrences (id, alert_id, delivery_id, user_id, kind, occurred_at)
      SELECT * FROM unnest($16::uuid[], $17::uuid[], $18::uuid[], $19::uuid[], $20::text[], $21::timestamptz[])
    )
    ${INSERT_DELIVERIES.text}`,
};

export interface NewOccurrence {
  alertId: string;
  deliveryId: string | null;
  userId: string | null;
  kind: OccurrenceKind;
  occurredAt: Date;
}

function deliveryColumns(deliveries: NewDelivery[]): unknown[] {
  return [
    deliveries.map((d) => d.id),
    deliveries.map((d) => d.integrationId),
    deliveries.map((d) => d.integrationName),
    deliveries.map((d) => d.receivedAt),
    deliveries.map((d) => d.status),
    deliveries.map((d) => d.httpStatus),
    deliveries.map((d) => d.reason),
    deliveries.map((d) => toUuidArrayLiteral(d.alertIds)),
    deliveries.map((d) => d.payload),
    deliveries.map((d) => JSON.stringify(d.headers)),
    deliveries.map((d) => d.sourceIp),
    deliveries.map((d) => d.userAgent),
    deliveries.map((d) => d.processingMs),
    deliveries.map((d) => d.webhookId),
    deliveries.map((d) => d.payloadTruncatedFrom),
  ];
}

/**
 * Inserts several in one statement; returns how many were new (replays are skipped). Hand-written
 * over `unnest` arrays, as it runs once per ingest batch (see queryHot).
 */
async function insertMany(executor: Executor, deliveries: NewDelivery[]): Promise<number> {
  if (deliveries.length === 0) return 0;
  return (await queryHot(executor, INSERT_DELIVERIES, deliveryColumns(deliveries))).length;
}

export function createDeliveriesRepository() {
  return {
    insertMany,

    /** insertMany, plus the alert occurrences of the same ingest batch, in one round trip. */
    async insertManyWithOccurrences(
      executor: Executor,
      deliveries: NewDelivery[],
      occurrences: NewOccurrence[],
    ): Promise<number> {
      if (deliveries.length === 0) return 0;
      const rows = await queryHot(executor, INSERT_DELIVERIES_WITH_OCCURRENCES, [
        ...deliveryColumns(deliveries),
        occurrences.map(() => uuidv7()),
        occurrences.map((o) => o.alertId),
        occurrences.map((o) => o.deliveryId),
        occurrences.map((o) => o.userId),
        occurrences.map((o) => o.kind),
        occurrences.map((o) => o.occurredAt),
      ]);
      return rows.length;
    },

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

    /** Whether any delivery of this integration id is kept (it may since have been deleted). */
    async existsForIntegration(executor: Executor, integrationId: string): Promise<boolean> {
      const rows = await executor
        .select({ id: webhookDeliveries.id })
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.integrationId, integrationId))
        .limit(1);
      return rows.length > 0;
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
