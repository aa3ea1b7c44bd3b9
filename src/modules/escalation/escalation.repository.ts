import { and, eq, lt, or, sql } from 'drizzle-orm';
import type { TimelineKind } from '../../core/incidents.js';
import type { AttemptOutcome } from '../../core/notifications.js';
import { type Executor, type HotStatement, queryHot } from '../../db/client.js';
import {
  contactMethods,
  escalationPolicies,
  type IncidentRow,
  incidentActionTokens,
  incidents,
  notifications,
  teamMembers,
  teams,
  users,
} from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import { standsInTeamSql } from '../authz/authz.repository.js';
import type { NewNotification } from '../notifications/notifications.repository.js';

/**
 * A planned step applied in one statement (so atomically, without BEGIN and COMMIT): the
 * incident's escalation cursor moves only if the incident is still what the plan was made from
 * (triggered, at this level and round, same first round and urgency; the update waits for and
 * re-checks a concurrent writer's row lock), and only then are the step's notifications (new
 * idempotency keys only) and timeline entries written. Returns whether it moved, and the
 * notifications it created.
 */
const APPLY_STEP: HotStatement = {
  name: 'klaxon_escalation_apply_step',
  text: `WITH moved AS (
      UPDATE incidents SET assignee_user_id = coalesce($6::uuid, assignee_user_id), escalation_level = $7::int,
        escalation_repetition = $8::int, next_escalation_at = $9::timestamptz
      WHERE id = $1::uuid AND status = 'triggered' AND escalation_level = $2::int
        AND escalation_repetition = $3::int AND escalation_first_round = $4::int AND urgency = $5::text
      RETURNING id
    ), notified AS (
      INSERT INTO notifications (id, incident_id, user_id, contact_method_id, team_id, contact_method_type, level,
        repetition, rule_delay_minutes, status, attempts, last_error, scheduled_at, created_at, updated_at)
      SELECT row.id, moved.id, row.user_id, row.contact_method_id, row.team_id, row.type, row.level, row.repetition,
        row.rule_delay_minutes, row.status, 0, row.last_error, row.scheduled_at, $10::timestamptz, $10::timestamptz
      FROM moved, unnest($11::uuid[], $12::uuid[], $13::uuid[], $14::uuid[], $15::text[], $16::int[], $17::int[],
        $18::int[], $19::text[], $20::text[], $21::timestamptz[])
        AS row(id, user_id, contact_method_id, team_id, type, level, repetition, rule_delay_minutes, status,
          last_error, scheduled_at)
      ON CONFLICT DO NOTHING
      RETURNING id, scheduled_at, status
    ), written AS (
      INSERT INTO incident_timeline (id, incident_id, kind, user_id, message, metadata, created_at)
      SELECT entry.id, moved.id, entry.kind, NULL, entry.message, entry.metadata::jsonb, $10::timestamptz
      FROM moved, unnest($22::uuid[], $23::text[], $24::text[], $25::text[]) AS entry(id, kind, message, metadata)
    )
    SELECT (SELECT count(*) FROM moved)::int AS moved, notified.id, notified.scheduled_at, notified.status
    FROM (SELECT 1) AS one LEFT JOIN notified ON true`,
};

/** Where a step leaves the incident's escalation (a null assignee leaves the assignee as it is). */
export interface StepCursor {
  assigneeUserId: string | null;
  escalationLevel: number | null;
  escalationRepetition: number;
  nextEscalationAt: Date | null;
}

export interface StepTimelineEntry {
  kind: TimelineKind;
  message: string;
  metadata: Record<string, unknown>;
}

/**
 * A send's outcome in one statement (so in one implicit transaction, without BEGIN and COMMIT):
 * the attempt, the notification's new status (its claim released), and, when `kind` is given,
 * the timeline entry. Four round trips fewer per page than a transaction of three statements.
 */
