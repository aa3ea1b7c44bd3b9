import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ALERT_SEVERITIES, ALERT_STATUSES, type AlertLink, OCCURRENCE_KINDS } from '../../core/alerts.js';
import type { AlertSuppression } from '../../core/noise-control.js';

/**
 * Normalized alerts. At most one open (firing or acknowledged) alert per integration and dedup
 * key, enforced by a partial unique index so concurrent requests and several processes cannot
 * create duplicates. `integrationId` has no foreign key (see webhook_deliveries).
 */
export const alerts = pgTable(
  'alerts',
  {
    id: uuid('id').primaryKey(),
    integrationId: uuid('integration_id').notNull(),
    integrationName: text('integration_name').notNull(),
    dedupKey: text('dedup_key').notNull(),
    title: text('title').notNull(),
    description: text('description'),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull(),
    status: text('status', { enum: ALERT_STATUSES }).notNull(),
    source: text('source'),
    labels: jsonb('labels').$type<Record<string, string>>().notNull().default({}),
    links: jsonb('links').$type<AlertLink[]>().notNull().default([]),
    occurrenceCount: integer('occurrence_count').notNull().default(1),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, mode: 'date' }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgedBy: uuid('acknowledged_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: uuid('resolved_by'),
    /** Every team the routing reached, in rule order. */
    teamIds: uuid('team_ids').array().notNull().default(sql`'{}'::uuid[]`),
    /** The silence, maintenance window or inhibition that kept this alert from opening an incident. */
    suppressedBy: jsonb('suppressed_by').$type<AlertSuppression>(),
  },
  (table) => [
    uniqueIndex('alerts_open_dedup_unique')
      .on(table.integrationId, table.dedupKey)
      .where(sql`${table.status} IN ('firing', 'acknowledged')`),
    index('alerts_status_idx').on(table.status, table.id),
    index('alerts_integration_idx').on(table.integrationId, table.id),
    index('alerts_team_ids_idx').using('gin', table.teamIds),
  ],
);

export type AlertRow = typeof alerts.$inferSelect;

/** The history of an alert: each event that touched it, from a sender or a person. */
export const alertOccurrences = pgTable(
  'alert_occurrences',
  {
    id: uuid('id').primaryKey(),
    alertId: uuid('alert_id').notNull(),
    deliveryId: uuid('delivery_id'),
    userId: uuid('user_id'),
    kind: text('kind', { enum: OCCURRENCE_KINDS }).notNull(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('alert_occurrences_alert_idx').on(table.alertId, table.id)],
);

export type AlertOccurrenceRow = typeof alertOccurrences.$inferSelect;
