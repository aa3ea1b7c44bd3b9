import PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../../db/client.js';
import type { EscalationTarget, IncidentRow, NotificationRow } from '../../db/schema/index.js';
import { decryptSecret, sha256Hex } from '../../lib/crypto.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Authz } from '../authz/authz.service.js';
import type { EscalationPoliciesRepository } from '../escalation-policies/escalation-policies.repository.js';
import { signActionToken } from '../incidents/action-tokens.js';
import type { IncidentsRepository, NewTimelineEntry } from '../incidents/incidents.repository.js';
import {
  type AckTimeout,
  ackTimeoutOf,
  type EscalationScheduler,
  type EscalationStep,
} from '../incidents/incidents.service.js';
import type { OnCallResolver } from '../incidents/on-call-resolver.js';
import type { Channels, DeliveryResult, NotificationMessage } from '../notifications/channels.js';
import { planNotifications } from '../notifications/notification-planner.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import type { TeamsRepository } from '../teams/teams.repository.js';

export const STEP_QUEUE = 'klaxon-escalation-step';
export const SEND_QUEUE = 'klaxon-notification-send';
export const ACK_TIMEOUT_QUEUE = 'klaxon-acknowledgement-timeout';

/** A sender that died mid-send gives up its claim after this; below the jobs' expiry, so the retry can claim. */
const SEND_LEASE_MS = 45_000;
const JOB_EXPIRY_SECONDS = 60;
const RECONCILE_BATCH = 200;

export interface EscalationEngineOptions {
  database: DatabaseHandle;
  incidentsRepository: IncidentsRepository;
  policiesRepository: EscalationPoliciesRepository;
  notificationsRepository: NotificationsRepository;
  teamsRepository: Pick<TeamsRepository, 'namesByIds' | 'listMembers'>;
  resolver: OnCallResolver;
  /** Checks, when a level runs, that its targets still belong to the incident's team. */
  authz: Pick<Authz, 'partitionReferences' | 'standingOfUser'>;
  channels: Channels;
  /** Re-triggers an incident whose acknowledgement ran out (the incidents service owns the transition). */
  acknowledgementTimedOut: (timeout: AckTimeout) => Promise<'retriggered' | 'stale' | 'early'>;
  masterKey: Buffer;
  actionTokenKey: Buffer;
  /** Base of console and one-click links in messages, without a trailing slash. */
  publicUrl: string;
  actionLinkTtlMinutes: number;
  /** Retries of a transiently failed notification, with exponential backoff from `retryDelaySeconds`. */
  retryLimit: number;
  retryDelaySeconds: number;
  /** Length of a policy or rule "minute": 60 000 in production; tests shorten it. */
  minuteMs?: number;
  pollingIntervalSeconds?: number;
  reconcileIntervalMs?: number;
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
  now?: () => Date;
}

