import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import { HEARTBEAT_STATES } from '../../core/heartbeats.js';
import type { RuleMatcher } from '../../core/routing.js';
import { integrations } from './integrations.js';
import { teams } from './teams.js';

/**
 * A dead man's switch: a sender pings (by URL token, or by a continuously firing alert such as
 * Alertmanager's `Watchdog` arriving through `watchdogIntegrationId`) at least every
 * `intervalSeconds`; no ping for interval + grace opens an alert, the next ping resolves it.
 * The ping token is kept only as a SHA-256 (it is looked up by hash, as API keys are).
 */
export const heartbeats = pgTable(
  'heartbeats',
  {
    id: uuid('id').primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** Whose routing the missed alert goes through; null: straight to the heartbeat's team. */
    integrationId: uuid('integration_id').references(() => integrations.id, { onDelete: 'set null' }),
    intervalSeconds: integer('interval_seconds').notNull(),
    graceSeconds: integer('grace_seconds').notNull(),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull().default('critical'),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    /** Alerts of this integration matching all `watchdogMatchers` count as pings and are not stored. */
    watchdogIntegrationId: uuid('watchdog_integration_id').references(() => integrations.id, {
      onDelete: 'set null',
    }),
    watchdogMatchers: jsonb('watchdog_matchers').$type<RuleMatcher[]>().notNull().default([]),
    isActive: boolean('is_active').notNull().default(true),
    state: text('state', { enum: HEARTBEAT_STATES }).notNull().default('up'),
    lastPingAt: timestamp('last_ping_at', { withTimezone: true, mode: 'date' }),
    /** When the heartbeat is missed unless pinged: last ping (or creation) + interval + grace. */
    deadlineAt: timestamp('deadline_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** The deadline that was missed (the trace's "heartbeat missed" decision), while not up. */
    missedAt: timestamp('missed_at', { withTimezone: true, mode: 'date' }),
    /** The alert opened for the current miss. */
    alertId: uuid('alert_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('heartbeats_team_name_unique').on(table.teamId, sql`lower(${table.name})`),
    uniqueIndex('heartbeats_token_hash_unique').on(table.tokenHash),
    index('heartbeats_deadline_idx').on(table.deadlineAt).where(sql`${table.isActive} AND ${table.state} = 'up'`),
    index('heartbeats_watchdog_idx').on(table.watchdogIntegrationId),
  ],
);

export type HeartbeatRow = typeof heartbeats.$inferSelect;
