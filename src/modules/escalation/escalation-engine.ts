import type { DatabaseHandle } from '../../db/client.js';
import type { Authz } from '../authz/authz.service.js';
import type { EscalationPoliciesRepository } from '../escalation-policies/escalation-policies.repository.js';
import type { IncidentsRepository } from '../incidents/incidents.repository.js';
import type { AckTimeout } from '../incidents/incidents.service.js';
import type { OnCallResolver } from '../incidents/on-call-resolver.js';
import type { Channels, TeamChannel } from '../notifications/channels.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import { createEscalationJobs } from './escalation-jobs.js';
import { createEscalationSteps } from './escalation-steps.js';
import { createNotificationSender } from './notification-sender.js';

export interface EscalationEngineOptions {
  database: DatabaseHandle;
  incidentsRepository: IncidentsRepository;
  policiesRepository: EscalationPoliciesRepository;
  notificationsRepository: NotificationsRepository;
  teamsRepository: Pick<TeamsRepository, 'listMembers'>;
  resolver: OnCallResolver;
  /**
   * Checks, when a level runs, that its schedules still belong to the incident's team (its people
   * are checked with their names in one read, escalation.repository.ts).
   */
  authz: Pick<Authz, 'partitionReferences'>;
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
  /** The safety-net poll of each job queue (30 s by default); timers and wake-ups run jobs when due. */
  pollingIntervalSeconds?: number;
  reconcileIntervalMs?: number;
  log?: Pick<Console, 'info' | 'warn' | 'error'>;
  now?: () => Date;
  /**
   * Posts an incident to its team's chat channel (a level's `team_channel` target), as the sender
   * of a `team_channel` notification; absent without a chat app.
   */
  teamChannel?: TeamChannel | undefined;
}

/**
 * Durable escalation on pg-boss, in the application's own database (PostgreSQL or PGlite).
 *
 * - A step job (incident, level, repetition) notifies that level's targets and moves the incident's
 *   escalation cursor to the next step, in one statement that applies only while the incident is
 *   still at that step. A job whose step is not the cursor's (a duplicate, or the incident was
 *   acknowledged) does nothing.
 * - Each notification is a row whose unique index is the idempotency key. One due now is sent by
 *   the process that wrote it at once (immediate-sends.ts); one due later, or a retry, is a send
 *   job with the row's id as job id. The sender claims the row before sending, so one process
 *   sends it.
 * - Jobs are enqueued after commit with deterministic ids; a periodic reconciliation re-enqueues
 *   whatever is overdue in the tables, so a crash between commit and enqueue loses nothing.
 */
export function createEscalationEngine(options: EscalationEngineOptions) {
  // Three parts: the job adapter (escalation-jobs.ts) runs the steps (escalation-steps.ts) and
  // the sender (notification-sender.ts); the steps enqueue through the adapter's scheduler.
  const sender = createNotificationSender(options);
  const jobs = createEscalationJobs({
    ...options,
    runStep: (step) => steps.runStep(step),
    sendNotification: sender.sendNotification,
  });
  const steps = createEscalationSteps({ ...options, scheduler: jobs.scheduler });

  return {
    scheduler: jobs.scheduler,
    runStep: steps.runStep,
    /**
     * What a send job does, without the queue: tests drive the engine with it on their own clock.
     * A transient failure on a try that is not the last leaves the row pending and throws.
     */
    sendNotification: sender.sendNotification,
    /** Sends one notification now, as its job would on its last try (tests drive the engine with it). */
    sendNotificationNow: (notificationId: string) => sender.sendNotification(notificationId, true),
    reconcile: jobs.reconcile,
    sendNow: jobs.sendNow,
    start: jobs.start,

    /** Stops taking jobs and waits (bounded) for the ones in progress. */
    async stop(timeoutMs = 10_000): Promise<void> {
      await jobs.stop(timeoutMs);
      options.channels.close();
    },
  };
}

export type EscalationEngine = ReturnType<typeof createEscalationEngine>;
