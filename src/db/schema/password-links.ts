import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PASSWORD_LINK_PURPOSES } from '../../core/password-links.js';
import { users } from './users.js';

/**
 * One-time links an admin hands to a person so they choose their own password. As for
 * sessions, only the SHA-256 of the random token is stored: a database dump opens no account.
 */
export const passwordLinks = pgTable(
  'password_links',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** SHA-256 of the link token, hex. */
    tokenHash: text('token_hash').notNull(),
    /** `invite` when the user had no password when the link was made, `reset` otherwise. */
    purpose: text('purpose', { enum: PASSWORD_LINK_PURPOSES }).notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    /** Set when a newer link for the same user replaced this one before it was used. */
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [
    uniqueIndex('password_links_token_hash_unique').on(table.tokenHash),
    index('password_links_user_id_idx').on(table.userId),
  ],
);

export type PasswordLinkRow = typeof passwordLinks.$inferSelect;
