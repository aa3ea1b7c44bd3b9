import { jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { ALERT_SEVERITIES, type AlertSeverity } from './alerts.js';
import { teams } from './teams.js';

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const RULE_URGENCIES = ['high', 'low', 'any'] as const;
export type RuleUrgency = (typeof RULE_URGENCIES)[number];

/** What happens to a low-urgency incident opened outside support hours. */
export const OUTSIDE_HOURS_CHOICES = ['defer', 'never'] as const;
export type OutsideHoursChoice = (typeof OUTSIDE_HOURS_CHOICES)[number];

/** One weekly window of support hours, in the team's time zone: day 0 is Sunday; times are "HH:MM", end after start ("24:00" ends at midnight). */
export interface SupportWindow {
  day: number;
  start: string;
  end: string;
}

export const DEFAULT_HIGH_URGENCY: readonly AlertSeverity[] = ['critical', 'error'];

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
