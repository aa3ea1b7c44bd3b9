import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { OccurrenceKind } from '../../core/alerts.js';
import type { DeliveryStatus } from '../../core/deliveries.js';
import { type Executor, type HotStatement, queryHot, toUuidArrayLiteral } from '../../db/client.js';
import { type WebhookDeliveryRow, webhookDeliveries } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

export type NewDelivery = WebhookDeliveryRow;

/**
 * webhook_deliveries as every insert here writes it, defined once: the column, the array type its
 * values travel in (with the cast to the column's type) and how a delivery gives it; `json`
 * values are serialised (null stays SQL NULL). `inBatch` is the column's SQL in the ingest's
 * one-statement batch (acceptedBatchInsert) when not the value: it writes accepted deliveries only.
 */
const COLUMNS: Array<{
  name: string;
  type: string;
  cast?: string;
  value: (delivery: NewDelivery) => unknown;
  json?: true;
  /** Text that travels in the batch as one JSON array of strings (extracted as text, not parsed). */
  batchJsonText?: true;
  inBatch?: 'accepted' | 'alert ids' | 'null';
}> = [
  { name: 'id', type: 'uuid', value: (d) => d.id },
  { name: 'integration_id', type: 'uuid', value: (d) => d.integrationId },
  { name: 'integration_name', type: 'text', value: (d) => d.integrationName },
  { name: 'received_at', type: 'timestamptz', value: (d) => d.receivedAt },
  { name: 'status', type: 'text', value: (d) => d.status, inBatch: 'accepted' },
  { name: 'http_status', type: 'int', value: (d) => d.httpStatus },
  { name: 'reason', type: 'text', value: (d) => d.reason },
  {
    name: 'alert_ids',
    type: 'text',
    cast: 'uuid[]',
    value: (d) => toUuidArrayLiteral(d.alertIds),
    inBatch: 'alert ids',
  },
  // The body as sent (text keeps the sender's key order), or null when none was kept.
  { name: 'payload', type: 'text', value: (d) => d.payload, batchJsonText: true },
  { name: 'headers', type: 'text', cast: 'jsonb', value: (d) => d.headers, json: true },
  { name: 'source_ip', type: 'text', value: (d) => d.sourceIp },
  { name: 'user_agent', type: 'text', value: (d) => d.userAgent },
  { name: 'processing_ms', type: 'int', value: (d) => d.processingMs },
  { name: 'webhook_id', type: 'text', value: (d) => d.webhookId, inBatch: 'null' },
  { name: 'payload_truncated_from', type: 'int', value: (d) => d.payloadTruncatedFrom },
];
const COLUMN_NAMES = COLUMNS.map((c) => c.name).join(', ');

const INSERT_DELIVERIES: HotStatement = {
  name: 'klaxon_webhook_deliveries_insert',
  text: `INSERT INTO webhook_deliveries (${COLUMN_NAMES})
    SELECT ${COLUMNS.map((c) => (c.cast === undefined ? c.name : `${c.name}::${c.cast}`)).join(', ')}
    FROM unnest(${COLUMNS.map((c, i) => `$${i + 1}::${c.type}[]`).join(', ')}) AS row(${COLUMN_NAMES})
    ON CONFLICT DO NOTHING
    RETURNING id`,
};

/**
 * The ingest batch's deliveries and the alert occurrences they caused, in one statement: the
 * batch transaction waits on PostgreSQL round trip by round trip, so one fewer pays directly.
 */
const OCCURRENCES_FIRST = COLUMNS.length + 1;
const INSERT_DELIVERIES_WITH_OCCURRENCES: HotStatement = {
  name: 'klaxon_webhook_deliveries_insert_with_occurrences',
  text: `WITH occurrences AS (
      INSERT INTO alert_occurrences (id, alert_id, delivery_id, user_id, kind, occurred_at)
      SELECT * FROM unnest($${OCCURRENCES_FIRST}::uuid[], $${OCCURRENCES_FIRST + 1}::uuid[], $${OCCURRENCES_FIRST + 2}::uuid[],
        $${OCCURRENCES_FIRST + 3}::uuid[], $${OCCURRENCES_FIRST + 4}::text[], $${OCCURRENCES_FIRST + 5}::timestamptz[])
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
  return COLUMNS.map((column) =>
    deliveries.map((delivery) => {
      const value = column.value(delivery);
      return column.json === true && value !== null ? JSON.stringify(value) : value;
    }),
  );
}

/** An accepted delivery of the ingest's one-statement batch (its status and alert ids come from the statement). */
export type AcceptedBatchDelivery = Omit<NewDelivery, 'status' | 'alertIds' | 'webhookId'>;

const travelsAsJson = (c: (typeof COLUMNS)[number]) => c.json === true || c.batchJsonText === true;
const BATCH_VALUE_COLUMNS = COLUMNS.filter((c) => c.inBatch === undefined && !travelsAsJson(c));
const BATCH_JSON_COLUMNS = COLUMNS.filter((c) => c.inBatch === undefined && travelsAsJson(c));

/**
 * The INSERT of a batch's accepted deliveries, for the alerts module's one-statement ingest
 * (a data-modifying CTE of alerts.repository's batch upsert): parameters `$first` on, as
 * acceptedBatchParams gives them; `alertIdsSql`, an expression over `delivery.id`, gives each
 * delivery's alert ids. No Standard Webhooks id: such deliveries never take that path.
 */
export function acceptedBatchInsert(first: number, alertIdsSql: string): string {
  let next = first;
  const sources = [
    ...BATCH_VALUE_COLUMNS.map((c) => `unnest($${next++}::${c.type}[])`),
    ...BATCH_JSON_COLUMNS.map(
      (c) => `${c.batchJsonText === true ? 'jsonb_array_elements_text' : 'jsonb_array_elements'}($${next++}::jsonb)`,
    ),
  ];
  const aliases = [...BATCH_VALUE_COLUMNS, ...BATCH_JSON_COLUMNS].map((c) => c.name);
  const select = COLUMNS.map((c) => {
    if (c.inBatch === 'accepted') return "'accepted'";
    if (c.inBatch === 'alert ids') return alertIdsSql;
    if (c.inBatch === 'null') return 'NULL';
    // A JSON null element (no payload kept) is SQL NULL in the column.
    if (c.json === true) return `NULLIF(delivery.${c.name}, 'null'::jsonb)`;
    return `delivery.${c.name}`;
  });
  return `INSERT INTO webhook_deliveries (${COLUMN_NAMES})
      SELECT ${select.join(', ')}
      FROM ROWS FROM (${sources.join(', ')}) AS delivery(${aliases.join(', ')})`;
}

/** The parameters of acceptedBatchInsert, in its order. */
export function acceptedBatchParams(deliveries: AcceptedBatchDelivery[]): unknown[] {
  const asDelivery = deliveries as NewDelivery[];
  return [
    ...BATCH_VALUE_COLUMNS.map((column) => asDelivery.map(column.value)),
    // Payloads and headers as one JSON array each: serialised once, with no text[] quoting
    // (pg escaped every quote of every 1 KiB payload) and parsed by PostgreSQL once.
    ...BATCH_JSON_COLUMNS.map((column) => JSON.stringify(asDelivery.map(column.value))),
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
