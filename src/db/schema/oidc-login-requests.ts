import { pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

/**
 * Sign-ins with the OpenID Connect provider that have started and not yet come back. Kept
 * server-side so that each `state` works once, in any server process, and only in the browser
 * that started it (the browser holds a random binding token in a short-lived cookie).
 */
export const oidcLoginRequests = pgTable(
  'oidc_login_requests',
  {
    id: uuid('id').primaryKey(),
    /** SHA-256 of the `state` sent to the provider, hex. */
    stateHash: text('state_hash').notNull(),
    /** SHA-256 of the browser binding cookie, hex. */
    browserHash: text('browser_hash').notNull(),
    /** The `nonce` the ID token must carry. */
    nonce: text('nonce').notNull(),
    /** The PKCE code verifier, encrypted with the master key. */
    codeVerifierEncrypted: text('code_verifier_encrypted').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    /** Set by the callback that used it: a second callback with the same state is refused. */
    consumedAt: timestamp('consumed_at', { withTimezone: true, mode: 'date' }),
  },
  (table) => [uniqueIndex('oidc_login_requests_state_hash_unique').on(table.stateHash)],
);

export type OidcLoginRequestRow = typeof oidcLoginRequests.$inferSelect;
