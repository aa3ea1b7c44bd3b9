import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { EscalationLevel } from '../../core/escalation-policies.js';
import { teams } from './teams.js';

/**
 * Ordered levels kept as one JSON array: they are always read and written whole, and their order
 * is the data. At most one default policy per team (partial unique index).
 */
export const escalationPolicies = pgTable(
  'escalation_policies',
  {
    id: uuid('id').primaryKey(),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    description: text('description'),
    /** How many times the whole policy runs again after its last level (0 = once). */
    repeatCount: integer('repeat_count').notNull().default(0),
    isDefault: boolean('is_default').notNull().default(false),
    /**
     * An acknowledged incident that is still open this many minutes later is triggered again and
     * escalation restarts at level 1 (PagerDuty's acknowledgement timeout); null: never.
     */
    ackTimeoutMinutes: integer('ack_timeout_minutes'),
    levels: jsonb('levels').$type<EscalationLevel[]>().notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    index('escalation_policies_team_idx').on(table.teamId, table.id),
    uniqueIndex('escalation_policies_team_name_unique').on(table.teamId, sql`lower(${table.name})`),
    uniqueIndex('escalation_policies_team_default_unique').on(table.teamId).where(sql`${table.isDefault}`),
  ],
);

export type EscalationPolicyRow = typeof escalationPolicies.$inferSelect;
