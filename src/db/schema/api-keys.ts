import { index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { API_KEY_SCOPES } from '../../core/api-keys.js';
import { teams } from './teams.js';
import { users } from './users.js';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** SHA-256 of the full key, hex. The key itself is never stored. */
    keyHash: text('key_hash').notNull(),
    keyPrefix: text('key_prefix').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true, mode: 'date' }),
    /** `read`: GET requests only. `write`: whatever its owner may do. */
    scope: text('scope', { enum: API_KEY_SCOPES }).notNull().default('write'),
    /** Limits the key to one team's resources; deleting the team deletes the key (it must never widen). */
    teamId: uuid('team_id').references(() => teams.id, { onDelete: 'cascade' }),
    /** The key stops working at this instant; null: never. */
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }),
    revokedAt: timestamp('revoked_at', { withTimezone: true, mode: 'date' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('api_keys_key_hash_unique').on(table.keyHash),
    index('api_keys_user_id_idx').on(table.userId),
  ],
);

export type ApiKeyRow = typeof apiKeys.$inferSelect;
