import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgSequence,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import { INCIDENT_ACTIONS, INCIDENT_STATUSES, TIMELINE_KINDS } from '../../core/incidents.js';
import { URGENCIES } from '../../core/urgency.js';
import { teams } from './teams.js';
import { users } from './users.js';

/**
 * An incident of one team. The escalation cursor (`escalationLevel`, `escalationRepetition`,
 * `nextEscalationAt`) is the durable truth of "what is the next step"; pg-boss jobs only wake a
 * worker at that time, and a job whose step is not the cursor's is a stale duplicate and does nothing.
 * `teamId` keeps no foreign key so an incident outlives its team (as alerts keep their team ids).
 */
/** Short incident numbers (`#123`), one series per installation, shared by every process. */
export const incidentNumberSequence = pgSequence('incident_number_seq', { startWith: 1 });

export const incidents = pgTable(
  'incidents',
  {
    id: uuid('id').primaryKey(),
    /** The short number people say and type (`#123`); gaps are possible (a rolled-back insert uses one). */
    number: integer('number').notNull().default(sql`nextval('incident_number_seq')`),
    teamId: uuid('team_id').notNull(),
    title: text('title').notNull(),
    severity: text('severity', { enum: ALERT_SEVERITIES }).notNull(),
    status: text('status', { enum: INCIDENT_STATUSES }).notNull(),
    /** From the team's urgency map when the incident opened: low urgency waits for support hours. */
    urgency: text('urgency', { enum: URGENCIES }).notNull().default('high'),
    /** Values of the team's group-by labels when the incident opened; null without a grouping rule. */
    groupKey: text('group_key'),
    escalationPolicyId: uuid('escalation_policy_id'),
    assigneeUserId: uuid('assignee_user_id'),
    /** The next step to run: level index and repetition (0-based); null when escalation is over. */
    escalationLevel: integer('escalation_level'),
    escalationRepetition: integer('escalation_repetition').notNull().default(0),
    nextEscalationAt: timestamp('next_escalation_at', { withTimezone: true, mode: 'date' }),
    /**
     * The round escalation last (re)started at. Rounds keep counting up when an acknowledgement
     * times out, so every notification keeps a key of its own; `repeatCount` counts from here.
     */
    escalationFirstRound: integer('escalation_first_round').notNull().default(0),
    /** When an acknowledgement runs out (the policy's `ackTimeoutMinutes`); null when none is pending. */
    ackTimeoutAt: timestamp('ack_timeout_at', { withTimezone: true, mode: 'date' }),
    /** Bumped by each reassignment; part of the idempotency key of the assignee's notifications. */
    reassignmentCount: integer('reassignment_count').notNull().default(0),
    alertCount: integer('alert_count').notNull().default(0),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
    lastAlertAt: timestamp('last_alert_at', { withTimezone: true, mode: 'date' }).notNull(),
    acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true, mode: 'date' }),
    acknowledgedBy: uuid('acknowledged_by'),
    resolvedAt: timestamp('resolved_at', { withTimezone: true, mode: 'date' }),
    resolvedBy: uuid('resolved_by'),
  },
  (table) => [
    uniqueIndex('incidents_number_unique').on(table.number),
    index('incidents_team_idx').on(table.teamId, table.id),
    index('incidents_status_idx').on(table.status, table.id),
    index('incidents_group_idx')
      .on(table.teamId, table.groupKey)
      .where(sql`${table.status} IN ('triggered', 'acknowledged')`),
    index('incidents_due_idx')
      .on(table.nextEscalationAt)
      .where(sql`${table.status} = 'triggered' AND ${table.escalationLevel} IS NOT NULL`),
    index('incidents_ack_timeout_idx')
      .on(table.ackTimeoutAt)
      .where(sql`${table.status} = 'acknowledged' AND ${table.ackTimeoutAt} IS NOT NULL`),
  ],
);

export type IncidentRow = typeof incidents.$inferSelect;

/** Which alerts make up an incident. An alert routed to two teams belongs to one incident of each. */
export const incidentAlerts = pgTable(
  'incident_alerts',
  {
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    alertId: uuid('alert_id').notNull(),
    teamId: uuid('team_id').notNull(),
    addedAt: timestamp('added_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.incidentId, table.alertId] }),
    uniqueIndex('incident_alerts_alert_team_unique').on(table.alertId, table.teamId),
  ],
);

export const incidentTimeline = pgTable(
  'incident_timeline',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: TIMELINE_KINDS }).notNull(),
    /** The person who acted (notes, acknowledgements…); null for the engine and senders. */
    userId: uuid('user_id'),
    message: text('message').notNull(),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('incident_timeline_incident_idx').on(table.incidentId, table.id)],
);

export type IncidentTimelineRow = typeof incidentTimeline.$inferSelect;

/** A team's grouping rule, like Alertmanager's group_by: alerts with equal values of these labels share an incident. */
export const incidentGroupingRules = pgTable('incident_grouping_rules', {
  teamId: uuid('team_id')
    .primaryKey()
    .references(() => teams.id, { onDelete: 'cascade' }),
  groupBy: text('group_by').array().notNull(),
  windowMinutes: integer('window_minutes').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true, mode: 'date' }).notNull(),
});

export type IncidentGroupingRuleRow = typeof incidentGroupingRules.$inferSelect;

/**
 * One-click links in emails. The link carries the id and an HMAC of it under a key derived from
 * the master key, so a copy of this table cannot forge links; `usedAt` makes each link single-use.
 */
export const incidentActionTokens = pgTable(
  'incident_action_tokens',
  {
    id: uuid('id').primaryKey(),
    incidentId: uuid('incident_id')
      .notNull()
      .references(() => incidents.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    action: text('action', { enum: INCIDENT_ACTIONS }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true, mode: 'date' }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true, mode: 'date' }),
    revoked: boolean('revoked').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true, mode: 'date' }).notNull(),
  },
  (table) => [index('incident_action_tokens_incident_idx').on(table.incidentId)],
);
