import { boolean, index, integer, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { EventRuleActions } from '../../core/event-rules.js';
import type { RuleMatcher } from '../../core/routing.js';
import { integrations } from './integrations.js';

/**
 * Ordered event rules, global (`integrationId` null) or scoped to one integration, applied once
 * at ingest before deduplication and routing. `position` is 1-based across all rules.
 */
export const eventRules = pgTable(
  'event_rules',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    position: integer('position').notNull(),
    integrationId: uuid('integration_id').references(() => integrations.id, { onDelete: 'cascade' }),
    matchers: jsonb('matchers').$type<RuleMatcher[]>().notNull().default([]),
    actions: jsonb('actions').$type<EventRuleActions>().notNull(),
    isActive: boolean('is_active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [index('event_rules_position_idx').on(table.position, table.id)],
);

export type EventRuleRow = typeof eventRules.$inferSelect;
