import { and, desc, eq, gte, inArray, isNotNull, lt, lte, type SQL, sql } from 'drizzle-orm';
import type { IncidentAction, IncidentStatus, TimelineKind } from '../../core/incidents.js';
import { type Executor, type HotStatement, queryHot } from '../../db/client.js';
import {
  alerts,
  type IncidentRow,
  type IncidentTimelineRow,
  incidentActionTokens,
  incidentAlerts,
  incidentGroupingRules,
  incidents,
  incidentTimeline,
  users,
} from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

export interface IncidentFilter {
  status?: IncidentStatus | undefined;
  teamId?: string | undefined;
  anyOfTeamIds?: string[] | undefined;
  beforeId?: string | undefined;
  limit: number;
}

/** A new triggered incident of one alert, at escalation round 0 (insertOpened). */
export interface OpenedIncident {
  id: string;
  teamId: string;
  title: string;
  severity: IncidentRow['severity'];
  urgency: IncidentRow['urgency'];
  groupKey: string | null;
  escalationPolicyId: string | null;
  escalationLevel: number | null;
  nextEscalationAt: Date | null;
  createdAt: Date;
}

export type OpeningEntry = { kind: TimelineKind; message: string; metadata?: Record<string, unknown> };

const INSERT_OPENED: HotStatement = {
  name: 'klaxon_incidents_insert_opened',
  text: `WITH opened AS (
      INSERT INTO incidents (id, team_id, title, severity, status, urgency, group_key, escalation_policy_id,
        escalation_level, escalation_repetition, next_escalation_at, alert_count, created_at, last_alert_at)
      VALUES ($1::uuid, $2::uuid, $3::text, $4::text, 'triggered', $5::text, $6::text, $7::uuid, $8::int, 0,
        $9::timestamptz, 1, $10::timestamptz, $10::timestamptz)
      RETURNING id
    ), linked AS (
      INSERT INTO incident_alerts (incident_id, alert_id, team_id, added_at)
      SELECT id, $11::uuid, $2::uuid, $10::timestamptz FROM opened
      ON CONFLICT DO NOTHING
    )
    INSERT INTO incident_timeline (id, incident_id, kind, user_id, message, metadata, created_at)
    SELECT entry.id, opened.id, entry.kind, NULL, entry.message, entry.metadata::jsonb, $10::timestamptz
    FROM opened, unnest($12::uuid[], $13::text[], $14::text[], $15::text[]) AS entry(id, kind, message, metadata)`,
};

export interface NewTimelineEntry {
  incidentId: string;
  kind: TimelineKind;
  userId?: string | null;
  message: string;
  metadata?: Record<string, unknown>;
  createdAt: Date;
}

export type IncidentChanges = Partial<Omit<IncidentRow, 'id' | 'teamId' | 'createdAt'>>;

