import { boolean, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name'),
    isPlatformAdmin: boolean('is_platform_admin').notNull().default(false),
    /** scrypt hash for console sign-in; null until a password is set. */
    passwordHash: text('password_hash'),
    /** Set when an admin disables the account: no sign-in, no API key, no link or feed works. */
    disabledAt: timestamp('disabled_at', { withTimezone: true, mode: 'date' }),
    /** Set once the person signed in with single sign-on: the provider's issuer and `sub` claim. */
    oidcIssuer: text('oidc_issuer'),
    oidcSubject: text('oidc_subject'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('users_email_unique').on(table.email),
    uniqueIndex('users_oidc_identity_unique').on(table.oidcIssuer, table.oidcSubject),
  ],
);

export type UserRow = typeof users.$inferSelect;
