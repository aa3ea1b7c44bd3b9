import { index, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { incidents } from './incidents.js';
import { teams } from './teams.js';
import { users } from './users.js';

/** A person's Slack account (the Slack user id the bot DMs, and who a button press comes from). */
export const slackLinks = pgTable(
  'slack_links',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    slackUserId: text('slack_user_id').notNull(),
    linkedAt: timestamp('linked_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [uniqueIndex('slack_links_slack_user_unique').on(table.slackUserId)],
);

export type SlackLinkRow = typeof slackLinks.$inferSelect;

/** The Slack channel a team's incident messages go to (set by its managers). */
export const slackTeamChannels = pgTable('slack_team_channels', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  channelId: text('channel_id').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

/** Every incident message the bot posted, so it can be rewritten in place (chat.update) when the incident changes. */
export const slackMessages = pgTable(
  'slack_messages',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    /** The conversation id chat.postMessage answered with (a channel, or the DM with a person). */
    channelId: text('channel_id').notNull(),
    ts: text('ts').notNull(),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.channelId, table.ts] }),
    index('slack_messages_incident_idx').on(table.incidentId),
  ],
);

export type SlackMessageRow = typeof slackMessages.$inferSelect;

/**
 * Signed Slack requests already handled, by the digest of their signature: a replayed request
 * (same timestamp, body and signature, still inside the 5-minute window) has no second effect.
 */
export const slackRequests = pgTable(
  'slack_requests',
  {
    digest: text('digest').primaryKey(),
    receivedAt: timestamp('received_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('slack_requests_received_idx').on(table.receivedAt)],
);
