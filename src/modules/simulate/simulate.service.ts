import { ZodError } from 'zod';
import type { AlertSeverity } from '../../core/alerts.js';
import type { AlertSuppression } from '../../core/noise-control.js';
import type { Database } from '../../db/client.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { type AlertRouter, routingDecision } from '../alerts/alert-ingest.service.js';
import type { AlertsRepository } from '../alerts/alerts.repository.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { getSourceNormalizer } from '../alerts/sources/index.js';
import type { EscalationPoliciesRepository } from '../escalation-policies/escalation-policies.repository.js';
import type { OnCallResolver } from '../incidents/on-call-resolver.js';
import type { IntegrationsRepository } from '../integrations/integrations.repository.js';
import { notificationPlan } from '../notifications/notification-planner.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import { decideSuppression, type ScreenedAlert } from '../silences/suppression.js';
import { describeSuppression, type SuppressionService } from '../silences/suppression.service.js';
import type { TraceEntry } from '../trace/trace.service.js';
import { pagingDecision } from '../urgency/support-hours.js';
import type { UrgencyRepository } from '../urgency/urgency.repository.js';

export interface SimulateInput {
  integrationId?: string | undefined;
  integration?: string | undefined;
  payload: unknown;
  at?: Date | undefined;
}

export interface SimulatedLevel {
  teamId: string;
  policyId: string;
  level: number;
  at: Date;
  userIds: string[];
  emptyScheduleIds: string[];
  notifications: Array<{ userId: string; contactMethodId: string; contactMethodType: string; delayMinutes: number }>;
  unreachableUserIds: string[];
}

export interface SimulatedAlert {
  dedupKey: string;
  title: string;
  status: NormalizedAlert['status'];
  action: 'created' | 'deduplicated' | 'resolved' | 'ignored';
  teamIds: string[];
  suppressedBy: AlertSuppression | null;
  entries: TraceEntry[];
  levels: SimulatedLevel[];
}

/** The id a simulated alert stands under: it is never stored, and no stored alert has it. */
const SIMULATED_ALERT_ID = '00000000-0000-0000-0000-000000000000';

/**
 * Predicts what ingesting a payload would do, storing and sending nothing. It calls the same
 * router, suppression decision and notification plan as ingestion and paging, so the two
 * cannot drift apart (test/simulate.property.test.ts holds them equal).
 */
