import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import { OUTSIDE_HOURS_CHOICES, type SupportWindow } from '../../core/urgency.js';
import { teams } from './teams.js';

/**
 * A team's urgency map and support hours. A team without a row maps critical and error to high
 * urgency and the rest to low, and has no support hours: every incident is paged at once.
 */
export const teamUrgencySettings = pgTable('team_urgency_settings', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  highUrgencySeverities: text('high_urgency_severities', { enum: ALERT_SEVERITIES })
    .array()
    .notNull()
    .default(['critical', 'error']),
  /** IANA time zone of the windows; null: no support hours, nothing is deferred. */
  timeZone: text('time_zone'),
  windows: jsonb('windows').$type<SupportWindow[]>().notNull().default([]),
  outsideHours: text('outside_hours', { enum: OUTSIDE_HOURS_CHOICES }).notNull().default('defer'),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type TeamUrgencySettingsRow = typeof teamUrgencySettings.$inferSelect;
