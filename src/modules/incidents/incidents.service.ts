import { ALERT_SEVERITIES, type AlertSeverity, type OccurrenceKind } from '../../core/alerts.js';
import type { IncidentStatus } from '../../core/incidents.js';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { IncidentRow, NotificationRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { AlertsRepository } from '../alerts/alerts.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { EscalationPoliciesRepository } from '../escalation-policies/escalation-policies.repository.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import { planNotifications } from '../notifications/plan-notifications.js';
import type { SuppressionService } from '../silences/suppression.service.js';
import { DEFAULT_URGENCY_SETTINGS, pagingDecision } from '../urgency/support-hours.js';
import type { UrgencyRepository } from '../urgency/urgency.repository.js';
import { verifyActionToken } from './action-tokens.js';
import { groupKeyOf } from './grouping.js';
import type { IncidentsRepository, OpeningEntry } from './incidents.repository.js';
import { timelineFor } from './timeline-privacy.js';

/** What happened to an alert, as the incidents see it. */
export interface AlertChange {
  alertId: string;
  change: 'created' | 'acknowledged' | 'resolved';
}

/** Runs after the transaction that changed incidents commits. */
export type AfterCommit = () => Promise<void>;

export interface EscalationStep {
  incidentId: string;
  level: number;
  repetition: number;
}

/** The acknowledgement timeout of one acknowledgement: the incident and the round escalation had started at. */
export interface AckTimeout {
  incidentId: string;
  firstRound: number;
}

export const ackTimeoutOf = (incident: IncidentRow): AckTimeout => ({
  incidentId: incident.id,
  firstRound: incident.escalationFirstRound,
});

/**
 * The escalation engine as the incidents see it. Both calls come after commit and only speed
 * things up: the durable state is in the incidents and notifications tables, which the engine
 * reconciles periodically, so a crash between commit and these calls loses nothing.
 */
/** What scheduling an incident's next step reads of it. */
export type ScheduledStep = Pick<
  IncidentRow,
  'id' | 'status' | 'escalationLevel' | 'escalationRepetition' | 'nextEscalationAt'
>;

/** What scheduling a notification's send reads of it. */
export type ScheduledSend = Pick<NotificationRow, 'id' | 'scheduledAt'>;

export interface EscalationScheduler {
  /** All of these are due (steps, notifications, acknowledgement timeouts): their jobs in one go. */
  due(due: { steps?: ScheduledStep[]; notifications?: ScheduledSend[]; ackTimeouts?: IncidentRow[] }): Promise<void>;
  /** The incidents' next steps are due at `nextEscalationAt`: make sure a job will run them. */
  stepsDue(incidents: ScheduledStep[]): Promise<void>;
  /** These notifications are due at their `scheduledAt`: make sure a job will send them. */
  notificationsDue(notifications: ScheduledSend[]): Promise<void>;
  /** These steps and notifications will not run any more (ack/resolve): drop their jobs. */
  stepsCancelled(steps: EscalationStep[], notificationIds: string[]): Promise<void>;
  /** These acknowledgements run out at their `ackTimeoutAt`: make sure a job will re-trigger them. */
  ackTimeoutsDue(incidents: IncidentRow[]): Promise<void>;
  /** These acknowledgement timeouts will not run any more (resolved): drop their jobs. */
  ackTimeoutsCancelled(timeouts: AckTimeout[]): Promise<void>;
}

export interface IncidentQuery {
  status?: IncidentStatus | undefined;
  teamId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

const TIMELINE_LIMIT = 500;
const severityRank = (severity: AlertSeverity) => ALERT_SEVERITIES.indexOf(severity);

export function createIncidentsService(deps: {
  db: Database;
  repository: IncidentsRepository;
  alertsRepository: Pick<AlertsRepository, 'findById' | 'insertOccurrences'>;
  policiesRepository: Pick<EscalationPoliciesRepository, 'findDefault' | 'findById'>;
  notificationsRepository: Pick<
    NotificationsRepository,
    'cancelPending' | 'listContactMethodsAndRules' | 'insertNotifications'
  >;
  authz: Authz;
  auditService: Pick<AuditService, 'record'>;
  scheduler: () => EscalationScheduler;
  actionTokenKey: Buffer;
  log?: (error: unknown, message: string) => void;
  now?: () => Date;
  /** Length of a "minute" of notification rule delays; tests shorten it. */
  minuteMs?: number;
  /** Silences, maintenance windows and inhibitions: a new alert they hold back opens no incident. */
  suppression?: Pick<SuppressionService, 'screen'>;
  /**
   * Told after commit which incidents changed status, whatever changed them (console, API, alert,
   * one-click link, SMS reply, chat button), so chat messages about them are rewritten in place.
   * Not awaited: a slow chat never holds up the change.
   */
  incidentsChanged?: (incidentIds: string[]) => Promise<void>;
  /** The team's urgency map and support hours: a low-urgency incident may wait for them. */
  urgency?: Pick<UrgencyRepository, 'settingsOf'>;
}) {
  const { db, repository, alertsRepository, policiesRepository, notificationsRepository, authz, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const minuteMs = deps.minuteMs ?? 60_000;
  const notFound = (id: string) => new AppError('incident-not-found', `No incident with id ${id}`);
  const teamNotFound = (teamId: string) => new AppError('team-not-found', `No team with id ${teamId}`);

  /** Effects collected inside a transaction, run once it has committed. */
  class Effects {
    due: ScheduledStep[] = [];
    notifications: NotificationRow[] = [];
    cancelledSteps: EscalationStep[] = [];
    cancelledNotifications: string[] = [];
    ackTimeouts: IncidentRow[] = [];
    cancelledAckTimeouts: AckTimeout[] = [];
    changed = new Set<string>();
    /**
     * A team's grouping rule, default policy and urgency settings, read once per transaction
     * (an ingest batch opens many incidents for few teams: three statements fewer per incident).
     */
    private readonly perTeam = new Map<string, Promise<unknown>>();
    once<T>(what: string, teamId: string, read: () => Promise<T>): Promise<T> {
      const key = `${what} ${teamId}`;
      let found = this.perTeam.get(key) as Promise<T> | undefined;
      if (found === undefined) {
        found = read();
        this.perTeam.set(key, found);
      }
      return found;
    }
    run: AfterCommit = async () => {
      if (this.changed.size > 0 && deps.incidentsChanged !== undefined) {
        deps.incidentsChanged([...this.changed]).catch((error: unknown) => log(error, 'incident change hook failed'));
      }
      const scheduler = deps.scheduler();
      try {
        if (this.cancelledSteps.length > 0 || this.cancelledNotifications.length > 0) {
          await scheduler.stepsCancelled(this.cancelledSteps, this.cancelledNotifications);
        }
        if (this.cancelledAckTimeouts.length > 0) await scheduler.ackTimeoutsCancelled(this.cancelledAckTimeouts);
        if (this.due.length > 0 || this.notifications.length > 0 || this.ackTimeouts.length > 0) {
          await scheduler.due({ steps: this.due, notifications: this.notifications, ackTimeouts: this.ackTimeouts });
        }
      } catch (error) {
        // Committed already; the engine's reconciliation catches up with what was not scheduled.
        log(error, 'escalation scheduling after commit failed');
      }
    };
  }

  const urgencySettings = (tx: Transaction, teamId: string, fx: Effects) =>
    fx.once('urgency', teamId, async () => (await deps.urgency?.settingsOf(tx, teamId)) ?? DEFAULT_URGENCY_SETTINGS);

  async function open(
    tx: Transaction,
    teamId: string,
    alert: AlertSnapshot,
    groupKey: string | null,
    at: Date,
    fx: Effects,
  ) {
    const policy = await fx.once('policy', teamId, () => policiesRepository.findDefault(tx, teamId));
    const settings = await urgencySettings(tx, teamId, fx);
    const decision = pagingDecision(settings, alert.severity, at);
    const escalates = policy !== undefined && decision.action !== 'never';
    const incident = {
      id: uuidv7(),
      teamId,
      title: alert.title,
      severity: alert.severity,
      urgency: decision.urgency,
      status: 'triggered' as const,
      groupKey,
      escalationPolicyId: policy?.id ?? null,
      escalationLevel: escalates ? 0 : null,
      escalationRepetition: 0,
      // Deferred paging is the first step's job scheduled for the start of support hours: pg-boss
      // keeps it across restarts and processes, and reconciliation re-enqueues it from this column.
      nextEscalationAt: escalates ? (decision.action === 'defer' ? decision.until : at) : null,
      createdAt: at,
    };
    const entries: OpeningEntry[] = [
      {
        kind: 'opened',
        message: `Opened by alert "${alert.title}" (${alert.severity}, ${decision.urgency} urgency)`,
        metadata: { alertId: alert.id, groupKey },
      },
    ];
    if (policy === undefined) {
      entries.push({
        kind: 'no_escalation_policy',
        message: 'The team has no default escalation policy: nobody is paged',
      });
    } else if (decision.action === 'never') {
      entries.push({ kind: 'not_paged_outside_support_hours', message: decision.message });
    } else {
      if (decision.action === 'defer') {
        entries.push({
          kind: 'paging_deferred',
          message: decision.message,
          metadata: { until: decision.until.toISOString() },
        });
      }
      fx.due.push(incident);
    }
    // The incident, its alert link and its timeline in one statement.
    await repository.insertOpened(tx, incident, alert.id, entries);
  }

  /**
   * A more severe alert joined a low-urgency incident that is not being paged (it waits for
   * support hours, or the team never pages low urgency outside them). When the new severity maps
   * to high urgency the incident becomes high urgency and paging starts at once: a critical alert
   * must not wait for Monday because it was grouped with a warning. A deferred first step is
   * replaced by one in a new round (new job id), so the old job at the start of support hours is
   * stale. An incident whose escalation already ran (or ran out) is left alone.
   */
  async function pageNowIfUrgent(
    tx: Transaction,
    existing: IncidentRow,
    severity: AlertSeverity,
    at: Date,
    fx: Effects,
  ): Promise<boolean> {
    if (existing.status !== 'triggered' || existing.urgency !== 'low' || existing.escalationPolicyId === null) {
      return false;
    }
    const settings = await urgencySettings(tx, existing.teamId, fx);
    if (pagingDecision(settings, severity, at).urgency !== 'high') return false;
    const deferred =
      existing.escalationLevel === 0 &&
      existing.escalationRepetition === existing.escalationFirstRound &&
      existing.nextEscalationAt !== null &&
      existing.nextEscalationAt.getTime() > at.getTime();
    const neverPaged =
      existing.escalationLevel === null &&
      !(await repository.hasTimelineEntry(tx, existing.id, [
        'escalated',
        'escalation_exhausted',
        'no_escalation_policy',
      ]));
    if (!deferred && !neverPaged) return false;
    const round = deferred ? existing.escalationRepetition + 1 : existing.escalationRepetition;
    if (deferred)
      fx.cancelledSteps.push({ incidentId: existing.id, level: 0, repetition: existing.escalationRepetition });
    const updated = await repository.update(tx, existing.id, {
      urgency: 'high',
      escalationLevel: 0,
      escalationRepetition: round,
      escalationFirstRound: round,
      nextEscalationAt: at,
    });
    fx.due.push(updated);
    fx.changed.add(existing.id);
    return true;
  }

  async function alertCreated(tx: Transaction, alertId: string, at: Date, fx: Effects) {
    const alert = await alertsRepository.findById(tx, alertId);
    if (alert === undefined || alert.status !== 'firing') return;
    if (alert.teamIds.length > 0 && (await deps.suppression?.screen(tx, alert, at))) return;
    for (const teamId of alert.teamIds) {
      const rule = await fx.once('grouping', teamId, () => repository.findGroupingRule(tx, teamId));
      if (rule === undefined) {
        await open(tx, teamId, alert, null, at, fx);
        continue;
      }
      const groupKey = groupKeyOf(rule.groupBy, alert.labels);
      await repository.lockGroup(tx, teamId, groupKey);
      const since = new Date(at.getTime() - rule.windowMinutes * 60_000);
      const existing = await repository.findOpenGroup(tx, teamId, groupKey, since);
      if (existing === undefined) {
        await open(tx, teamId, alert, groupKey, at, fx);
        continue;
      }
      if (!(await repository.linkAlert(tx, existing.id, alert.id, teamId, at))) continue;
      const severity =
        severityRank(alert.severity) < severityRank(existing.severity) ? alert.severity : existing.severity;
      await repository.update(tx, existing.id, { alertCount: existing.alertCount + 1, lastAlertAt: at, severity });
      if (await pageNowIfUrgent(tx, existing, severity, at, fx)) {
        await repository.insertTimeline(tx, [
          {
            incidentId: existing.id,
            kind: 'alert_joined',
            message: `Alert "${alert.title}" (${alert.severity}) joined: high urgency now, paging starts`,
            metadata: { alertId: alert.id, urgencyRaised: true },
            createdAt: at,
          },
        ]);
        continue;
      }
      // As in PagerDuty, a new alert grouped into an acknowledged incident does not trigger it
      // again: whoever acknowledged is on it. The alert takes the incident's state.
      const acknowledged = existing.status === 'acknowledged';
      if (acknowledged) {
        const moved = await repository.transitionAlerts(tx, existing.id, 'acknowledged', existing.acknowledgedBy, at);
        await recordAlertOccurrences(tx, moved, 'acknowledged', existing.acknowledgedBy, at);
      }
      await repository.insertTimeline(tx, [
        {
          incidentId: existing.id,
          kind: 'alert_joined',
          message: `Alert "${alert.title}" (${alert.severity}) joined${acknowledged ? '; the incident stays acknowledged' : ''}`,
          metadata: { alertId: alert.id },
          createdAt: at,
        },
      ]);
    }
  }

  /** Stops escalation: the cursor is cleared, pending notifications cancelled, their jobs dropped after commit. */
  async function stopEscalation(tx: Transaction, incident: IncidentRow, at: Date, fx: Effects) {
    if (incident.escalationLevel !== null) {
      fx.cancelledSteps.push({
        incidentId: incident.id,
        level: incident.escalationLevel,
        repetition: incident.escalationRepetition,
      });
    }
    fx.cancelledNotifications.push(...(await notificationsRepository.cancelPending(tx, incident.id, at)));
    if (incident.ackTimeoutAt !== null) fx.cancelledAckTimeouts.push(ackTimeoutOf(incident));
  }

  /** When an acknowledgement made now runs out under the incident's policy; null: never. */
  async function ackTimeoutFrom(tx: Transaction, incident: IncidentRow, at: Date): Promise<Date | null> {
    if (incident.escalationPolicyId === null) return null;
    const minutes = (await policiesRepository.findById(tx, incident.escalationPolicyId))?.ackTimeoutMinutes ?? null;
    return minutes === null ? null : new Date(at.getTime() + minutes * minuteMs);
  }

  async function recordAlertOccurrences(
    tx: Transaction,
    alertIds: string[],
    kind: OccurrenceKind,
    userId: string | null,
    at: Date,
  ) {
    await alertsRepository.insertOccurrences(
      tx,
      alertIds.map((alertId) => ({ alertId, deliveryId: null, userId, kind, occurredAt: at })),
    );
  }

  /**
   * Moves a locked incident to acknowledged or resolved: stops its escalation, carries the
   * change to its alerts and records it on the timeline. Acknowledging only applies to a
   * triggered incident; resolving applies to any open one.
   */
  async function transitionLocked(
    tx: Transaction,
    incident: IncidentRow,
    target: 'acknowledged' | 'resolved',
    userId: string | null,
    how: string,
    at: Date,
    fx: Effects,
  ): Promise<IncidentRow> {
    const applies = target === 'acknowledged' ? incident.status === 'triggered' : incident.status !== 'resolved';
    if (!applies) return incident;
    await stopEscalation(tx, incident, at, fx);
    const ackTimeoutAt = target === 'acknowledged' ? await ackTimeoutFrom(tx, incident, at) : null;
    const updated = await repository.update(tx, incident.id, {
      ...(target === 'acknowledged'
        ? { status: 'acknowledged' as const, acknowledgedAt: at, acknowledgedBy: userId }
        : { status: 'resolved' as const, resolvedAt: at, resolvedBy: userId }),
      escalationLevel: null,
      nextEscalationAt: null,
      ackTimeoutAt,
    });
    if (ackTimeoutAt !== null) fx.ackTimeouts.push(updated);
    fx.changed.add(incident.id);
    const moved = await repository.transitionAlerts(tx, incident.id, target, userId, at);
    await recordAlertOccurrences(tx, moved, target, userId, at);
    const verb = target === 'acknowledged' ? 'Acknowledged' : 'Resolved';
    const by = userId === null ? undefined : await repository.displayNameOf(tx, userId);
    await repository.insertTimeline(tx, [
      {
        incidentId: incident.id,
        kind: target,
        userId,
        message: by === undefined ? `${verb} ${how}` : `${verb} by ${by} ${how}`,
        createdAt: at,
      },
    ]);
    return updated;
  }

  /**
   * The acknowledgement ran out with the incident still open: it is triggered again, so are its
   * acknowledged alerts, and escalation restarts at level 1 in a new round (new idempotency keys).
   */
  async function retriggerLocked(tx: Transaction, incident: IncidentRow, at: Date, fx: Effects) {
    const firstRound = incident.escalationRepetition + 1;
    const escalates = incident.escalationPolicyId !== null;
    const updated = await repository.update(tx, incident.id, {
      status: 'triggered',
      acknowledgedAt: null,
      acknowledgedBy: null,
      ackTimeoutAt: null,
      escalationFirstRound: firstRound,
      escalationRepetition: firstRound,
      escalationLevel: escalates ? 0 : null,
      nextEscalationAt: escalates ? at : null,
    });
    const moved = await repository.retriggerAlerts(tx, incident.id);
    const acknowledgedFor = Math.round((at.getTime() - (incident.acknowledgedAt ?? at).getTime()) / minuteMs);
    await repository.insertTimeline(tx, [
      {
        incidentId: incident.id,
        kind: 'acknowledgement_timeout',
        message: `Still open ${acknowledgedFor === 1 ? '1 minute' : `${acknowledgedFor} minutes`} after the acknowledgement: triggered again, escalation restarts at level 1`,
        metadata: { acknowledgedBy: incident.acknowledgedBy, alertIds: moved },
        createdAt: at,
      },
    ]);
    if (escalates) fx.due.push(updated);
    fx.changed.add(incident.id);
  }

  const acknowledgeLocked = (
    tx: Transaction,
    incident: IncidentRow,
    userId: string | null,
    how: string,
    at: Date,
    fx: Effects,
  ) => transitionLocked(tx, incident, 'acknowledged', userId, how, at, fx);
  const resolveLocked = (
    tx: Transaction,
    incident: IncidentRow,
    userId: string | null,
    how: string,
    at: Date,
    fx: Effects,
  ) => transitionLocked(tx, incident, 'resolved', userId, how, at, fx);

  async function alertTransitioned(
    tx: Transaction,
    alertId: string,
    change: 'acknowledged' | 'resolved',
    userId: string | null,
    at: Date,
    fx: Effects,
  ) {
    for (const incident of await repository.incidentsOfAlertForUpdate(tx, alertId)) {
      if (change === 'acknowledged') {
        await acknowledgeLocked(tx, incident, userId, 'through one of its alerts', at, fx);
        continue;
      }
      if (incident.status === 'resolved') continue;
      await repository.insertTimeline(tx, [
        {
          incidentId: incident.id,
          kind: 'alert_resolved',
          userId,
          message: userId === null ? 'An alert resolved at its source' : 'An alert was resolved',
          metadata: { alertId },
          createdAt: at,
        },
      ]);
      if ((await repository.countUnresolvedAlerts(tx, incident.id)) === 0) {
        await resolveLocked(tx, incident, userId, 'automatically: all its alerts resolved', at, fx);
      }
    }
  }

  async function visibleForUpdate(tx: Transaction, scope: string[] | 'all', id: string) {
    const incident = await repository.findByIdForUpdate(tx, id);
    if (incident === undefined || (scope !== 'all' && !scope.includes(incident.teamId))) throw notFound(id);
    return incident;
  }

  async function act(
    viewer: Principal,
    id: string,
    work: (tx: Transaction, incident: IncidentRow, at: Date, fx: Effects) => Promise<IncidentRow>,
  ): Promise<IncidentRow> {
    const scope = await authz.scopeOf(viewer);
    const fx = new Effects();
    const result = await db.transaction(async (tx) => work(tx, await visibleForUpdate(tx, scope, id), now(), fx));
    await fx.run();
    return result;
  }

  return {
    /**
     * Called by alert ingestion and by people's alert actions, inside their transaction, so an alert
     * and its incident change together. Returns what to run after commit.
     */
    /**
     * Alerts a suppression held back that should now page (a maintenance window with
     * `openIncidentsOnEnd` ended): treated as new, so they are screened again and open or join
     * incidents. Called inside the caller's transaction; returns what to run after commit.
     */
    async alertsReleased(tx: Transaction, alertIds: string[], at: Date): Promise<AfterCommit> {
      const fx = new Effects();
      for (const alertId of alertIds) await alertCreated(tx, alertId, at, fx);
      return fx.run;
    },

    async alertsChanged(
      tx: Transaction,
      changes: AlertChange[],
      at: Date,
      userId: string | null,
    ): Promise<AfterCommit> {
      const fx = new Effects();
      for (const { alertId, change } of changes) {
        if (change === 'created') await alertCreated(tx, alertId, at, fx);
        else await alertTransitioned(tx, alertId, change, userId, at, fx);
      }
      return fx.run;
    },

    /**
     * Runs an acknowledgement timeout (from its job). Only the timeout of the current
     * acknowledgement applies; a stale or duplicate job does nothing, an early one is retried.
     */
    async acknowledgementTimedOut(timeout: AckTimeout): Promise<'retriggered' | 'stale' | 'early'> {
      const fx = new Effects();
      const outcome = await db.transaction(async (tx) => {
        const incident = await repository.findByIdForUpdate(tx, timeout.incidentId);
        if (
          incident?.status !== 'acknowledged' ||
          incident.ackTimeoutAt === null ||
          incident.escalationFirstRound !== timeout.firstRound
        ) {
          return 'stale' as const;
        }
        const at = now();
        if (incident.ackTimeoutAt.getTime() > at.getTime()) return 'early' as const;
        await retriggerLocked(tx, incident, at, fx);
        return 'retriggered' as const;
      });
      await fx.run();
      return outcome;
    },

    async list(viewer: Principal, query: IncidentQuery) {
      const scope = await authz.scopeOf(viewer);
      if (scope !== 'all' && scope.length === 0) return { incidents: [], nextCursor: null };
      const rows = await repository.list(db, {
        anyOfTeamIds: scope === 'all' ? undefined : scope,
        status: query.status,
        teamId: query.teamId,
        beforeId: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      return { incidents: page.items, nextCursor: page.nextCursor };
    },

    async get(viewer: Principal, id: string) {
      const incident = await repository.findById(db, id);
      if (incident === undefined) throw notFound(id);
      await authz.authorize(viewer, 'read', incident.teamId, { notFound: () => notFound(id) });
      const [alerts, timeline] = await Promise.all([
        repository.alertsOf(db, id),
        repository.listTimeline(db, id, TIMELINE_LIMIT),
      ]);
      return { incident, alerts, timeline: timelineFor(timeline, (userId) => authz.isSelfOrAdmin(viewer, userId)) };
    },

    acknowledge: (viewer: Principal, id: string) =>
      act(viewer, id, async (tx, incident, at, fx) => {
        if (incident.status === 'resolved') throw new AppError('incident-resolved');
        const updated = await acknowledgeLocked(tx, incident, viewer.userId, 'in the console', at, fx);
        if (updated !== incident) await audit(tx, viewer, 'incident.acknowledged', incident);
        return updated;
      }),

    resolve: (viewer: Principal, id: string) =>
      act(viewer, id, async (tx, incident, at, fx) => {
        const updated = await resolveLocked(tx, incident, viewer.userId, 'in the console', at, fx);
        if (updated !== incident) await audit(tx, viewer, 'incident.resolved', incident);
        return updated;
      }),

    addNote: (viewer: Principal, id: string, text: string) =>
      act(viewer, id, async (tx, incident, at) => {
        await repository.insertTimeline(tx, [
          { incidentId: id, kind: 'note', userId: viewer.userId, message: text, createdAt: at },
        ]);
        return incident;
      }),

    /**
     * Assigns the incident to someone. While it is triggered the new assignee is paged at once
     * (on their notification rules), under the idempotency key (incident, -1, reassignment n°, user).
     */
    reassign: (viewer: Principal, id: string, userId: string) =>
      act(viewer, id, async (tx, incident, at, fx) => {
        if (incident.status === 'resolved') throw new AppError('incident-resolved');
        // Only to a member of the incident's team: anyone else would be paged about, and see, another team's incident.
        const { userIds } = await authz.partitionReferences(tx, incident.teamId, {
          userIds: [userId],
          scheduleIds: [],
        });
        if (userIds.length === 0) {
          throw new AppError('user-not-found', `No member of the incident's team with id ${userId}`);
        }
        const updated = await repository.update(tx, id, {
          assigneeUserId: userId,
          reassignmentCount: incident.reassignmentCount + 1,
        });
        await repository.insertTimeline(tx, [
          {
            incidentId: id,
            kind: 'reassigned',
            userId: viewer.userId,
            message: 'Reassigned',
            metadata: { from: incident.assigneeUserId, to: userId },
            createdAt: at,
          },
        ]);
        await audit(tx, viewer, 'incident.reassigned', incident, { from: incident.assigneeUserId, to: userId });
        if (updated.status === 'triggered') {
          const step = {
            incidentId: id,
            level: -1,
            repetition: updated.reassignmentCount,
            userIds: [userId],
            urgency: updated.urgency,
          };
          const planned = await planNotifications(tx, notificationsRepository, step, at, minuteMs);
          fx.notifications.push(...planned.created);
        }
        return updated;
      }),

    /**
     * What a one-click link would do, without doing it: link scanners and unfurlers fetch links,
     * so a GET shows this and only the POST of its confirmation page acts.
     */
    async inspectActionToken(token: string) {
      const tokenId = verifyActionToken(deps.actionTokenKey, token);
      if (tokenId === undefined) throw new AppError('action-link-invalid', 'This link is not valid');
      const row = await repository.findActionToken(db, tokenId);
      const refusal = actionTokenRefusal(row, now());
      if (row === undefined || refusal !== undefined) throw new AppError('action-link-invalid', refusal);
      const incident = await repository.findById(db, row.incidentId);
      if (incident === undefined) throw notFound(row.incidentId);
      // As when it acts: a link is shown only while its person may still act on the incident.
      if ((await authz.standingOfUser(row.userId, incident.teamId)) === undefined) {
        throw new AppError('action-link-invalid', 'This link is no longer valid');
      }
      return { incident, action: row.action };
    },

    /** A one-click link from a notification: valid signature, unexpired, unused; acts as the person it was sent to. */
    async actWithToken(token: string) {
      const tokenId = verifyActionToken(deps.actionTokenKey, token);
      if (tokenId === undefined) throw new AppError('action-link-invalid', 'This link is not valid');
      const fx = new Effects();
      const result = await db.transaction(async (tx) => {
        const at = now();
        const consumed = await repository.consumeActionToken(tx, tokenId, at);
        if (!consumed.ok) throw new AppError('action-link-invalid', actionTokenRefusal(consumed.token, at));
        const { incidentId, userId, action } = consumed.token;
        const incident = await repository.findByIdForUpdate(tx, incidentId);
        if (incident === undefined) throw notFound(incidentId);
        // The link acts as the person it was sent to: only while they may still act on the incident.
        if ((await authz.standingOfUser(userId, incident.teamId, tx)) === undefined) {
          throw new AppError('action-link-invalid', 'This link is no longer valid');
        }
        const updated =
          action === 'acknowledge'
            ? await acknowledgeLocked(tx, incident, userId, 'from a notification link', at, fx)
            : await resolveLocked(tx, incident, userId, 'from a notification link', at, fx);
        return { incident: updated, action, changed: updated !== incident };
      });
      await fx.run();
      return result;
    },

    /**
     * A person acting from a page they received (an SMS reply, a key press in a call): like a
     * one-click link, the page itself is the authority, for the person it was sent to.
     */
    async actAsPagedPerson(userId: string, incidentId: string, action: 'acknowledge' | 'resolve', how: string) {
      const fx = new Effects();
      const result = await db.transaction(async (tx) => {
        const incident = await repository.findByIdForUpdate(tx, incidentId);
        if (incident === undefined) throw notFound(incidentId);
        const at = now();
        const updated =
          action === 'acknowledge'
            ? await acknowledgeLocked(tx, incident, userId, how, at, fx)
            : await resolveLocked(tx, incident, userId, how, at, fx);
        return { incident: updated, changed: updated !== incident };
      });
      await fx.run();
      return result;
    },

    async getGroupingRule(viewer: Principal, teamId: string) {
      await authz.authorize(viewer, 'read', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      return (await repository.findGroupingRule(db, teamId)) ?? null;
    },

    async setGroupingRule(viewer: Principal, teamId: string, rule: { groupBy: string[]; windowMinutes: number }) {
      await authz.authorize(viewer, 'manage', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      return db.transaction(async (tx) => {
        const saved = await repository.upsertGroupingRule(tx, teamId, rule.groupBy, rule.windowMinutes, now());
        await auditService.record(tx, {
          action: 'incident_grouping.updated',
          userId: viewer.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'INFO',
          metadata: { groupBy: rule.groupBy, windowMinutes: rule.windowMinutes },
        });
        return saved;
      });
    },

    async deleteGroupingRule(viewer: Principal, teamId: string) {
      await authz.authorize(viewer, 'manage', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      await db.transaction(async (tx) => {
        if (!(await repository.deleteGroupingRule(tx, teamId))) return;
        await auditService.record(tx, {
          action: 'incident_grouping.deleted',
          userId: viewer.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'INFO',
          metadata: {},
        });
      });
    },
  };

  function audit(tx: Transaction, viewer: Principal, action: string, incident: IncidentRow, extra = {}) {
    return auditService.record(tx, {
      action,
      userId: viewer.userId,
      resourceType: 'incident',
      resourceId: incident.id,
      severity: 'LOW',
      metadata: { title: incident.title, teamId: incident.teamId, previousStatus: incident.status, ...extra },
    });
  }
}

/** Why a link cannot be used (undefined: it can). */
function actionTokenRefusal(
  token: { usedAt: Date | null; revoked: boolean; expiresAt: Date } | undefined,
  at: Date,
): string | undefined {
  if (token === undefined || token.revoked) return 'This link is not valid';
  if (token.usedAt !== null) return 'This link was already used';
  if (token.expiresAt.getTime() < at.getTime()) return 'This link has expired';
  return undefined;
}

interface AlertSnapshot {
  id: string;
  title: string;
  severity: AlertSeverity;
}

export type IncidentsService = ReturnType<typeof createIncidentsService>;