export function createSimulateService(deps: {
  db: Database;
  integrationsRepository: Pick<IntegrationsRepository, 'findById' | 'findByName'>;
  alertsRepository: Pick<AlertsRepository, 'findOpenByDedupKey'>;
  route: AlertRouter;
  suppression: Pick<SuppressionService, 'config' | 'sourcesFor'>;
  policiesRepository: Pick<EscalationPoliciesRepository, 'findDefault' | 'existingUserIds'>;
  notificationsRepository: Pick<NotificationsRepository, 'listContactMethodsAndRules'>;
  /** The team's urgency map and support hours, decided as paging decides them. */
  urgency: Pick<UrgencyRepository, 'settingsOf'>;
  resolver: OnCallResolver;
  now?: () => Date;
}) {
  const { db } = deps;
  const now = deps.now ?? (() => new Date());

  async function integrationOf(input: SimulateInput): Promise<IntegrationRow> {
    const found =
      input.integrationId !== undefined
        ? await deps.integrationsRepository.findById(db, input.integrationId)
        : await deps.integrationsRepository.findByName(db, input.integration ?? '');
    if (found === undefined) {
      throw new AppError('integration-not-found', `No integration ${input.integrationId ?? input.integration}`);
    }
    return found;
  }

  function normalize(integration: IntegrationRow, payload: unknown): NormalizedAlert[] {
    try {
      return getSourceNormalizer(integration.type).normalize(payload);
    } catch (error) {
      if (!(error instanceof ZodError)) throw error;
      throw new AppError('invalid-payload', `The payload is not a valid ${integration.type} payload`, {
        errors: error.issues.slice(0, 20).map((issue) => ({
          path: ['payload', ...issue.path.map(String)].join('.'),
          message: issue.message,
        })),
      });
    }
  }

  async function levelsOf(
    teamId: string,
    severity: AlertSeverity,
    at: Date,
    entries: TraceEntry[],
  ): Promise<SimulatedLevel[]> {
    const policy = await deps.policiesRepository.findDefault(db, teamId);
    if (policy === undefined) {
      entries.push({
        at,
        kind: 'no_escalation_policy',
        message: 'The team has no default escalation policy: nobody would be paged',
        refs: { teamId },
      });
      return [];
    }
    const decision = pagingDecision(await deps.urgency.settingsOf(db, teamId), severity, at);
    if (decision.action !== 'page') {
      entries.push({
        at,
        kind: decision.action === 'defer' ? 'paging_deferred' : 'not_paged_outside_support_hours',
        message: decision.message,
        refs: { teamId },
      });
      if (decision.action === 'never') return [];
    }
    const { urgency } = decision;
    const levels: SimulatedLevel[] = [];
    let levelAt = (decision.action === 'defer' ? decision.until : at).getTime();
    for (const [index, level] of policy.levels.entries()) {
      const when = new Date(levelAt);
      const userIds: string[] = [];
      const emptyScheduleIds: string[] = [];
      for (const target of level.targets) {
        if (target.type === 'user') {
          userIds.push(target.id);
          continue;
        }
        const onCall = await deps.resolver.whoIsOnCall(target.id, when);
        if (onCall.length === 0) emptyScheduleIds.push(target.id);
        userIds.push(...onCall);
      }
      const existing = await deps.policiesRepository.existingUserIds(db, [...new Set(userIds)]);
      const targets = [...new Set(userIds)].filter((id) => existing.has(id));
      // The same read the escalation step plans from, so the simulation sees what a page would.
      const { methods, rules } = await deps.notificationsRepository.listContactMethodsAndRules(db, targets);
      const { plan, unreachable } = notificationPlan(methods, rules, targets, urgency);
      const simulated: SimulatedLevel = {
        teamId,
        policyId: policy.id,
        level: index,
        at: when,
        userIds: targets,
        emptyScheduleIds,
        notifications: plan.map(({ userId, method, delay }) => ({
          userId,
          contactMethodId: method.id,
          contactMethodType: method.type,
          delayMinutes: delay,
        })),
        unreachableUserIds: unreachable,
      };
      levels.push(simulated);
      entries.push({
        at: when,
        kind: targets.length === 0 ? 'nobody_on_call' : 'escalated',
        message:
          targets.length === 0
            ? `Nobody to notify at level ${index + 1}`
            : `Level ${index + 1} would notify ${targets.length} person(s)`,
        refs: { teamId, policyId: policy.id, userIds: targets, scheduleIds: emptyScheduleIds },
      });
      for (const notification of simulated.notifications) {
        entries.push({
          at: new Date(when.getTime() + notification.delayMinutes * 60_000),
          kind: 'notification_planned',
          message: `${notification.contactMethodType} notification at level ${index + 1}`,
          refs: { userId: notification.userId, contactMethodId: notification.contactMethodId, policyId: policy.id },
        });
      }
      levelAt += level.delayMinutes * 60_000;
    }
    return levels;
  }

  async function simulateOne(integration: IntegrationRow, alert: NormalizedAlert, at: Date): Promise<SimulatedAlert> {
    const entries: TraceEntry[] = [
      {
        at,
        kind: 'delivery_verified',
        message: 'Simulated delivery (no signature checked), payload normalized',
        refs: { integrationId: integration.id },
      },
    ];
    const base = { dedupKey: alert.dedupKey, title: alert.title, status: alert.status, levels: [] };
    const open = await deps.alertsRepository.findOpenByDedupKey(db, integration.id, alert.dedupKey);
    const refs: Record<string, string> = open === undefined ? {} : { alertId: open.id };
    if (alert.status !== 'firing') {
      const action = open === undefined ? 'ignored' : alert.status === 'resolved' ? 'resolved' : 'deduplicated';
      entries.push({ at, kind: `alert_${action}`, message: `The ${alert.status} event would be ${action}`, refs });
      return { ...base, action, teamIds: open?.teamIds ?? [], suppressedBy: null, entries };
    }
    const windowStart = at.getTime() - integration.deduplicationWindowMinutes * 60_000;
    if (open !== undefined && open.lastSeenAt.getTime() >= windowStart) {
      entries.push({
        at,
        kind: 'alert_deduplicated',
        message: 'Would be deduplicated into the open alert: no new routing, suppression or paging',
        refs,
      });
      return { ...base, action: 'deduplicated', teamIds: open.teamIds, suppressedBy: open.suppressedBy, entries };
    }
    entries.push({ at, kind: 'alert_created', message: 'Would be a new alert', refs: {} });
    const routed = await deps.route(integration, alert, db, {});
    const routing = routingDecision(SIMULATED_ALERT_ID, routed, at);
    entries.push({ at, kind: routing.kind, message: routing.message, refs: routing.refs ?? {} });
    if (routed.teamIds.length === 0) return { ...base, action: 'created', teamIds: [], suppressedBy: null, entries };

    const screened: ScreenedAlert = {
      id: SIMULATED_ALERT_ID,
      integrationId: integration.id,
      integrationName: integration.name,
      severity: alert.severity,
      source: alert.source,
      labels: alert.labels,
      teamIds: routed.teamIds,
    };
    const noise = await deps.suppression.config(db, at);
    const suppressedBy = decideSuppression(screened, noise, at, await deps.suppression.sourcesFor(db, screened, noise));
    if (suppressedBy !== null) {
      const described = describeSuppression(suppressedBy);
      entries.push({ at, kind: described.kind, message: described.message, refs: described.refs ?? {} });
      return { ...base, action: 'created', teamIds: routed.teamIds, suppressedBy, entries };
    }
    entries.push({
      at,
      kind: 'not_suppressed',
      message: 'No maintenance window, silence or inhibition applies',
      refs: {},
    });
    const levels: SimulatedLevel[] = [];
    for (const teamId of routed.teamIds) {
      entries.push({
        at,
        kind: 'incident_opened',
        message: "Would open an incident of the team (or join its open incident under the team's grouping rule)",
        refs: { teamId },
      });
      levels.push(...(await levelsOf(teamId, alert.severity, at, entries)));
    }
    const ordered = entries.map((entry, index) => ({ entry, index }));
    ordered.sort((a, b) => a.entry.at.getTime() - b.entry.at.getTime() || a.index - b.index);
    return {
      ...base,
      action: 'created',
      teamIds: routed.teamIds,
      suppressedBy: null,
      entries: ordered.map(({ entry }) => entry),
      levels,
    };
  }

  return {
    async simulate(input: SimulateInput) {
      const integration = await integrationOf(input);
      const at = input.at ?? now();
      const alerts = [];
      for (const alert of normalize(integration, input.payload)) alerts.push(await simulateOne(integration, alert, at));
      return { at, integration, alerts };
    },
  };
}

export type SimulateService = ReturnType<typeof createSimulateService>;
