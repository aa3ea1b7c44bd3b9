import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import {
  alertOccurrences,
  incidentAlerts,
  incidents,
  incidentTimeline,
  notificationAttempts,
  notifications,
  webhookDeliveries,
} from '../../db/schema/index.js';

/** Bounds a trace: an alert that flapped all year still answers quickly. */
const MAX_ROWS = 500;

/** Reads what other modules recorded about an alert and its incidents, for the trace. */
export function createTraceRepository() {
  return {
    async occurrences(executor: Executor, alertId: string) {
      return executor
        .select({
          id: alertOccurrences.id,
          kind: alertOccurrences.kind,
          occurredAt: alertOccurrences.occurredAt,
          userId: alertOccurrences.userId,
          deliveryId: alertOccurrences.deliveryId,
          receivedAt: webhookDeliveries.receivedAt,
        })
        .from(alertOccurrences)
        .leftJoin(webhookDeliveries, eq(webhookDeliveries.id, alertOccurrences.deliveryId))
        .where(eq(alertOccurrences.alertId, alertId))
        .orderBy(asc(alertOccurrences.id))
        .limit(MAX_ROWS);
    },

    async incidentsOf(executor: Executor, alertId: string) {
      return executor
        .select({
          id: incidents.id,
          teamId: incidents.teamId,
          escalationPolicyId: incidents.escalationPolicyId,
          addedAt: incidentAlerts.addedAt,
        })
        .from(incidentAlerts)
        .innerJoin(incidents, eq(incidents.id, incidentAlerts.incidentId))
        .where(eq(incidentAlerts.alertId, alertId));
    },

    async timelines(executor: Executor, incidentIds: string[]) {
      if (incidentIds.length === 0) return [];
      return executor
        .select()
        .from(incidentTimeline)
        .where(inArray(incidentTimeline.incidentId, incidentIds))
        .orderBy(asc(incidentTimeline.id))
        .limit(MAX_ROWS);
    },

    async notificationAttempts(executor: Executor, incidentIds: string[]) {
      if (incidentIds.length === 0) return [];
      return executor
        .select({
          notificationId: notifications.id,
          incidentId: notifications.incidentId,
          userId: notifications.userId,
          contactMethodId: notifications.contactMethodId,
          teamId: notifications.teamId,
          contactMethodType: notifications.contactMethodType,
          level: notifications.level,
          status: notifications.status,
          scheduledAt: notifications.scheduledAt,
          attempt: notificationAttempts.attempt,
          outcome: notificationAttempts.outcome,
          detail: notificationAttempts.detail,
          attemptedAt: notificationAttempts.createdAt,
        })
        .from(notifications)
        .leftJoin(notificationAttempts, and(eq(notificationAttempts.notificationId, notifications.id)))
        .where(inArray(notifications.incidentId, incidentIds))
        .orderBy(asc(notifications.id), asc(notificationAttempts.attempt))
        .limit(MAX_ROWS);
    },
  };
}

export type TraceRepository = ReturnType<typeof createTraceRepository>;
