import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { RuleMatcher } from '../../core/routing.js';
import { integrations } from './integrations.js';
import { teams } from './teams.js';

/**
 * Ordered routing rules. `position` is 1-based and dense across all rules (global and scoped
 * ones interleave in one order); the service keeps it so. A rule scoped to an integration goes
 * when the integration does. A team that rules still target cannot be deleted (restrict).
 */
export const routingRules = pgTable(
  'routing_rules',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    integrationId: uuid('integration_id').references(() => integrations.id, { onDelete: 'cascade' }),
    teamId: uuid('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'restrict' }),
    matchers: jsonb('matchers').$type<RuleMatcher[]>().notNull().default([]),
    continue: boolean('continue').notNull().default(false),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('routing_rules_position_idx').on(table.position, table.id),
    index('routing_rules_team_idx').on(table.teamId),
  ],
);

export type RoutingRuleRow = typeof routingRules.$inferSelect;
