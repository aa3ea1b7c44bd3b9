import { and, eq, sql } from 'drizzle-orm';
import type { TimelineKind } from '../../core/incidents.js';
import type { AttemptOutcome } from '../../core/notifications.js';
import { builtPerExecutor, type Executor, type HotStatement, queryHot } from '../../db/client.js';
import {
  contactMethods,
  escalationPolicies,
  type IncidentRow,
  incidents,
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
 * The step's and the send's reads, built once per executor: building these two wide selects took
 * 145 and 194 µs of CPU each time (warm), ~0.34 ms of the server's ~7.5 ms per page in a storm
 * (bench/README.md, 2026-12-07).
 */
const builtOnce = builtPerExecutor((executor) => ({
  incidentWithPolicy: executor
    .select({ incident: incidents, policy: escalationPolicies })
    .from(incidents)
    .leftJoin(escalationPolicies, eq(escalationPolicies.id, incidents.escalationPolicyId))
    .where(eq(incidents.id, sql.placeholder('incidentId')))
    .limit(1)
    .prepare('klaxon_escalation_incident_with_policy'),
  deliveryContext: executor
    .select({
      incident: incidents,
      teamName: teams.name,
      method: contactMethods,
      personName: sql<string | null>`coalesce(${users.name}, ${users.email})`,
      ofTheTeam: standsInTeamSql,
    })
    .from(incidents)
    .leftJoin(teams, eq(teams.id, incidents.teamId))
    .leftJoin(contactMethods, eq(contactMethods.id, sql.placeholder('contactMethodId')))
    .leftJoin(users, eq(users.id, sql.placeholder('userId')))
    .leftJoin(teamMembers, and(eq(teamMembers.userId, users.id), eq(teamMembers.teamId, incidents.teamId)))
    .where(eq(incidents.id, sql.placeholder('incidentId')))
    .limit(1)
    .prepare('klaxon_escalation_delivery_context'),
}));

/**
 * The reads and writes of a step and a send that the engine's hot path combines into fewer
 * statements: a storm's first pages queue behind the number of round trips per page (one socket
 * write each), not behind what the statements compute (bench/README.md, "Time to page").
 */
export function createEscalationRepository() {
  return {
    /** The incident and its escalation policy (null: none, or deleted since), in one statement. */
    async findIncidentWithPolicy(executor: Executor, incidentId: string) {
      const [row] = await builtOnce(executor).incidentWithPolicy.execute({ incidentId });
      return row;
    },

    /**
     * What a person's send needs besides the notification, in one statement: the incident, its
     * team's name, the contact method, and whether the person may still be paged for the team
     * (authz's `standsInTeamSql`, standingOfUser's rule). Undefined when the
     * incident is gone.
     */
    async findDeliveryContext(executor: Executor, incidentId: string, contactMethodId: string, userId: string) {
      const [row] = await builtOnce(executor).deliveryContext.execute({ incidentId, contactMethodId, userId });
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
