import { index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PHONE_MESSAGE_KINDS, PHONE_MESSAGE_PURPOSES } from '../../core/phone.js';
import { contactMethods } from './notifications.js';

/**
 * The pending verification code of a phone contact method: only its HMAC is kept, it expires, and
 * a few wrong guesses use it up. Resending replaces it.
 */
export const phoneVerifications = pgTable('phone_verifications', {
  contactMethodId: uuid('contact_method_id')
    .primaryKey()
    .references(() => contactMethods.id, { onDelete: 'cascade' }),
  codeHash: text('code_hash').notNull(),
  attempts: integer('attempts').notNull().default(0),
  expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
  sentAt: timestamp('sent_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type PhoneVerificationRow = typeof phoneVerifications.$inferSelect;

/**
 * Every SMS and call handed to a provider: what the per-number rate limit counts, what status
 * callbacks update (by the provider's id), and how a reply or a key press finds its incident.
 */
export const phoneMessages = pgTable(
  'phone_messages',
  {
    id: uuid('id').primaryKey(),
    provider: text('provider').notNull(),
    /** The provider's id (Twilio MessageSid/CallSid, Vonage message_uuid/call uuid); null until accepted. */
    providerMessageId: text('provider_message_id'),
    kind: text('kind', { enum: PHONE_MESSAGE_KINDS }).notNull(),
    purpose: text('purpose', { enum: PHONE_MESSAGE_PURPOSES }).notNull(),
    toNumber: text('to_number').notNull(),
    userId: uuid('user_id'),
    notificationId: uuid('notification_id'),
    incidentId: uuid('incident_id'),
    /** The provider's last word: queued, sent, delivered, failed, no-answer, busy… */
    status: text('status').notNull(),
    statusDetail: text('status_detail'),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    uniqueIndex('phone_messages_provider_id_unique').on(table.provider, table.providerMessageId),
    index('phone_messages_to_idx').on(table.toNumber, table.createdAt),
    index('phone_messages_user_idx').on(table.userId, table.id),
    index('phone_messages_notification_idx').on(table.notificationId),
  ],
);

export type PhoneMessageRow = typeof phoneMessages.$inferSelect;

/** Provider callbacks already acted on, by a key of what they mean: a replayed callback finds its key here. */
export const providerCallbacks = pgTable(
  'provider_callbacks',
  {
    provider: text('provider').notNull(),
    callbackKey: text('callback_key').notNull(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [uniqueIndex('provider_callbacks_key_unique').on(table.provider, table.callbackKey)],
);
