import PgBoss from 'pg-boss';
import type { IncidentRow, NotificationRow } from '../../db/schema/index.js';
import { sha256Hex } from '../../lib/crypto.js';
import {
  type AckTimeout,
  ackTimeoutOf,
  type EscalationScheduler,
  type EscalationStep,
  type ScheduledSend,
  type ScheduledStep,
} from '../incidents/incidents.service.js';
import { createDueJobWorker, type DueJobWorker, JOB_SCHEMA } from './due-job-worker.js';
import type { EscalationEngineOptions } from './escalation-engine.js';
import { createImmediateRuns } from './immediate-runs.js';
import { createImmediateSends, type ImmediateSend } from './immediate-sends.js';
import { listenForJobWakeups } from './job-wakeups.js';

export const STEP_QUEUE = 'klaxon-escalation-step';
export const SEND_QUEUE = 'klaxon-notification-send';
export const ACK_TIMEOUT_QUEUE = 'klaxon-acknowledgement-timeout';

const JOB_EXPIRY_SECONDS = 60;
const RECONCILE_BATCH = 200;
/** Without a wake-up, each queue is looked at this often anyway (a lost notice, another clock). */
const DEFAULT_SAFETY_NET_SECONDS = 30;
/**
 * Jobs in progress per queue and process. A step holds a connection only for each of its few
 * statements (it applies itself in one), and a send mostly waits on a channel (SMTP, a webhook)
 * holding none, so more jobs than pooled connections overlap without starving requests. In a storm
 * of 1,000 incidents within 10 s, 8 steps and 16 sends (instead of 4 and 8) took the first page's
 * p99 lower in 6 of 6 alternated pairs (221–388 against 260–616 ms) at the same CPU per incident
 * (bench/README.md, 2026-12-07).
 */
const CONCURRENCY: Record<string, number> = { [STEP_QUEUE]: 8, [ACK_TIMEOUT_QUEUE]: 2, [SEND_QUEUE]: 16 };

export type EscalationJobsDeps = Pick<
  EscalationEngineOptions,
  | 'database'
  | 'incidentsRepository'
  | 'notificationsRepository'
  | 'acknowledgementTimedOut'
  | 'retryLimit'
  | 'retryDelaySeconds'
  | 'pollingIntervalSeconds'
  | 'reconcileIntervalMs'
  | 'log'
  | 'now'
> & {
  /** What a step job does (escalation-steps.ts). */
  runStep: (step: EscalationStep) => Promise<unknown>;
  /** What a send job does (notification-sender.ts). */
  sendNotification: (notificationId: string, isLastTry: boolean) => Promise<void>;
};

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

/**
 * The job adapter: pg-boss queues for steps, sends and acknowledgement timeouts, the scheduler
 * the incidents service enqueues through (no-ops until started), the workers, and the periodic
 * reconciliation that re-enqueues whatever the tables say is overdue.
 */
