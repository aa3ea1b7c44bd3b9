import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TimelineKind } from '../../core/incidents.js';
import type { AttemptOutcome } from '../../core/notifications.js';
import { type Executor, type HotStatement, queryHot } from '../../db/client.js';
import { contactMethods, escalationPolicies, incidents, teamMembers, teams, users } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

/**
 * A step's end in one statement: the incident's escalation cursor (and assignee) moves and the
 * step's timeline entries are written, inside the step's transaction, which holds the incident's
 * row lock (so the update finds its row).
 */
const ADVANCE_STEP: HotStatement = {
  name: 'klaxon_escalation_advance_step',
  text: `WITH moved AS (
      UPDATE incidents SET assignee_user_id = $2::uuid, escalation_level = $3::int, escalation_repetition = $4::int,
        next_escalation_at = $5::timestamptz
      WHERE id = $1::uuid
      RETURNING id
    )
    INSERT INTO incident_timeline (id, incident_id, kind, user_id, message, metadata, created_at)
    SELECT entry.id, moved.id, entry.kind, NULL, entry.message, entry.metadata::jsonb, $6::timestamptz
    FROM moved, unnest($7::uuid[], $8::text[], $9::text[], $10::text[]) AS entry(id, kind, message, metadata)`,
};

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
     * Which of `userIds` a level may page, with the names the timeline shows: enabled members of
     * the team (authz's `partitionReferences` rule for people), their names read in the same statement.
     */
    async membersWithNames(executor: Executor, teamId: string, userIds: string[]): Promise<Map<string, string>> {
      if (userIds.length === 0) return new Map();
      const rows = await executor
        .select({ id: users.id, name: users.name, email: users.email })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, teamId), inArray(teamMembers.userId, userIds), isNull(users.disabledAt)));
      return new Map(rows.map((row) => [row.id, row.name ?? row.email]));
    },

    /**
     * What a person's send needs besides the notification, in one statement: the incident, its
     * team's name, the contact method, and whether the person may still be paged for the team
     * (authz's `standingOfUser`: an enabled platform admin or member). Undefined when the
     * incident is gone.
     */
    async findDeliveryContext(executor: Executor, incidentId: string, contactMethodId: string, userId: string) {
      const [row] = await executor
        .select({
          incident: incidents,
          teamName: teams.name,
          method: contactMethods,
          personName: sql<string | null>`coalesce(${users.name}, ${users.email})`,
          ofTheTeam: sql<boolean>`coalesce(${users.disabledAt} IS NULL AND (${users.isPlatformAdmin} OR ${teamMembers.role} IS NOT NULL), false)`,
        })
        .from(incidents)
        .leftJoin(teams, eq(teams.id, incidents.teamId))
        .leftJoin(contactMethods, eq(contactMethods.id, contactMethodId))
        .leftJoin(users, eq(users.id, userId))
        .leftJoin(teamMembers, and(eq(teamMembers.userId, users.id), eq(teamMembers.teamId, incidents.teamId)))
        .where(eq(incidents.id, incidentId))
        .limit(1);
      return row;
    },

    /** Moves an incident's escalation cursor and writes the step's timeline entries (all at `at`). */
    async advanceStep(
      executor: Executor,
      incidentId: string,
      cursor: {
        assigneeUserId: string | null;
        escalationLevel: number | null;
        escalationRepetition: number;
        nextEscalationAt: Date | null;
      },
      at: Date,
      timeline: Array<{ kind: TimelineKind; message: string; metadata?: Record<string, unknown> }>,
    ): Promise<void> {
      await queryHot(executor, ADVANCE_STEP, [
        incidentId,
        cursor.assigneeUserId,
        cursor.escalationLevel,
        cursor.escalationRepetition,
        cursor.nextEscalationAt?.toISOString() ?? null,
        at.toISOString(),
        timeline.map(() => uuidv7()),
        timeline.map((entry) => entry.kind),
        timeline.map((entry) => entry.message),
        timeline.map((entry) => JSON.stringify(entry.metadata ?? {})),
      ]);
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
