import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import type { AlertRow } from '../../db/schema/index.js';
import { listAlertDecisions } from './alert-decisions.repository.js';
import type { TraceRepository } from './trace.repository.js';

export interface TraceEntry {
  at: Date;
  kind: string;
  message: string;
  refs: Record<string, string | string[]>;
}

/** Timeline kinds the trace reports from an incident (notifications come from the attempts log). */
const INCIDENT_KINDS: Record<string, string> = {
  escalated: 'escalated',
  nobody_on_call: 'nobody_on_call',
  no_contact_method: 'no_contact_method',
  escalation_exhausted: 'escalation_exhausted',
  no_escalation_policy: 'no_escalation_policy',
  paging_deferred: 'paging_deferred',
  not_paged_outside_support_hours: 'not_paged_outside_support_hours',
  acknowledged: 'incident_acknowledged',
  acknowledgement_timeout: 'acknowledgement_timeout',
  resolved: 'incident_resolved',
  reassigned: 'incident_reassigned',
};

const stringsOf = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/**
 * "Why was (or wasn't) anyone paged?": every decision about one alert, in order. Decisions
 * recorded where they were made (alert_decisions) are merged with what the alert's history,
 * its deliveries, its incidents' timelines and the notification log already hold.
 */
export function createTraceService(deps: {
  db: Database;
  repository: TraceRepository;
  /** The alert, if the viewer may see it (throws alert-not-found otherwise). */
  visibleAlert: (viewer: Principal, id: string) => Promise<AlertRow>;
}) {
  const { db, repository } = deps;

  return {
    async trace(viewer: Principal, alertId: string): Promise<{ alert: AlertRow; entries: TraceEntry[] }> {
      const alert = await deps.visibleAlert(viewer, alertId);
      const [occurrences, decisions, linked] = await Promise.all([
        repository.occurrences(db, alertId),
        listAlertDecisions(db, alertId),
        repository.incidentsOf(db, alertId),
      ]);
      const incidentIds = linked.map((incident) => incident.id);
      const [timeline, attempts] = await Promise.all([
        repository.timelines(db, incidentIds),
        repository.notificationAttempts(db, incidentIds),
      ]);
      const entries: TraceEntry[] = [];
      const integrationRef = { integrationId: alert.integrationId };

      for (const occurrence of occurrences) {
        const deliveryRefs: Record<string, string> =
          occurrence.deliveryId === null ? {} : { deliveryId: occurrence.deliveryId };
        if (occurrence.deliveryId !== null && (occurrence.kind === 'created' || occurrence.kind === 'deduplicated')) {
          entries.push({
            at: occurrence.receivedAt ?? occurrence.occurredAt,
            kind: 'delivery_verified',
            message: 'Delivery received, its signature verified and its payload normalized',
            refs: { ...integrationRef, ...deliveryRefs },
          });
        }
        const byPerson: Record<string, string> = occurrence.userId === null ? {} : { userId: occurrence.userId };
        const messages: Record<string, string> = {
          created: `New alert: no open alert with dedup key "${alert.dedupKey}" within the deduplication window`,
          deduplicated: 'Deduplicated into the open alert with the same dedup key',
          acknowledged: occurrence.userId === null ? 'Acknowledged by the sender' : 'Acknowledged by a person',
          resolved: occurrence.userId === null ? 'Resolved by the sender' : 'Resolved by a person',
          ignored: 'Ignored',
        };
        entries.push({
          at: occurrence.occurredAt,
          kind: occurrence.kind === 'created' ? 'alert_created' : `alert_${occurrence.kind}`,
          message: messages[occurrence.kind] ?? occurrence.kind,
          refs: { ...deliveryRefs, ...byPerson },
        });
      }

      const routedRecorded = decisions.some((decision) => decision.kind === 'routed' || decision.kind === 'unrouted');
      if (!routedRecorded && alert.teamIds.length === 0) {
        // Unrouted alerts take the ingest's one-statement path, which records no decision row.
        entries.push({
          at: alert.firstSeenAt,
          kind: 'unrouted',
          message: 'No routing rule matched and no default team: no incident',
          refs: {},
        });
      }
      for (const decision of decisions) {
        entries.push({ at: decision.at, kind: decision.kind, message: decision.message, refs: decision.refs });
      }

      const policyOf = new Map(linked.map((incident) => [incident.id, incident.escalationPolicyId]));
      const joinedAt = new Map(linked.map((incident) => [incident.id, incident.addedAt.getTime()]));
      for (const row of timeline) {
        const refs: Record<string, string | string[]> = { incidentId: row.incidentId };
        if (row.kind === 'opened' || row.kind === 'alert_joined') {
          if (row.metadata.alertId !== alertId) continue;
          entries.push({
            at: row.createdAt,
            kind: row.kind === 'opened' ? 'incident_opened' : 'incident_joined',
            message: row.message,
            refs,
          });
          continue;
        }
        const kind = INCIDENT_KINDS[row.kind];
        // What happened to an incident before this alert joined it is not about this alert.
        if (kind === undefined || row.createdAt.getTime() < (joinedAt.get(row.incidentId) ?? 0)) continue;
        const policyId = policyOf.get(row.incidentId);
        if (policyId != null && row.kind === 'escalated') refs.policyId = policyId;
        const userIds = stringsOf(row.metadata.userIds);
        if (userIds.length > 0) refs.userIds = userIds;
        const scheduleIds = stringsOf(row.metadata.scheduleIds);
        if (scheduleIds.length > 0) refs.scheduleIds = scheduleIds;
        if (row.userId !== null) refs.userId = row.userId;
        entries.push({ at: row.createdAt, kind, message: row.message, refs });
      }

      for (const attempt of attempts) {
        // A person's notification names them and their method; a team channel post, the team.
        const refs: Record<string, string> = { incidentId: attempt.incidentId, notificationId: attempt.notificationId };
        if (attempt.userId !== null) refs.userId = attempt.userId;
        if (attempt.contactMethodId !== null) refs.contactMethodId = attempt.contactMethodId;
        if (attempt.teamId !== null) refs.teamId = attempt.teamId;
        if (attempt.attempt === null || attempt.attemptedAt === null) {
          entries.push({
            at: attempt.scheduledAt,
            kind: 'notification_planned',
            message: `${attempt.contactMethodType} notification at level ${attempt.level + 1}: ${attempt.status}`,
            refs,
          });
          continue;
        }
        entries.push({
          at: attempt.attemptedAt,
          kind: 'notification_attempt',
          message: `${attempt.contactMethodType} notification at level ${attempt.level + 1}, attempt ${attempt.attempt}: ${attempt.outcome}${attempt.detail ? ` (${attempt.detail})` : ''}`,
          refs,
        });
      }

      // Stable: entries at the same instant keep the order of the path (delivery, decisions, incident).
      const ordered = entries.map((entry, index) => ({ entry, index }));
      ordered.sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index);
      return { alert, entries: ordered.map(({ entry }) => entry) };
    },
  };
}

export type TraceService = ReturnType<typeof createTraceService>;
