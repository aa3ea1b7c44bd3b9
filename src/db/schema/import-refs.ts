import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { IMPORT_VENDORS } from '../../core/imports.js';

/**
 * What `klaxon import` already brought in: one row per vendor object, naming the Klaxon row made
 * from it, so a second run finds it and changes nothing. `klaxonId` points into the table of its
 * `kind` (users, teams, schedules, …), hence no foreign key; a row whose target was deleted since
 * is treated as absent and the object is imported again.
 */
export const importRefs = pgTable(
  'import_refs',
  {
    vendor: text('vendor', { enum: IMPORT_VENDORS }).notNull(),
    kind: text('kind').notNull(),
    externalId: text('external_id').notNull(),
    klaxonId: uuid('klaxon_id').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.vendor, table.kind, table.externalId] })],
);

export type ImportRefRow = typeof importRefs.$inferSelect;
