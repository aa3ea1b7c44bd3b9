import { boolean, index, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { AlertMatcher, WeeklyRecurrence } from '../../core/noise-control.js';

/**
 * Silences, as Alertmanager has them: while `startsAt <= now < endsAt`, a new alert that every
 * matcher holds for opens no incident. The state (pending, active, expired) is derived from
 * the times; expiring a silence moves `endsAt` to the moment it was expired.
 */
export const silences = pgTable(
  'silences',
  {
    id: uuid('id').primaryKey(),
    matchers: jsonb('matchers').$type<AlertMatcher[]>().notNull(),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Free text, as in Alertmanager (amtool sends the local user name). */
    createdBy: text('created_by').notNull(),
    comment: text('comment').notNull(),
    /** The Klaxon user whose key or session created the silence. */
    createdByUserId: uuid('created_by_user_id'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('silences_ends_at_idx').on(table.endsAt)],
);

export type SilenceRow = typeof silences.$inferSelect;

/**
 * Planned work. Either one span (`startsAt`–`endsAt`) or a weekly `recurrence`. It applies to an
 * alert when every non-empty scope holds: the alert's integration is listed, one of its teams is
 * listed, every matcher holds. `openIncidentsOnEnd`: alerts it held back that still fire open
 * incidents when it ends.
 */
export const maintenanceWindows = pgTable('maintenance_windows', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }),
  endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }),
  recurrence: jsonb('recurrence').$type<WeeklyRecurrence>(),
  integrationIds: uuid('integration_ids').array().notNull(),
  teamIds: uuid('team_ids').array().notNull(),
  matchers: jsonb('matchers').$type<AlertMatcher[]>().notNull(),
  openIncidentsOnEnd: boolean('open_incidents_on_end').notNull().default(false),
  createdByUserId: uuid('created_by_user_id'),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type MaintenanceWindowRow = typeof maintenanceWindows.$inferSelect;

/** One row per occurrence of a window whose end was handled: the primary key makes it happen once. */
export const maintenanceWindowEndings = pgTable(
  'maintenance_window_endings',
  {
    windowId: uuid('window_id').notNull(),
    endedAt: timestamp('ended_at', { withTimezone: true, mode: 'date' }).notNull(),
    handledAt: timestamp('handled_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.windowId, table.endedAt] })],
);

/**
 * Alertmanager's inhibit rules: while a firing alert holds every source matcher, a new alert
 * that holds every target matcher and has the same value (missing counts as empty) for each
 * `equal` label opens no incident.
 */
export const inhibitionRules = pgTable('inhibition_rules', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  sourceMatchers: jsonb('source_matchers').$type<AlertMatcher[]>().notNull(),
  targetMatchers: jsonb('target_matchers').$type<AlertMatcher[]>().notNull(),
  equal: text('equal').array().notNull(),
  isActive: boolean('is_active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type InhibitionRuleRow = typeof inhibitionRules.$inferSelect;

/**
 * The decisions made about one alert, in order, recorded where each is made (in its
 * transaction): the trace (GET /api/alerts/:id/trace) reads them with the incident timeline
 * and the notification log. `refs` names the ids involved (rule, silence, window, policy…).
 */
export const alertDecisions = pgTable(
  'alert_decisions',
  {
    id: uuid('id').primaryKey(),
    alertId: uuid('alert_id').notNull(),
    kind: text('kind').notNull(),
    message: text('message').notNull(),
    refs: jsonb('refs').$type<Record<string, string | string[]>>().notNull().default({}),
    at: timestamp('at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('alert_decisions_alert_idx').on(table.alertId, table.id)],
);

export type AlertDecisionRow = typeof alertDecisions.$inferSelect;