export function createEscalationJobs(options: EscalationJobsDeps) {
  const { database, incidentsRepository, notificationsRepository } = options;
  const db = database.db;
  const now = options.now ?? (() => new Date());
  const log = options.log ?? console;
  let boss: PgBoss | undefined;
  let started = false;
  let reconcileTimer: NodeJS.Timeout | undefined;
  const workers = new Map<string, DueJobWorker>();
  let stopListening: (() => Promise<void>) | undefined;
  let announce: (queues: string[]) => Promise<void> = async () => {};

  /**
   * Jobs were scheduled on these queues: this process's timers and every other process's
   * (through NOTIFY on PostgreSQL) look again for the nearest due job, so it runs on time even if
   * this process is gone by then.
   */
  function scheduled(queues: string[]): void {
    if (queues.length === 0) return;
    for (const queue of queues) workers.get(queue)?.wake();
    // Not awaited: the caller (often a request) need not wait for the notice.
    announce(queues).catch((error: unknown) =>
      // The other processes' safety-net poll still finds the jobs.
      log.warn({ err: error, queues }, 'could not announce scheduled jobs to other processes'),
    );
  }

  /**
   * Enqueues the jobs of whatever is due, of every queue, in one statement (pg-boss's multi-row
   * insert; a job whose deterministic id exists already is skipped, as `send` skips it) and
   * announces them in one more: a step that notifies and moves on costs two round trips, not
   * four, and an ingest batch's new incidents two, not one per incident.
   */
  async function insert(jobs: PgBoss.JobInsert[]): Promise<void> {
    if (!started || boss === undefined || jobs.length === 0) return;
    await boss.insert(jobs);
    scheduled([...new Set(jobs.map((job) => job.name))]);
  }

  /**
   * As `insert`, except that sends and steps due now run in this process at once
   * (immediate-runs.ts, immediate-sends.ts). Due by the real clock, the one pg-boss's fetch would have compared with
   * (the database's).
   */
  async function enqueue(jobs: PgBoss.JobInsert[]): Promise<void> {
    if (!started || boss === undefined || jobs.length === 0) return;
    const realNow = Date.now();
    const dueNow = (job: PgBoss.JobInsert) =>
      (job.name === SEND_QUEUE || job.name === STEP_QUEUE) &&
      (job.startAfter === undefined || new Date(job.startAfter).getTime() <= realNow);
    const now = jobs.filter(dueNow);
    immediate.run(
      now
        .filter((job) => job.name === SEND_QUEUE)
        .map((job) => ({
          notificationId: (job.data as { notificationId: string }).notificationId,
          jobId: job.id as string,
        })),
    );
    immediateSteps.run(now.filter((job) => job.name === STEP_QUEUE));
    await insert(jobs.filter((job) => !dueNow(job)));
  }

  /**
   * The rest of a send's tries after its first, in this process, failed: a job due after the
   * retry delay (with pg-boss's jitter) whose own retries go on where the backoff would be, as if
   * the first try had been the job's.
   */
  const retryLater = (send: ImmediateSend) => {
    const delaySeconds = Math.max(options.retryDelaySeconds, 1);
    return insert([
      {
        name: SEND_QUEUE,
        id: send.jobId,
        data: { notificationId: send.notificationId },
        startAfter: new Date(Date.now() + delaySeconds * 1000 * (1 + Math.random())),
        retryLimit: options.retryLimit - 1,
        retryDelay: delaySeconds * 2,
      },
    ]);
  };
  const immediate = createImmediateSends({
    concurrency: CONCURRENCY[SEND_QUEUE] as number,
    send: options.sendNotification,
    retryLimit: options.retryLimit,
    retryLater,
    log,
  });
  /**
   * A step due now (a new incident's first level, a level or repeat with no delay) runs here at
   * once, as a send does: its job's insert, fetch and completion were ~1 ms of PostgreSQL's CPU
   * per incident in a storm (bench/README.md). The incident's cursor is the record: if the step
   * fails, its job is enqueued (pg-boss retries it); if this process dies first, the cursor stays
   * due and the reconciliation enqueues it. Applying a step is exactly once in effect (APPLY_STEP).
   */
  const immediateSteps = createImmediateRuns<PgBoss.JobInsert>({
    concurrency: CONCURRENCY[STEP_QUEUE] as number,
    async run(job) {
      try {
        await options.runStep(job.data as EscalationStep);
      } catch (error) {
        log.warn({ err: error, step: job.data }, 'escalation step failed; it is retried from the job queue');
        await insert([job]).catch((insertError: unknown) =>
          log.error({ err: insertError, step: job.data }, 'could not enqueue the retry of an escalation step'),
        );
      }
    },
  });

  const stepJobs = (incidents: ScheduledStep[]): PgBoss.JobInsert[] =>
    incidents.flatMap((incident) => {
      if (incident.escalationLevel === null || incident.status !== 'triggered') return [];
      const step = {
        incidentId: incident.id,
        level: incident.escalationLevel,
        repetition: incident.escalationRepetition,
      };
      return [{ name: STEP_QUEUE, data: step, id: stepJobId(step), startAfter: incident.nextEscalationAt ?? now() }];
    });
  const sendJobs = (rows: ScheduledSend[]): PgBoss.JobInsert[] =>
    rows.map((row) => ({
      name: SEND_QUEUE,
      data: { notificationId: row.id },
      id: row.id,
      startAfter: row.scheduledAt,
    }));
  const ackTimeoutJobs = (incidents: IncidentRow[]): PgBoss.JobInsert[] =>
    incidents.flatMap((incident) => {
      if (incident.status !== 'acknowledged' || incident.ackTimeoutAt === null) return [];
      const timeout = ackTimeoutOf(incident);
      return [
        { name: ACK_TIMEOUT_QUEUE, data: timeout, id: ackTimeoutJobId(timeout), startAfter: incident.ackTimeoutAt },
      ];
    });

  const scheduler: EscalationScheduler = {
    due: (due) =>
      enqueue([
        ...stepJobs(due.steps ?? []),
        ...sendJobs(due.notifications ?? []),
        ...ackTimeoutJobs(due.ackTimeouts ?? []),
      ]),
    stepsDue: (incidents) => enqueue(stepJobs(incidents)),
    notificationsDue: (rows) => enqueue(sendJobs(rows)),

    async stepsCancelled(steps: EscalationStep[], notificationIds: string[]) {
      if (!started || boss === undefined) return;
      if (steps.length > 0) await boss.cancel(STEP_QUEUE, steps.map(stepJobId));
      if (notificationIds.length > 0) await boss.cancel(SEND_QUEUE, notificationIds);
    },

    ackTimeoutsDue: (incidents) => enqueue(ackTimeoutJobs(incidents)),

    async ackTimeoutsCancelled(timeouts: AckTimeout[]) {
      if (!started || boss === undefined || timeouts.length === 0) return;
      await boss.cancel(ACK_TIMEOUT_QUEUE, timeouts.map(ackTimeoutJobId));
    },
  };

  /**
   * Re-enqueues whatever the tables say is due (idempotent: the job ids are deterministic). Sends
   * go to the queue, never straight out: a pending row may be waiting for its job's backoff, which
   * the job's existing id then keeps.
   */
  async function reconcile(): Promise<void> {
    if (!started) return;
    const at = now();
    await insert([
      ...stepJobs(await incidentsRepository.listOverdue(db, at, RECONCILE_BATCH)),
      ...sendJobs(await notificationsRepository.listOverduePending(db, at, RECONCILE_BATCH)),
      ...ackTimeoutJobs(await incidentsRepository.listAckTimeoutsOverdue(db, at, RECONCILE_BATCH)),
    ]);
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
    reconcile,

    /**
     * Sends these notifications now, although their own jobs wait for a later start (a phone page
     * failed or went unanswered: the person's next rule goes at once). The sender's claim keeps
     * each to one send when the original job runs later.
     */
    sendNow: (rows: NotificationRow[]): Promise<void> =>
      enqueue(
        rows.map((row) => ({
          name: SEND_QUEUE,
          data: { notificationId: row.id },
          id: nameBasedUuid(`klaxon:send-now:${row.id}`),
        })),
      ),

    /** Creates pg-boss's schema if needed, its queues, and starts the workers and reconciliation. */
    async start(): Promise<void> {
      if (started) return;
      const instance = new PgBoss({
        db: { executeSql: (text, values) => database.executeSql(text, values) as Promise<{ rows: never[] }> },
        schema: JOB_SCHEMA,
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
      boss = instance;
      started = true;
      const safetyNetMs = (options.pollingIntervalSeconds ?? DEFAULT_SAFETY_NET_SECONDS) * 1000;
      const handlers: Record<string, (job: PgBoss.JobWithMetadata<never>) => Promise<void>> = {
        [STEP_QUEUE]: async (job) => {
          await options.runStep(job.data as EscalationStep);
        },
        [ACK_TIMEOUT_QUEUE]: async (job) => {
          const timeout = job.data as AckTimeout;
          // Due by another process's clock but not yet by ours: pg-boss retries it shortly.
          if ((await options.acknowledgementTimedOut(timeout)) === 'early') {
            throw new Error(`acknowledgement timeout of incident ${timeout.incidentId} is not due yet`);
          }
        },
        [SEND_QUEUE]: (job) =>
          options.sendNotification(
            (job.data as { notificationId: string }).notificationId,
            job.retryCount >= job.retryLimit,
          ),
      };
      for (const [queue, handle] of Object.entries(handlers)) {
        workers.set(
          queue,
          createDueJobWorker({
            boss: instance,
            database,
            queue,
            concurrency: CONCURRENCY[queue] ?? 1,
            safetyNetMs,
            expireInSeconds: JOB_EXPIRY_SECONDS,
            handle,
            log,
          }),
        );
      }
      if (database.kind === 'postgres') {
        const wakeups = await listenForJobWakeups(
          database,
          (queue) => workers.get(queue)?.wake(),
          () => {
            for (const worker of workers.values()) worker.wake();
          },
        );
        announce = wakeups.announce;
        stopListening = wakeups.stop;
      }
      for (const worker of workers.values()) worker.start();
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
      await stopListening?.();
      stopListening = undefined;
      announce = async () => {};
      await Promise.all([
        ...[...workers.values()].map((worker) => worker.stop(timeoutMs)),
        immediate.stop(timeoutMs),
        immediateSteps.stop(timeoutMs),
      ]);
      workers.clear();
      if (instance !== undefined) await instance.stop({ graceful: true, wait: true, timeout: timeoutMs, close: false });
    },
  };
}
