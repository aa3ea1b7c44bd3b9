import { boolean, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import {
  INTEGRATION_TYPES,
  SIGNATURE_ALGORITHMS,
  SIGNATURE_FORMATS,
  SIGNATURE_SCHEMES,
} from '../../core/integrations.js';
import { teams } from './teams.js';

/**
 * A configured sender. The webhook secret is stored only as AES-256-GCM ciphertext (under
 * KLAXON_MASTER_KEY) plus a SHA-256 for lookups by secret (the PagerDuty routing_key), so no
 * request ever decrypts every row. During a rotation grace period the previous secret is kept
 * the same way until `previousSecretExpiresAt`.
 */
export const integrations = pgTable(
  'integrations',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    type: text('type', { enum: INTEGRATION_TYPES }).notNull(),
    secretCiphertext: text('secret_ciphertext').notNull(),
    secretHash: text('secret_hash').notNull(),
    secretPrefix: text('secret_prefix').notNull(),
    previousSecretCiphertext: text('previous_secret_ciphertext'),
    previousSecretHash: text('previous_secret_hash'),
    previousSecretExpiresAt: timestamp('previous_secret_expires_at', { withTimezone: true, mode: 'date' }),
    signatureScheme: text('signature_scheme', { enum: SIGNATURE_SCHEMES }).notNull(),
    signatureHeader: text('signature_header').notNull(),
    signatureAlgorithm: text('signature_algorithm', { enum: SIGNATURE_ALGORITHMS }).notNull(),
    signatureFormat: text('signature_format', { enum: SIGNATURE_FORMATS }).notNull(),
    signaturePrefix: text('signature_prefix').notNull().default(''),
    deduplicationWindowMinutes: integer('deduplication_window_minutes').notNull(),
    /** null: the server-wide default (KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE). */
    rateLimitPerMinute: integer('rate_limit_per_minute'),
    isActive: boolean('is_active').notNull().default(true),
    /** Where alerts that no routing rule matches go; null leaves them unrouted (admins only). */
    defaultTeamId: uuid('default_team_id').references(() => teams.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('integrations_name_unique').on(table.name),
    uniqueIndex('integrations_secret_hash_unique').on(table.secretHash),
    index('integrations_previous_secret_hash_idx').on(table.previousSecretHash),
  ],
);

export type IntegrationRow = typeof integrations.$inferSelect;
