import { index, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { AUDIT_SEVERITIES } from '../../core/audit.js';

/**
 * Append-only: a trigger (migration 0001) rejects UPDATE and DELETE. `userId` carries no
 * foreign key so the trail outlives the users it names.
 */
export const auditLogs = pgTable(
  'audit_logs',
  {
    id: uuid('id').primaryKey(),
    action: text('action').notNull(),
    userId: uuid('user_id'),
    resourceType: text('resource_type').notNull(),
    resourceId: text('resource_id'),
    severity: text('severity', { enum: AUDIT_SEVERITIES }).notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    index('audit_logs_action_idx').on(table.action, table.id),
    index('audit_logs_resource_idx').on(table.resourceType, table.resourceId, table.id),
    index('audit_logs_user_idx').on(table.userId, table.id),
  ],
);

export type AuditLogRow = typeof auditLogs.$inferSelect;