export function createIncidentsRepository() {
  return {
    /** Serialises the openers of one team's group key for the rest of the transaction (any number of processes). */
    async lockGroup(executor: Executor, teamId: string, groupKey: string): Promise<void> {
      await executor.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`incident-group:${teamId}:${groupKey}`}))`);
    },

    async findOpenGroup(
      executor: Executor,
      teamId: string,
      groupKey: string,
      openedSince: Date,
    ): Promise<IncidentRow | undefined> {
      const [row] = await executor
        .select()
        .from(incidents)
        .where(
          and(
            eq(incidents.teamId, teamId),
            eq(incidents.groupKey, groupKey),
            inArray(incidents.status, ['triggered', 'acknowledged']),
            gte(incidents.createdAt, openedSince),
          ),
        )
        .orderBy(desc(incidents.id))
        .limit(1)
        .for('update');
      return row;
    },

    /**
     * Opens an incident by an alert in one statement: the incident, its link to the alert and its
     * first timeline entries (all at the incident's `createdAt`). Ingest opens one per new alert,
     * so each round trip saved here is one per page in a storm.
     */
    async insertOpened(executor: Executor, opened: OpenedIncident, alertId: string, timeline: OpeningEntry[]) {
      await queryHot(executor, INSERT_OPENED, [
        opened.id,
        opened.teamId,
        opened.title,
        opened.severity,
        opened.urgency,
        opened.groupKey,
        opened.escalationPolicyId,
        opened.escalationLevel,
        opened.nextEscalationAt?.toISOString() ?? null,
        opened.createdAt.toISOString(),
        alertId,
        timeline.map(() => uuidv7()),
        timeline.map((entry) => entry.kind),
        timeline.map((entry) => entry.message),
        timeline.map((entry) => JSON.stringify(entry.metadata ?? {})),
      ]);
    },

    async update(executor: Executor, id: string, changes: IncidentChanges): Promise<IncidentRow> {
      const [row] = await executor.update(incidents).set(changes).where(eq(incidents.id, id)).returning();
      if (row === undefined) throw new Error('incident update matched no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<IncidentRow | undefined> {
      const [row] = await executor.select().from(incidents).where(eq(incidents.id, id)).limit(1);
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<IncidentRow | undefined> {
      const [row] = await executor.select().from(incidents).where(eq(incidents.id, id)).limit(1).for('update');
      return row;
    },

    async list(executor: Executor, filter: IncidentFilter): Promise<IncidentRow[]> {
      const conditions: SQL[] = [];
      if (filter.status !== undefined) conditions.push(eq(incidents.status, filter.status));
      if (filter.teamId !== undefined) conditions.push(eq(incidents.teamId, filter.teamId));
      if (filter.anyOfTeamIds !== undefined) conditions.push(inArray(incidents.teamId, filter.anyOfTeamIds));
      if (filter.beforeId !== undefined) conditions.push(lt(incidents.id, filter.beforeId));
      return executor
        .select()
        .from(incidents)
        .where(and(...conditions))
        .orderBy(desc(incidents.id))
        .limit(filter.limit);
    },

    /** Triggered incidents whose next escalation step is overdue (its job may have been lost). */
    async listOverdue(executor: Executor, before: Date, limit: number): Promise<IncidentRow[]> {
      return executor
        .select()
        .from(incidents)
        .where(
          and(
            eq(incidents.status, 'triggered'),
            isNotNull(incidents.escalationLevel),
            lte(incidents.nextEscalationAt, before),
          ),
        )
        .limit(limit);
    },

    /** Acknowledged incidents whose acknowledgement has run out (its job may have been lost). */
    async listAckTimeoutsOverdue(executor: Executor, before: Date, limit: number): Promise<IncidentRow[]> {
      return executor
        .select()
        .from(incidents)
        .where(and(eq(incidents.status, 'acknowledged'), lte(incidents.ackTimeoutAt, before)))
        .limit(limit);
    },

    async linkAlert(executor: Executor, incidentId: string, alertId: string, teamId: string, at: Date) {
      const rows = await executor
        .insert(incidentAlerts)
        .values({ incidentId, alertId, teamId, addedAt: at })
        .onConflictDoNothing()
        .returning({ alertId: incidentAlerts.alertId });
      return rows.length > 0;
    },

    /** The incidents an alert belongs to (one per team it was routed to), locked. */
    async incidentsOfAlertForUpdate(executor: Executor, alertId: string): Promise<IncidentRow[]> {
      return executor
        .select({ incident: incidents })
        .from(incidents)
        .innerJoin(incidentAlerts, eq(incidentAlerts.incidentId, incidents.id))
        .where(eq(incidentAlerts.alertId, alertId))
        .orderBy(incidents.id)
        .for('update', { of: incidents })
        .then((rows) => rows.map((row) => row.incident));
    },

    async alertsOf(executor: Executor, incidentId: string) {
      return executor
        .select({
          id: alerts.id,
          title: alerts.title,
          severity: alerts.severity,
          status: alerts.status,
          integrationName: alerts.integrationName,
          labels: alerts.labels,
          addedAt: incidentAlerts.addedAt,
        })
        .from(incidentAlerts)
        .innerJoin(alerts, eq(alerts.id, incidentAlerts.alertId))
        .where(eq(incidentAlerts.incidentId, incidentId))
        .orderBy(incidentAlerts.addedAt);
    },

    async countUnresolvedAlerts(executor: Executor, incidentId: string): Promise<number> {
      const [row] = await executor
        .select({ count: sql<number>`count(*)::int` })
        .from(incidentAlerts)
        .innerJoin(alerts, eq(alerts.id, incidentAlerts.alertId))
        .where(and(eq(incidentAlerts.incidentId, incidentId), inArray(alerts.status, ['firing', 'acknowledged'])));
      return row?.count ?? 0;
    },

    /** Moves the incident's alerts that are still in one of `from` to `to`; returns the ids moved. */
    async transitionAlerts(
      executor: Executor,
      incidentId: string,
      to: 'acknowledged' | 'resolved',
      userId: string | null,
      at: Date,
    ): Promise<string[]> {
      const members = sql`${alerts.id} IN (SELECT ${incidentAlerts.alertId} FROM ${incidentAlerts} WHERE ${incidentAlerts.incidentId} = ${incidentId})`;
      const rows = await executor
        .update(alerts)
        .set(
          to === 'acknowledged'
            ? { status: 'acknowledged', acknowledgedAt: at, acknowledgedBy: userId }
            : { status: 'resolved', resolvedAt: at, resolvedBy: userId },
        )
        .where(
          and(
            members,
            to === 'acknowledged' ? eq(alerts.status, 'firing') : inArray(alerts.status, ['firing', 'acknowledged']),
          ),
        )
        .returning({ id: alerts.id });
      return rows.map((row) => row.id);
    },

    /** The incident's acknowledged alerts fire again (its acknowledgement timed out); returns their ids. */
    async retriggerAlerts(executor: Executor, incidentId: string): Promise<string[]> {
      const rows = await executor
        .update(alerts)
        .set({ status: 'firing', acknowledgedAt: null, acknowledgedBy: null })
        .where(
          and(
            sql`${alerts.id} IN (SELECT ${incidentAlerts.alertId} FROM ${incidentAlerts} WHERE ${incidentAlerts.incidentId} = ${incidentId})`,
            eq(alerts.status, 'acknowledged'),
          ),
        )
        .returning({ id: alerts.id });
      return rows.map((row) => row.id);
    },

    /** How a person is named in the timeline: their name, else their email. */
    async displayNameOf(executor: Executor, userId: string): Promise<string | undefined> {
      const [row] = await executor
        .select({ name: users.name, email: users.email })
        .from(users)
        .where(eq(users.id, userId))
        .limit(1);
      return row === undefined ? undefined : (row.name ?? row.email);
    },

    async insertTimeline(executor: Executor, entries: NewTimelineEntry[]): Promise<void> {
      if (entries.length === 0) return;
      await executor.insert(incidentTimeline).values(
        entries.map((entry) => ({
          id: uuidv7(),
          incidentId: entry.incidentId,
          kind: entry.kind,
          userId: entry.userId ?? null,
          message: entry.message,
          metadata: entry.metadata ?? {},
          createdAt: entry.createdAt,
        })),
      );
    },

    async listTimeline(executor: Executor, incidentId: string, limit: number): Promise<IncidentTimelineRow[]> {
      return executor
        .select()
        .from(incidentTimeline)
        .where(eq(incidentTimeline.incidentId, incidentId))
        .orderBy(incidentTimeline.id)
        .limit(limit);
    },

    /** Whether the incident's timeline holds an entry of any of these kinds. */
    async hasTimelineEntry(executor: Executor, incidentId: string, kinds: TimelineKind[]): Promise<boolean> {
      const [row] = await executor
        .select({ id: incidentTimeline.id })
        .from(incidentTimeline)
        .where(and(eq(incidentTimeline.incidentId, incidentId), inArray(incidentTimeline.kind, kinds)))
        .limit(1);
      return row !== undefined;
    },

    async findGroupingRule(executor: Executor, teamId: string) {
      const [row] = await executor
        .select()
        .from(incidentGroupingRules)
        .where(eq(incidentGroupingRules.teamId, teamId))
        .limit(1);
      return row;
    },

    async upsertGroupingRule(executor: Executor, teamId: string, groupBy: string[], windowMinutes: number, at: Date) {
      const [row] = await executor
        .insert(incidentGroupingRules)
        .values({ teamId, groupBy, windowMinutes, updatedAt: at })
        .onConflictDoUpdate({ target: incidentGroupingRules.teamId, set: { groupBy, windowMinutes, updatedAt: at } })
        .returning();
      if (row === undefined) throw new Error('grouping rule upsert returned no row');
      return row;
    },

    async deleteGroupingRule(executor: Executor, teamId: string): Promise<boolean> {
      const rows = await executor
        .delete(incidentGroupingRules)
        .where(eq(incidentGroupingRules.teamId, teamId))
        .returning({ teamId: incidentGroupingRules.teamId });
      return rows.length > 0;
    },

    /** The one-click links of one message: all its tokens in one statement. */
    async insertActionTokens(
      executor: Executor,
      tokens: Array<{
        id: string;
        incidentId: string;
        userId: string;
        action: IncidentAction;
        expiresAt: Date;
        createdAt: Date;
      }>,
    ): Promise<void> {
      if (tokens.length === 0) return;
      await executor.insert(incidentActionTokens).values(tokens);
    },

    /** Marks the token used if it is still usable; otherwise returns what it is (for the message). */
    async findActionToken(executor: Executor, id: string) {
      const [row] = await executor.select().from(incidentActionTokens).where(eq(incidentActionTokens.id, id)).limit(1);
      return row;
    },

    async consumeActionToken(executor: Executor, id: string, at: Date) {
      const [used] = await executor
        .update(incidentActionTokens)
        .set({ usedAt: at })
        .where(
          and(
            eq(incidentActionTokens.id, id),
            sql`${incidentActionTokens.usedAt} IS NULL`,
            eq(incidentActionTokens.revoked, false),
            gte(incidentActionTokens.expiresAt, at),
          ),
        )
        .returning();
      if (used !== undefined) return { ok: true as const, token: used };
      const [existing] = await executor
        .select()
        .from(incidentActionTokens)
        .where(eq(incidentActionTokens.id, id))
        .limit(1);
      return { ok: false as const, token: existing };
    },
  };
}

export type IncidentsRepository = ReturnType<typeof createIncidentsRepository>;
