import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { type RestrictionColumn, TURN_UNITS } from '../../core/schedules.js';
import { teams } from './teams.js';
import { users } from './users.js';

/** An on-call schedule of one team, in one IANA time zone. Deleting the team deletes its schedules. */
export const schedules = pgTable(
  'schedules',
  {
    id: uuid('id').primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    timeZone: text('time_zone').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('schedules_team_name_unique').on(table.teamId, sql`lower(${table.name})`),
    index('schedules_team_idx').on(table.teamId),
  ],
);

export type ScheduleRow = typeof schedules.$inferSelect;

/**
 * A rotation of a schedule. `position` is 1-based and dense within the schedule; higher wins.
 * `startsAt` and `timeZone` anchor the rotation and never change; what rotates lives in versions.
 */
export const scheduleLayers = pgTable(
  'schedule_layers',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    /** The layer's own IANA zone for handoffs and restrictions; null: the schedule's. */
    timeZone: text('time_zone'),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('schedule_layers_schedule_idx').on(table.scheduleId, table.position)],
);

export type ScheduleLayerRow = typeof scheduleLayers.$inferSelect;

/**
 * Append-only history of a layer's rotation. A version takes over at its first handoff at or
 * after `effectiveFrom`, so past turns never change. `participantIds` keeps no foreign key, so
 * the history outlives memberships.
 */
export const scheduleLayerVersions = pgTable(
  'schedule_layer_versions',
  {
    id: uuid('id').primaryKey(),
    layerId: uuid('layer_id')
      .notNull()
      .references(() => scheduleLayers.id, { onDelete: 'cascade' }),
    effectiveFrom: timestamp('effective_from', { withTimezone: true, mode: 'date' }).notNull(),
    turnUnit: text('turn_unit', { enum: TURN_UNITS }).notNull(),
    turnLength: integer('turn_length').notNull(),
    handoffTime: text('handoff_time'),
    handoffWeekday: integer('handoff_weekday'),
    restrictions: jsonb('restrictions').$type<RestrictionColumn[]>().notNull().default([]),
    participantIds: jsonb('participant_ids').$type<string[]>().notNull().default([]),
    startIndex: integer('start_index').notNull().default(0),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('schedule_layer_versions_layer_idx').on(table.layerId, table.effectiveFrom),
    check('schedule_layer_versions_turn_length_positive', sql`${table.turnLength} > 0`),
  ],
);

export type ScheduleLayerVersionRow = typeof scheduleLayerVersions.$inferSelect;

/** "This person covers from A to B". Where overrides overlap, the latest created wins (ties: the greater id). */
export const scheduleOverrides = pgTable(
  'schedule_overrides',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id')
      .notNull()
      .references(() => schedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    startsAt: timestamp('starts_at', { withTimezone: true, mode: 'date' }).notNull(),
    endsAt: timestamp('ends_at', { withTimezone: true, mode: 'date' }).notNull(),
    note: text('note'),
    createdBy: uuid('created_by'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('schedule_overrides_schedule_idx').on(table.scheduleId, table.startsAt),
    index('schedule_overrides_user_idx').on(table.userId),
    check('schedule_overrides_positive', sql`${table.endsAt} > ${table.startsAt}`),
  ],
);

export type ScheduleOverrideRow = typeof scheduleOverrides.$inferSelect;

/**
 * A calendar subscription URL: `/ical/<token>.ics`, for one schedule or one user's shifts across
 * all schedules. Only the SHA-256 of the token is stored; revoking sets `revokedAt`.
 */
export const icalFeeds = pgTable(
  'ical_feeds',
  {
    id: uuid('id').primaryKey(),
    scheduleId: uuid('schedule_id').references(() => schedules.id, { onDelete: 'cascade' }),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    tokenHash: text('token_hash').notNull(),
    tokenPrefix: text('token_prefix').notNull(),
    createdBy: uuid('created_by').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    uniqueIndex('ical_feeds_token_hash_unique').on(table.tokenHash),
    index('ical_feeds_schedule_idx').on(table.scheduleId),
    index('ical_feeds_user_idx').on(table.userId),
    check('ical_feeds_one_target', sql`(${table.scheduleId} is null) <> (${table.userId} is null)`),
  ],
);

export type IcalFeedRow = typeof icalFeeds.$inferSelect;
