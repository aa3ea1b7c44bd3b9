import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  ATTEMPT_OUTCOMES,
  CONTACT_METHOD_TYPES,
  NOTIFICATION_CHANNEL_TYPES,
  NOTIFICATION_STATUSES,
} from '../../core/notifications.js';
import { RULE_URGENCIES } from '../../core/urgency.js';
import { incidents } from './incidents.js';
import { teams } from './teams.js';
import { users } from './users.js';

/** How to reach a person: an email address, a Slack-compatible incoming webhook, or a signed outgoing webhook. */
export const contactMethods = pgTable(
  'contact_methods',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    type: text('type', { enum: CONTACT_METHOD_TYPES }).notNull(),
    label: text('label'),
    /** Email address or URL. */
    address: text('address').notNull(),
    /** Standard Webhooks signing key of `webhook` methods, encrypted under the master key. */
    secretEncrypted: text('secret_encrypted'),
    /** When the person proved they hold this phone number (`sms`, `voice`); unverified numbers are never paged. */
    verifiedAt: timestamp('verified_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('contact_methods_user_idx').on(table.userId)],
);

export type ContactMethodRow = typeof contactMethods.$inferSelect;

/** "After `delayMinutes`, use this contact method." A user without rules is notified on every method at once. */
export const notificationRules = pgTable(
  'notification_rules',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    contactMethodId: uuid('contact_method_id')
      .notNull()
      .references(() => contactMethods.id, { onDelete: 'cascade' }),
    delayMinutes: integer('delay_minutes').notNull(),
    /** Which incidents the rule is for: `any`, or only high- or low-urgency ones. */
    urgency: text('urgency', { enum: RULE_URGENCIES }).notNull().default('any'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('notification_rules_user_idx').on(table.userId),
    uniqueIndex('notification_rules_method_delay_urgency_unique').on(
      table.contactMethodId,
      table.delayMinutes,
      table.urgency,
    ),
  ],
);

export type NotificationRuleRow = typeof notificationRules.$inferSelect;

/**
 * One message to one person on one contact method, or one post to a team's chat channel, for one
 * escalation step. The unique indexes are the idempotency keys (incident, level, repetition,
 * target): whatever the number of processes, jobs or retries, a step notifies a target at most
 * once. `level` -1 marks a notification of a reassignment (`repetition` then counts reassignments).
 * A row names either a person (`user_id`, `contact_method_id`) or a team (`team_id`), never both.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id'),
    contactMethodId: uuid('contact_method_id'),
    /** The team whose chat channel a `team_channel` notification posts to. */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    contactMethodType: text('contact_method_type', { enum: NOTIFICATION_CHANNEL_TYPES }).notNull(),
    level: integer('level').notNull(),
    repetition: integer('repetition').notNull(),
    ruleDelayMinutes: integer('rule_delay_minutes').notNull(),
    status: text('status', { enum: NOTIFICATION_STATUSES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    /** While `sending`: the claim of one worker; a crashed worker's claim lapses after this. */
    claimedUntil: timestamp('claimed_until', { withTimezone: true, mode: 'date' }),
    scheduledAt: timestamp('scheduled_at', { withTimezone: true, mode: 'date' }).notNull(),
    sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    uniqueIndex('notifications_idempotency_unique').on(
      table.incidentId,
      table.level,
      table.repetition,
      table.userId,
      table.contactMethodId,
      table.ruleDelayMinutes,
    ),
    uniqueIndex('notifications_team_channel_unique')
      .on(table.incidentId, table.level, table.repetition, table.teamId)
      .where(sql`${table.teamId} IS NOT NULL`),
    check(
      'notifications_person_or_team',
      sql`(${table.teamId} IS NULL) = (${table.userId} IS NOT NULL AND ${table.contactMethodId} IS NOT NULL)`,
    ),
    index('notifications_user_idx').on(table.userId, table.id),
    index('notifications_incident_idx').on(table.incidentId, table.id),
  ],
);

export type NotificationRow = typeof notifications.$inferSelect;

/** Every delivery attempt with its outcome, for the incident timeline and the user's notification log. */
export const notificationAttempts = pgTable(
  'notification_attempts',
  {
    id: uuid('id').primaryKey(),
    notificationId: uuid('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    outcome: text('outcome', { enum: ATTEMPT_OUTCOMES }).notNull(),
    detail: text('detail'),
    durationMs: integer('duration_ms').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('notification_attempts_notification_idx').on(table.notificationId, table.id)],
);

export type NotificationAttemptRow = typeof notificationAttempts.$inferSelect;