/** A UUID determined by its name, so a step enqueued twice (two processes, a retry, a reconcile) is one job. */
export function nameBasedUuid(name: string): string {
  const hex = sha256Hex(name).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

export const stepJobId = (step: EscalationStep) =>
  nameBasedUuid(`klaxon:escalation-step:${step.incidentId}:${step.level}:${step.repetition}`);

const ackTimeoutJobId = (timeout: AckTimeout) =>
  nameBasedUuid(`klaxon:ack-timeout:${timeout.incidentId}:${timeout.firstRound}`);

const matches = (incident: IncidentRow | undefined, step: EscalationStep): incident is IncidentRow =>
  incident !== undefined &&
  incident.status === 'triggered' &&
  incident.escalationLevel === step.level &&
  incident.escalationRepetition === step.repetition;

/**
 * Durable escalation on pg-boss, in the application's own database (PostgreSQL or PGlite).
 *
 * - A step job (incident, level, repetition) notifies that level's targets and moves the incident's
 *   escalation cursor to the next step, in one transaction that locks the incident. A job whose step
 *   is not the cursor's (a duplicate, or the incident was acknowledged) does nothing.
 * - Each notification is a row whose unique index is the idempotency key; its send job has the
 *   row's id as job id. The sender claims the row before sending, so one process sends it.
 * - Jobs are enqueued after commit with deterministic ids; a periodic reconciliation re-enqueues
 *   whatever is overdue in the tables, so a crash between commit and enqueue loses nothing.
 */
export function createEscalationEngine(options: EscalationEngineOptions) {
  const { database, incidentsRepository, policiesRepository, notificationsRepository, channels } = options;
  const db = database.db;
  const now = options.now ?? (() => new Date());
  const minuteMs = options.minuteMs ?? 60_000;
  const log = options.log ?? console;
  let boss: PgBoss | undefined;
  let started = false;
  let reconcileTimer: NodeJS.Timeout | undefined;
  const workerIds: string[] = [];

  function wakeWorkers() {
    for (const id of workerIds) boss?.notifyWorker(id);
  }

  const scheduler: EscalationScheduler = {
    async stepsDue(incidents: IncidentRow[]) {
      if (!started || boss === undefined) return;
      let wake = false;
      for (const incident of incidents) {
        if (incident.escalationLevel === null || incident.status !== 'triggered') continue;
        const step = {
          incidentId: incident.id,
          level: incident.escalationLevel,
          repetition: incident.escalationRepetition,
        };
        const startAfter = incident.nextEscalationAt ?? now();
        await boss.send(STEP_QUEUE, step, { id: stepJobId(step), startAfter });
        wake ||= startAfter.getTime() <= Date.now();
      }
      if (wake) wakeWorkers();
    },

    async notificationsDue(rows: NotificationRow[]) {
      if (!started || boss === undefined) return;
      let wake = false;
      for (const row of rows) {
        await boss.send(SEND_QUEUE, { notificationId: row.id }, { id: row.id, startAfter: row.scheduledAt });
        wake ||= row.scheduledAt.getTime() <= Date.now();
      }
      if (wake) wakeWorkers();
    },

    async stepsCancelled(steps: EscalationStep[], notificationIds: string[]) {
      if (!started || boss === undefined) return;
      if (steps.length > 0) await boss.cancel(STEP_QUEUE, steps.map(stepJobId));
      if (notificationIds.length > 0) await boss.cancel(SEND_QUEUE, notificationIds);
    },

    async ackTimeoutsDue(incidents: IncidentRow[]) {
      if (!started || boss === undefined) return;
      for (const incident of incidents) {
        if (incident.status !== 'acknowledged' || incident.ackTimeoutAt === null) continue;
        const timeout = ackTimeoutOf(incident);
        await boss.send(ACK_TIMEOUT_QUEUE, timeout, {
          id: ackTimeoutJobId(timeout),
          startAfter: incident.ackTimeoutAt,
        });
      }
    },

    async ackTimeoutsCancelled(timeouts: AckTimeout[]) {
      if (!started || boss === undefined || timeouts.length === 0) return;
      await boss.cancel(ACK_TIMEOUT_QUEUE, timeouts.map(ackTimeoutJobId));
    },
  };

  /**
   * Targets of one level, resolved outside the transaction (a schedule lookup may query the
   * database), with the names the timeline shows: "Bob Builder (on call for storage primary)".
   * Only what still belongs to the incident's team is paged: a user target or an on-call person
   * who has left the team, or a schedule that is not the team's, is skipped and recorded (the
   * policy was checked when saved; this covers what changed since). A team target pages the
   * members of the incident's own team only.
   */
  async function resolveTargets(teamId: string, level: { targets: EscalationTarget[] }, at: Date) {
    const direct = await options.authz.partitionReferences(db, teamId, {
      userIds: level.targets.filter((target) => target.type === 'user').map((target) => target.id),
      scheduleIds: level.targets.filter((target) => target.type === 'schedule').map((target) => target.id),
    });
    const onCall: string[] = [];
    const emptySchedules: string[] = [];
    const viaSchedule = new Map<string, string>();
    if (level.targets.some((target) => target.type === 'team' && target.id === teamId)) {
      onCall.push(...(await options.teamsRepository.listMembers(db, teamId)).map((member) => member.userId));
    }
    for (const scheduleId of direct.scheduleIds) {
      const people = await options.resolver.whoIsOnCall(scheduleId, at);
      if (people.length === 0) emptySchedules.push(scheduleId);
      for (const userId of people) if (!viaSchedule.has(userId)) viaSchedule.set(userId, scheduleId);
      onCall.push(...people);
    }
    const viaSchedules = await options.authz.partitionReferences(db, teamId, { userIds: onCall, scheduleIds: [] });
    const userIds = [...new Set([...direct.userIds, ...viaSchedules.userIds])];
    const [people, scheduleNames] = await Promise.all([
      policiesRepository.displayNamesByIds(db, userIds),
      policiesRepository.scheduleNamesByIds(db, [...new Set([...viaSchedule.values(), ...emptySchedules])]),
    ]);
    const nameOf = (userId: string) => {
      const name = people.get(userId) ?? 'someone';
      const schedule = viaSchedule.get(userId);
      return schedule === undefined ? name : `${name} (on call for ${scheduleNames.get(schedule) ?? 'a schedule'})`;
    };
    return {
      userIds: userIds.filter((id) => people.has(id)),
      emptySchedules,
      emptyScheduleNames: emptySchedules.map((id) => scheduleNames.get(id) ?? 'a deleted schedule'),
      nameOf,
      skipped: {
        userIds: [...new Set([...direct.strangerUserIds, ...viaSchedules.strangerUserIds])],
        scheduleIds: direct.foreignScheduleIds,
      },
    };
  }

  async function runStep(step: EscalationStep): Promise<'ran' | 'stale'> {
    const snapshot = await incidentsRepository.findById(db, step.incidentId);
    if (!matches(snapshot, step)) return 'stale';
    const policy =
      snapshot.escalationPolicyId === null
        ? undefined
        : await policiesRepository.findById(db, snapshot.escalationPolicyId);
    const level = policy?.levels[step.level];
    const targets = level === undefined ? undefined : await resolveTargets(snapshot.teamId, level, now());

    const after: { notifications: NotificationRow[]; next: IncidentRow | undefined } = {
      notifications: [],
      next: undefined,
    };
    const outcome = await db.transaction(async (tx) => {
      const incident = await incidentsRepository.findByIdForUpdate(tx, step.incidentId);
      if (!matches(incident, step)) return 'stale' as const;
      const at = now();
      const entry = (kind: NewTimelineEntry['kind'], message: string, metadata: Record<string, unknown> = {}) => ({
        incidentId: incident.id,
        kind,
        message,
        metadata: { level: step.level, repetition: step.repetition, ...metadata },
        createdAt: at,
      });
      const timeline: NewTimelineEntry[] = [];
      if (policy === undefined) {
        timeline.push(entry('no_escalation_policy', 'The escalation policy was deleted: escalation stops'));
        await incidentsRepository.update(tx, incident.id, { escalationLevel: null, nextEscalationAt: null });
        await incidentsRepository.insertTimeline(tx, timeline);
        return 'ran' as const;
      }
      const label = `level ${step.level + 1}${policy.repeatCount > 0 ? ` (round ${step.repetition + 1})` : ''}`;
      let delayMinutes = 0;
      let assignee = incident.assigneeUserId;
      if (level !== undefined && targets !== undefined) {
        const { skipped } = targets;
        if (skipped.userIds.length > 0 || skipped.scheduleIds.length > 0) {
          timeline.push(
            entry(
              'target_skipped',
              `Skipped at ${label}: ${skipped.userIds.length} person(s) and ${skipped.scheduleIds.length} schedule(s) no longer of the team`,
              { userIds: skipped.userIds, scheduleIds: skipped.scheduleIds },
            ),
          );
        }
        if (targets.emptySchedules.length > 0) {
          timeline.push(
            entry('nobody_on_call', `Nobody on call for ${listOf(targets.emptyScheduleNames)} at ${label}`, {
              scheduleIds: targets.emptySchedules,
            }),
          );
        }
        if (targets.userIds.length === 0) {
          timeline.push(entry('nobody_on_call', `Nobody to notify at ${label}: moving on at once`));
        } else {
          const planned = await planNotifications(
            tx,
            notificationsRepository,
            { incidentId: incident.id, level: step.level, repetition: step.repetition, userIds: targets.userIds },
            at,
            minuteMs,
          );
          after.notifications = planned.created;
          timeline.push(
            entry('escalated', `Escalated to ${label}: ${listOf(targets.userIds.map(targets.nameOf))}`, {
              userIds: targets.userIds,
            }),
          );
          if (planned.unreachable.length > 0) {
            timeline.push(
              entry(
                'no_contact_method',
                `No contact method, so not notified: ${listOf(planned.unreachable.map(targets.nameOf))}`,
                {
                  userIds: planned.unreachable,
                },
              ),
            );
          }
          assignee = targets.userIds[0] ?? assignee;
          delayMinutes = level.delayMinutes;
        }
      }
      const lastLevel = step.level + 1 >= policy.levels.length;
      const next = !lastLevel
        ? { level: step.level + 1, repetition: step.repetition }
        : step.repetition - incident.escalationFirstRound < policy.repeatCount
          ? { level: 0, repetition: step.repetition + 1 }
          : undefined;
      if (next === undefined) {
        timeline.push(entry('escalation_exhausted', 'Every level has been notified: no further escalation'));
      }
      const updated = await incidentsRepository.update(tx, incident.id, {
        assigneeUserId: assignee,
        escalationLevel: next?.level ?? null,
        escalationRepetition: next?.repetition ?? step.repetition,
        nextEscalationAt: next === undefined ? null : new Date(at.getTime() + delayMinutes * minuteMs),
      });
      await incidentsRepository.insertTimeline(tx, timeline);
      if (next !== undefined) after.next = updated;
      return 'ran' as const;
    });
    await scheduler.notificationsDue(after.notifications);
    if (after.next !== undefined) await scheduler.stepsDue([after.next]);
    return outcome;
  }

  async function messageFor(incident: IncidentRow, notification: NotificationRow): Promise<NotificationMessage> {
    const names = await options.teamsRepository.namesByIds(db, [incident.teamId]);
    const at = now();
    const link = async (action: 'acknowledge' | 'resolve') => {
      const id = uuidv7();
      await incidentsRepository.insertActionToken(db, {
        id,
        incidentId: incident.id,
        userId: notification.userId,
        action,
        expiresAt: new Date(at.getTime() + options.actionLinkTtlMinutes * 60_000),
        createdAt: at,
      });
      return `${options.publicUrl}/api/incidents/actions/${signActionToken(options.actionTokenKey, id)}`;
    };
    return {
      incidentId: incident.id,
      incidentNumber: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      teamName: names.get(incident.teamId) ?? incident.teamId,
      alertCount: incident.alertCount,
      consoleUrl: `${options.publicUrl}/incidents/${incident.id}`,
      acknowledgeUrl: await link('acknowledge'),
      resolveUrl: await link('resolve'),
      reason:
        notification.level < 0
          ? 'The incident was assigned to you'
          : `Escalation level ${notification.level + 1}, round ${notification.repetition + 1}`,
    };
  }

  async function sendNotification(notificationId: string, isLastTry: boolean): Promise<void> {
    const claimed = await notificationsRepository.claim(db, notificationId, now(), SEND_LEASE_MS);
    if (claimed === undefined) {
      const current = await notificationsRepository.findById(db, notificationId);
      // Still pending but not claimable: its incident is no longer triggered.
      if (current?.status === 'pending') {
        await notificationsRepository.finish(db, notificationId, { status: 'cancelled' }, now());
      }
      return;
    }
    const started = performance.now();
    const [incident, method] = await Promise.all([
      incidentsRepository.findById(db, claimed.incidentId),
      notificationsRepository.findContactMethod(db, claimed.contactMethodId),
    ]);
    // Planned at the step, sent after the person's rule delay: they may have left the team (or
    // been disabled) in between. Then nothing is sent, and the timeline says why.
    if (incident !== undefined && (await options.authz.standingOfUser(claimed.userId, incident.teamId)) === undefined) {
      const at = now();
      await db.transaction(async (tx) => {
        await notificationsRepository.finish(
          tx,
          claimed.id,
          { status: 'cancelled', claimedUntil: null, lastError: 'no longer a member of the team' },
          at,
        );
        await incidentsRepository.insertTimeline(tx, [
          {
            incidentId: claimed.incidentId,
            kind: 'target_skipped',
            message: `Not notified by ${claimed.contactMethodType}: no longer of the team`,
            metadata: { notificationId: claimed.id, userIds: [claimed.userId], scheduleIds: [] },
            createdAt: at,
          },
        ]);
      });
      return;
    }
    let result: DeliveryResult;
    if (incident === undefined || method === undefined) {
      result = { outcome: 'permanent_failure', detail: 'the contact method was deleted' };
    } else {
      const message = await messageFor(incident, claimed);
      result = await channels.send(
        {
          type: method.type,
          address: method.address,
          secret: method.secretEncrypted === null ? null : decryptSecret(options.masterKey, method.secretEncrypted),
          messageId: claimed.id,
        },
        message,
      );
    }
    const final = result.outcome !== 'transient_failure' || isLastTry;
    const at = now();
    await db.transaction(async (tx) => {
      await notificationsRepository.insertAttempt(tx, {
        notificationId: claimed.id,
        attempt: claimed.attempts,
        outcome: result.outcome,
        detail: result.detail,
        durationMs: Math.round(performance.now() - started),
        createdAt: at,
      });
      await notificationsRepository.finish(
        tx,
        claimed.id,
        result.outcome === 'sent'
          ? { status: 'sent', sentAt: at, claimedUntil: null, lastError: null }
          : { status: final ? 'failed' : 'pending', claimedUntil: null, lastError: result.detail },
        at,
      );
      if (result.outcome === 'sent' || final) {
        // The message names the person and the channel type only: an address can be a credential
        // (a Slack webhook URL). The address and the sender's detail stay in the metadata, which
        // the incidents service shows only to the person notified and to platform admins.
        const type = claimed.contactMethodType;
        const person =
          (await policiesRepository.displayNamesByIds(tx, [claimed.userId])).get(claimed.userId) ?? 'someone';
        await incidentsRepository.insertTimeline(tx, [
          {
            incidentId: claimed.incidentId,
            kind: result.outcome === 'sent' ? 'notification_sent' : 'notification_failed',
            message:
              result.outcome === 'sent'
                ? `Notified ${person} by ${type}`
                : `Could not notify ${person} by ${type} after ${claimed.attempts === 1 ? '1 attempt' : `${claimed.attempts} attempts`}`,
            metadata: {
              notificationId: claimed.id,
              userId: claimed.userId,
              level: claimed.level,
              contactMethodType: type,
              address: method?.address ?? null,
              detail: result.detail,
            },
            createdAt: at,
          },
        ]);
      }
    });
    // A transient failure goes back to pg-boss, which retries with backoff.
    if (!final) throw new Error(`notification ${claimed.id}: ${result.detail ?? 'transient failure'}`);
  }

  /** Re-enqueues whatever the tables say is due (idempotent: the job ids are deterministic). */
  async function reconcile(): Promise<void> {
    if (!started) return;
    const at = now();
    await scheduler.stepsDue(await incidentsRepository.listOverdue(db, at, RECONCILE_BATCH));
    await scheduler.notificationsDue(await notificationsRepository.listOverduePending(db, at, RECONCILE_BATCH));
    await scheduler.ackTimeoutsDue(await incidentsRepository.listAckTimeoutsOverdue(db, at, RECONCILE_BATCH));
  }

  async function ensureQueue(instance: PgBoss, name: string, queue: Omit<PgBoss.Queue, 'name'>) {
    if ((await instance.getQueue(name)) === null) {
      try {
        await instance.createQueue(name, { name, ...queue });
        return;
      } catch (error) {
        // Another process created it in between.
        if ((await instance.getQueue(name)) === null) throw error;
      }
    }
    await instance.updateQueue(name, { name, ...queue });
  }

  return {
    scheduler,
    runStep,
    /** Sends one notification now, as its job would on its last try (tests drive the engine with it). */
    sendNotificationNow: (notificationId: string) => sendNotification(notificationId, true),
    reconcile,

    /**
     * Sends these notifications now, although their own jobs wait for a later start (a phone page
     * failed or went unanswered: the person's next rule goes at once). The sender's claim keeps
     * each to one send when the original job runs later.
     */
    async sendNow(rows: NotificationRow[]): Promise<void> {
      if (!started || boss === undefined || rows.length === 0) return;
      for (const row of rows) {
        await boss.send(SEND_QUEUE, { notificationId: row.id }, { id: nameBasedUuid(`klaxon:send-now:${row.id}`) });
      }
      wakeWorkers();
    },

    /** Creates pg-boss's schema if needed, its queues, and starts the workers and reconciliation. */
    async start(): Promise<void> {
      if (started) return;
      const instance = new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) as Promise<{ rows: never[] }> },
        schema: 'pgboss',
        supervise: true,
        schedule: false,
        migrate: true,
      });
      instance.on('error', (error) => log.error({ err: error }, 'job queue error'));
      // pg-boss creates its schema and queue tables on first start; processes starting together
      // against one PostgreSQL would race (duplicate schema, deadlocks), so they take turns.
      await database.withStartupLock(async () => {
        await instance.start();
        await ensureQueue(instance, STEP_QUEUE, {
          retryLimit: 20,
          retryDelay: 1,
          retryBackoff: true,
          expireInSeconds: JOB_EXPIRY_SECONDS,
        });
        await ensureQueue(instance, ACK_TIMEOUT_QUEUE, {
          retryLimit: 20,
          retryDelay: 1,
          retryBackoff: true,
          expireInSeconds: JOB_EXPIRY_SECONDS,
        });
        await ensureQueue(instance, SEND_QUEUE, {
          retryLimit: options.retryLimit,
          retryDelay: options.retryDelaySeconds,
          retryBackoff: true,
          expireInSeconds: JOB_EXPIRY_SECONDS,
        });
      });
      const pollingIntervalSeconds = options.pollingIntervalSeconds ?? 2;
      boss = instance;
      started = true;
      workerIds.push(
        await instance.work<EscalationStep>(STEP_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
          if (job !== undefined) await runStep(job.data);
        }),
        await instance.work<AckTimeout>(ACK_TIMEOUT_QUEUE, { pollingIntervalSeconds, batchSize: 1 }, async ([job]) => {
          if (job === undefined) return;
          // Due by another process's clock but not yet by ours: pg-boss retries it shortly.
          if ((await options.acknowledgementTimedOut(job.data)) === 'early') {
            throw new Error(`acknowledgement timeout of incident ${job.data.incidentId} is not due yet`);
          }
        }),
        await instance.work<{ notificationId: string }>(
          SEND_QUEUE,
          { pollingIntervalSeconds, batchSize: 1, includeMetadata: true },
          async ([job]) => {
            if (job !== undefined) await sendNotification(job.data.notificationId, job.retryCount >= job.retryLimit);
          },
        ),
      );
      await reconcile();
      reconcileTimer = setInterval(() => {
        reconcile().catch((error: unknown) => log.error({ err: error }, 'escalation reconciliation failed'));
      }, options.reconcileIntervalMs ?? 30_000);
      reconcileTimer.unref();
    },

    /** Stops taking jobs and waits (bounded) for the ones in progress. */
    async stop(timeoutMs = 10_000): Promise<void> {
      if (reconcileTimer !== undefined) clearInterval(reconcileTimer);
      reconcileTimer = undefined;
      const instance = boss;
      started = false;
      boss = undefined;
      workerIds.length = 0;
      if (instance !== undefined) await instance.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
      channels.close();
    },
  };
}

export type EscalationEngine = ReturnType<typeof createEscalationEngine>;

/** "Ann", "Ann and Bob", "Ann, Bob and Cy": names in a sentence. */
function listOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'nobody';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