const RECORD_SEND_OUTCOME: HotStatement = {
  name: 'klaxon_escalation_record_send_outcome',
  text: `WITH attempt AS (
      INSERT INTO notification_attempts (id, notification_id, attempt, outcome, detail, duration_ms, created_at)
      VALUES ($1::uuid, $2::uuid, $3::int, $4::text, $5::text, $6::int, $7::timestamptz)
    ), finished AS (
      UPDATE notifications SET status = $8::text,
        sent_at = CASE WHEN $8::text = 'sent' THEN $7::timestamptz ELSE sent_at END,
        claimed_until = NULL, last_error = $9::text, updated_at = $7::timestamptz
      WHERE id = $2::uuid
    )
    INSERT INTO incident_timeline (id, incident_id, kind, user_id, message, metadata, created_at)
    SELECT $10::uuid, $11::uuid, $12::text, NULL, $13::text, $14::jsonb, $7::timestamptz
    WHERE $12::text IS NOT NULL`,
};

/**
 * The reads and writes of a step and a send that the engine's hot path combines into fewer
 * statements: a storm's first pages queue behind the number of round trips per page (one socket
 * write each), not behind what the statements compute (bench/README.md, "Time to page").
 */
export function createEscalationRepository() {
  return {
    /** The incident and its escalation policy (null: none, or deleted since), in one statement. */
    async findIncidentWithPolicy(executor: Executor, incidentId: string) {
      const [row] = await executor
        .select({ incident: incidents, policy: escalationPolicies })
        .from(incidents)
        .leftJoin(escalationPolicies, eq(escalationPolicies.id, incidents.escalationPolicyId))
        .where(eq(incidents.id, incidentId))
        .limit(1);
      return row;
    },

    /**
     * Claims a notification for sending, reads what its send needs and creates its one-click
     * links, in one statement: a storm's pages queue behind round trips. The claim takes pending
     * notifications, or ones whose previous sender's claim lapsed (it crashed mid-send), and only
     * while the incident is still triggered; one claimer wins. With it: the incident, its team's
     * name, the contact method (null for a team's chat channel post, or deleted since), the
     * person's name and whether they may still be paged for the team (authz's `standsInTeamSql`,
     * standingOfUser's rule). The action tokens (`tokens`, the links' ids) are inserted only when
     * the message will go out: a person's notification, claimed, on a contact method that exists,
     * to someone still of the team. Undefined when not claimed.
     */
    async claimWithContext(
      executor: Executor,
      id: string,
      at: Date,
      leaseMs: number,
      tokens: { acknowledgeId: string; resolveId: string; expiresAt: Date },
    ) {
      const claimed = executor.$with('claimed').as(
        executor
          .update(notifications)
          .set({
            status: 'sending',
            attempts: sql`${notifications.attempts} + 1`,
            claimedUntil: new Date(at.getTime() + leaseMs),
            updatedAt: at,
          })
          .where(
            and(
              eq(notifications.id, id),
              or(
                eq(notifications.status, 'pending'),
                and(eq(notifications.status, 'sending'), lt(notifications.claimedUntil, at)),
              ),
              sql`EXISTS (SELECT 1 FROM ${incidents} WHERE ${incidents.id} = ${notifications.incidentId} AND ${incidents.status} = 'triggered')`,
            ),
          )
          .returning(),
      );
      // Raw SQL: Drizzle's insert…select cannot take the VALUES list. The names are the tables'
      // own, as standsInTeamSql spells them.
      const linked = executor.$with('linked', { id: sql<string>`id` }).as(
        sql`INSERT INTO ${incidentActionTokens} (id, incident_id, user_id, action, expires_at, created_at)
          SELECT token.id, claimed.incident_id, claimed.user_id, token.action, ${tokens.expiresAt.toISOString()}::timestamptz,
            ${at.toISOString()}::timestamptz
          FROM claimed
          JOIN ${incidents} ON ${incidents.id} = claimed.incident_id
          JOIN ${contactMethods} ON ${contactMethods.id} = claimed.contact_method_id
          JOIN ${users} ON ${users.id} = claimed.user_id
          LEFT JOIN ${teamMembers} ON ${teamMembers.userId} = ${users.id} AND ${teamMembers.teamId} = ${incidents.teamId}
          CROSS JOIN (VALUES (${tokens.acknowledgeId}::uuid, 'acknowledge'), (${tokens.resolveId}::uuid, 'resolve'))
            AS token(id, action)
          WHERE ${standsInTeamSql}
          RETURNING id`,
      );
      const [row] = await executor
        .with(claimed, linked)
        .select({
          notification: claimed._.selectedFields,
          incident: incidents,
          teamName: teams.name,
          method: contactMethods,
          personName: sql<string | null>`coalesce(${users.name}, ${users.email})`,
          ofTheTeam: standsInTeamSql,
        })
        .from(claimed)
        .innerJoin(incidents, eq(incidents.id, claimed.incidentId))
        .leftJoin(teams, eq(teams.id, incidents.teamId))
        .leftJoin(contactMethods, eq(contactMethods.id, claimed.contactMethodId))
        .leftJoin(users, eq(users.id, claimed.userId))
        .leftJoin(teamMembers, and(eq(teamMembers.userId, users.id), eq(teamMembers.teamId, incidents.teamId)));
      return row;
    },

    /**
     * Applies a step planned from `planned` (APPLY_STEP); undefined when the incident moved on
     * since (the step is stale). The created notifications are the pending ones to send.
     */
    async applyStep(
      executor: Executor,
      planned: Pick<IncidentRow, 'id' | 'escalationFirstRound' | 'urgency'>,
      step: { level: number; repetition: number },
      plan: { cursor: StepCursor; notifications: NewNotification[]; timeline: StepTimelineEntry[]; at: Date },
    ): Promise<{ notifications: Array<{ id: string; scheduledAt: Date }> } | undefined> {
      const { cursor, notifications, timeline, at } = plan;
      const rows = await queryHot<{ moved: number; id: string | null; scheduled_at: string | Date; status: string }>(
        executor,
        APPLY_STEP,
        [
          planned.id,
          step.level,
          step.repetition,
          planned.escalationFirstRound,
          planned.urgency,
          cursor.assigneeUserId,
          cursor.escalationLevel,
          cursor.escalationRepetition,
          cursor.nextEscalationAt?.toISOString() ?? null,
          at.toISOString(),
          notifications.map(() => uuidv7()),
          notifications.map((row) => row.userId),
          notifications.map((row) => row.contactMethodId),
          notifications.map((row) => row.teamId ?? null),
          notifications.map((row) => row.contactMethodType),
          notifications.map((row) => row.level),
          notifications.map((row) => row.repetition),
          notifications.map((row) => row.ruleDelayMinutes),
          notifications.map((row) => row.status ?? 'pending'),
          notifications.map((row) => row.lastError ?? null),
          notifications.map((row) => row.scheduledAt.toISOString()),
          timeline.map(() => uuidv7()),
          timeline.map((entry) => entry.kind),
          timeline.map((entry) => entry.message),
          timeline.map((entry) => JSON.stringify(entry.metadata)),
        ],
      );
      if (Number(rows[0]?.moved ?? 0) === 0) return undefined;
      return {
        notifications: rows.flatMap((row) =>
          row.id === null || row.status !== 'pending' ? [] : [{ id: row.id, scheduledAt: new Date(row.scheduled_at) }],
        ),
      };
    },

    async recordSendOutcome(
      executor: Executor,
      outcome: {
        notificationId: string;
        incidentId: string;
        attempt: number;
        outcome: AttemptOutcome;
        detail: string | null;
        durationMs: number;
        status: 'sent' | 'failed' | 'pending';
        at: Date;
        /** The timeline entry, when the send is final (sent, or failed for good). */
        timeline?: { kind: TimelineKind; message: string; metadata: Record<string, unknown> };
      },
    ): Promise<void> {
      await queryHot(executor, RECORD_SEND_OUTCOME, [
        uuidv7(),
        outcome.notificationId,
        outcome.attempt,
        outcome.outcome,
        outcome.detail,
        outcome.durationMs,
        outcome.at.toISOString(),
        outcome.status,
        outcome.status === 'sent' ? null : outcome.detail,
        uuidv7(),
        outcome.incidentId,
        outcome.timeline?.kind ?? null,
        outcome.timeline?.message ?? null,
        outcome.timeline === undefined ? null : JSON.stringify(outcome.timeline.metadata),
      ]);
    },
  };
}

export type EscalationRepository = ReturnType<typeof createEscalationRepository>;
