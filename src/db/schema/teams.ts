import { sql } from 'drizzle-orm';
import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { TEAM_MEMBERSHIP_SOURCES, TEAM_ROLES } from '../../core/teams.js';
import { users } from './users.js';

/** Team names are unique regardless of case, so "SRE" and "sre" cannot both exist. */
export const teams = pgTable(
  'teams',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('teams_name_unique').on(sql`lower(${table.name})`)],
);

export type TeamRow = typeof teams.$inferSelect;

/** A user belongs to any number of teams; leaving a team or deleting a user removes the row. */
export const teamMembers = pgTable(
  'team_members',
  {
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: TEAM_ROLES }).notNull().default('member'),
    /** `sso` when single sign-on added the membership from the groups claim, and may remove it. */
    source: text('source', { enum: TEAM_MEMBERSHIP_SOURCES }).notNull().default('manual'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.teamId, table.userId] }), index('team_members_user_idx').on(table.userId)],
);

export type TeamMemberRow = typeof teamMembers.$inferSelect;
