import { sql } from 'drizzle-orm';
import { check, pgTable, smallint, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * The one-time link that creates the first admin, while no user exists. One row at most: every
 * server process sharing the database prints the same link (the token is kept encrypted under
 * the master key so a later start can print it again), and using it deletes the row.
 */
export const setupToken = pgTable(
  'setup_token',
  {
    id: smallint('id').primaryKey().default(1),
    /** SHA-256 of the token, hex: what a presented token is compared with. */
    tokenHash: text('token_hash').notNull(),
    /** The token under the master key (AES-256-GCM envelope), so a restart prints the same link. */
    tokenCiphertext: text('token_ciphertext').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [check('setup_token_single_row', sql`${table.id} = 1`)],
);

export type SetupTokenRow = typeof setupToken.$inferSelect;
