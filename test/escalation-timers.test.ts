import { afterAll, describe, expect, it } from 'vitest';
import { type DatabaseHandle, openPostgres } from '../src/db/client.js';
import type { IncidentRow, NotificationRow } from '../src/db/schema/index.js';
import { uuidv7 } from '../src/lib/ids.js';
import { JOB_SCHEMA } from '../src/modules/escalation/due-job-worker.js';
import { createEscalationJobs, SEND_QUEUE, STEP_QUEUE, stepJobId } from '../src/modules/escalation/escalation-jobs.js';
import { createIncidentsRepository } from '../src/modules/incidents/incidents.repository.js';
import type { EscalationStep } from '../src/modules/incidents/incidents.service.js';
import { createNotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import { createTestApp } from './helpers/app.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';
import { allowLoopbackReceivers, startReceiver, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Delayed steps run when due, not when the next poll comes round: every queue is polled only as
 * a safety net, set here to 60 s, so a step due in a few hundred milliseconds that runs within
 * the few seconds each test waits was run by the timer (or a wake-up), never by the poll.
 */
const SAFETY_NET_SECONDS = 60;
const NO_RECONCILE_MS = 600_000;
/**
 * A third of the safety net: the bound that tells a timer from the poll, with room for a loaded
 * machine (it only ends a failing wait; a passing one returns as soon as the step ran).
 */
const WITHIN_MS = 20_000;
/** When the step scheduled by a process that then stops is due: room for that process to stop first. */
const DUE_IN_MS = 3_000;

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The job adapter alone, recording the steps it runs (the steps and sender have their own tests). */
function jobAdapter(database: DatabaseHandle, ran: EscalationStep[], sendFailures = 0, stepFailures = 0) {
  let failuresLeft = sendFailures;
  let stepFailuresLeft = stepFailures;
  const sent: string[] = [];
  /** Each try: the notification, whether it was the last, and when (ms since the epoch). */
  const tries: Array<{ notificationId: string; isLastTry: boolean; at: number }> = [];
  const jobs = createEscalationJobs({
    database,
    incidentsRepository: createIncidentsRepository(),
    notificationsRepository: createNotificationsRepository(),
    acknowledgementTimedOut: async () => 'stale',
    retryLimit: 3,
    retryDelaySeconds: 1,
    pollingIntervalSeconds: SAFETY_NET_SECONDS,
    reconcileIntervalMs: NO_RECONCILE_MS,
    log: { info() {}, warn() {}, error() {} },
    runStep: async (step) => {
      ran.push(step);
      if (stepFailuresLeft > 0) {
        stepFailuresLeft -= 1;
        throw new Error('database unavailable');
      }
    },
    sendNotification: async (notificationId, isLastTry) => {
      tries.push({ notificationId, isLastTry, at: Date.now() });
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('channel unavailable');
      }
      sent.push(notificationId);
    },
  });
  return { jobs, sent, tries };
}

/** An incident whose escalation cursor says: this step, due at `dueAt`. */
function dueIncident(dueAt: Date, level = 1): IncidentRow {
  return {
    id: uuidv7(),
    status: 'triggered',
    escalationLevel: level,
    escalationRepetition: 0,
    nextEscalationAt: dueAt,
  } as IncidentRow;
}

describe(`job timers (${testDatabaseKind()})`, () => {
  it('pages level 2 when due, 300 ms after level 1, and retries a failed send after its 1 s delay, without the 60 s poll', async () => {
    const minuteMs = 300;
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());
    const t = await createTestApp({
      incidents: {
        ...allowLoopbackReceivers,
        minuteMs,
        notificationRetryDelaySeconds: 1,
        pollingIntervalSeconds: SAFETY_NET_SECONDS,
        reconcileIntervalMs: NO_RECONCILE_MS,
      },
    });
    cleanups.push(() => t.close());
    await t.services.escalationEngine.start();
    cleanups.push(() => t.services.escalationEngine.stop());

    const admin = await t.createAdmin();
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const people: Record<'first' | 'second', string> = { first: '', second: '' };
    const team = (await as('POST', '/api/teams', { name: 'timers' })).json().id as string;
    for (const name of ['first', 'second'] as const) {
      const user = await t.createUser(admin.apiKey);
      people[name] = user.userId;
      const hook = await t.request({
        method: 'POST',
        url: '/api/contact-methods',
        key: user.apiKey,
        body: { type: 'webhook', address: receiver.url(`/${name}`) },
      });
      receiver.verifyWith(`/${name}`, hook.json().signingSecret);
      await as('POST', `/api/teams/${team}/members`, { userId: user.userId });
    }
    await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
    const policy = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'two levels',
      isDefault: true,
      levels: [
        { delayMinutes: 1, targets: [{ type: 'user', id: people.first }] },
        { delayMinutes: 1, targets: [{ type: 'user', id: people.second }] },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    // The level-2 page fails once: its retry is a job due one second later.
    receiver.script('/second', [503]);

    const integration = await createIntegration(t, admin.apiKey, { name: 'timers', type: 'generic' });
    expect((await sendSigned(t, integration, { title: 'late?', dedupKey: 'late' })).statusCode).toBe(202);
    await waitFor(() => receiver.on('/first').length === 1, WITHIN_MS, 'level 1');
    await waitFor(() => receiver.on('/second').length === 1, WITHIN_MS, 'level 2, due 300 ms after level 1');
    await waitFor(() => receiver.on('/second').length === 2, WITHIN_MS, 'the retry of level 2, due 1 s later');
    expect(receiver.requests.every((r) => r.verified === true)).toBe(true);
  });

  it('runs a step due in 300 ms, each of 30 steps due at once exactly once, and a failed send when its backoff runs out', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const ran: EscalationStep[] = [];
    const { jobs, sent } = jobAdapter(database, ran, 2);
    await jobs.start();
    cleanups.push(() => jobs.stop());

    const later = dueIncident(new Date(Date.now() + 300));
    await jobs.scheduler.stepsDue([later]);
    await waitFor(() => ran.some((step) => step.incidentId === later.id), WITHIN_MS, 'the step due in 300 ms');

    const storm = Array.from({ length: 30 }, () => dueIncident(new Date()));
    await jobs.scheduler.stepsDue(storm);
    await waitFor(() => ran.length === 31, WITHIN_MS, '30 steps due at once');
    expect(new Set(ran.map((step) => step.incidentId)).size).toBe(31);

    // Two failures: retried after 1 s, then after 2 s (exponential backoff), then sent.
    const notificationId = uuidv7();
    await jobs.scheduler.notificationsDue([{ id: notificationId, scheduledAt: new Date() } as NotificationRow]);
    await waitFor(() => sent.includes(notificationId), 2 * WITHIN_MS, 'the send after two retries');
    expect(sent).toEqual([notificationId]);
  });
});

describe(`sends due now (${testDatabaseKind()})`, () => {
  it('go out from this process at once without a job; a transient failure becomes a job due after the retry delay', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const { jobs, sent, tries } = jobAdapter(database, [], 1);
    await jobs.start();
    cleanups.push(() => jobs.stop());
    const jobsOf = async (id: string) =>
      (
        await database.executeSql(
          `select state, retry_limit, start_after from ${JOB_SCHEMA}.job where name = $1 and id = $2`,
          [SEND_QUEUE, id],
        )
      ).rows as Array<{ state: string; retry_limit: number; start_after: Date | string }>;

    // Fails once: the first try ran here, not from a job; its retry is a job with the tries left.
    const failing = uuidv7();
    const enqueuedAt = Date.now();
    await jobs.scheduler.notificationsDue([{ id: failing, scheduledAt: new Date() } as NotificationRow]);
    await waitFor(() => tries.length === 1, WITHIN_MS, 'the first try');
    await waitFor(async () => (await jobsOf(failing)).length === 1, WITHIN_MS, 'the retry job');
    const [retry] = await jobsOf(failing);
    expect(retry?.retry_limit).toBe(2);
    expect(new Date(retry?.start_after ?? 0).getTime()).toBeGreaterThanOrEqual(enqueuedAt + 1_000 - 50);
    await waitFor(() => sent.includes(failing), WITHIN_MS, 'the retry, a second later');
    expect(tries.map((t) => [t.notificationId, t.isLastTry])).toEqual([
      [failing, false],
      [failing, false],
    ]);
    expect((tries[1]?.at ?? 0) - (tries[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);

    // Succeeds at once: no job at all.
    const fine = uuidv7();
    await jobs.scheduler.notificationsDue([{ id: fine, scheduledAt: new Date() } as NotificationRow]);
    await waitFor(() => sent.includes(fine), WITHIN_MS, 'the send due now');
    expect(await jobsOf(fine)).toEqual([]);

    // Due later: a job, as before.
    const later = uuidv7();
    await jobs.scheduler.notificationsDue([
      { id: later, scheduledAt: new Date(Date.now() + 60_000) } as NotificationRow,
    ]);
    expect((await jobsOf(later)).map((job) => job.state)).toEqual(['created']);
    expect(sent).not.toContain(later);
  });
});

describe(`steps due now (${testDatabaseKind()})`, () => {
  it('run in this process at once without a job; a failed one becomes a job that pg-boss retries', async () => {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    const ran: EscalationStep[] = [];
    const { jobs } = jobAdapter(database, ran, 0, 1);
    await jobs.start();
    cleanups.push(() => jobs.stop());
    const jobsOf = async (incident: IncidentRow) =>
      (
        await database.executeSql(`select state from ${JOB_SCHEMA}.job where name = $1 and id = $2`, [
          STEP_QUEUE,
          stepJobId({ incidentId: incident.id, level: 1, repetition: 0 }),
        ])
      ).rows as Array<{ state: string }>;
    const runsOf = (incident: IncidentRow) => ran.filter((step) => step.incidentId === incident.id).length;

    // Fails once here: its job runs it again.
    const failing = dueIncident(new Date());
    await jobs.scheduler.stepsDue([failing]);
    await waitFor(
      async () => (await jobsOf(failing)).map((job) => job.state).join() === 'completed',
      WITHIN_MS,
      'the failed step, run again from its job',
    );
    expect(runsOf(failing)).toBe(2);

    // Runs at once: no job at all.
    const fine = dueIncident(new Date());
    await jobs.scheduler.stepsDue([fine]);
    await waitFor(() => runsOf(fine) === 1, WITHIN_MS, 'the step due now');
    expect(await jobsOf(fine)).toEqual([]);

    // Due later: a job, as before.
    const later = dueIncident(new Date(Date.now() + 60_000));
    await jobs.scheduler.stepsDue([later]);
    expect((await jobsOf(later)).map((job) => job.state)).toEqual(['created']);
    expect(runsOf(later)).toBe(0);
  });
});

describe.runIf(testDatabaseKind() === 'postgres')('job timers across processes on PostgreSQL', () => {
  it("a step scheduled by process A runs on process B's timer after A is gone", async () => {
    const database = (await createTestDatabase()) as DatabaseHandle & { url: string };
    cleanups.push(() => database.close());
    // Two processes' worth: each its own pool and its own LISTEN connection.
    const handleA = openPostgres(database.url, 2);
    const handleB = openPostgres(database.url, 2);
    cleanups.push(() => handleA.close());
    cleanups.push(() => handleB.close());
    const ranByA: EscalationStep[] = [];
    const ranByB: EscalationStep[] = [];
    const a = jobAdapter(handleA, ranByA).jobs;
    const b = jobAdapter(handleB, ranByB).jobs;
    await a.start();
    await b.start();
    cleanups.push(() => b.stop());

    // B is asleep with nothing due (and its poll a minute away) when A schedules the step.
    const incident = dueIncident(new Date(Date.now() + DUE_IN_MS));
    await a.scheduler.stepsDue([incident]);
    await a.stop();
    // A is gone and the step still waits in the job table (no process ran it): read from the
    // table, not the clock. Only a stop slower than DUE_IN_MS could break this precondition.
    const step = { incidentId: incident.id, level: 1, repetition: 0 };
    const { rows } = await database.executeSql(`SELECT state FROM ${JOB_SCHEMA}.job WHERE name = $1 AND id = $2`, [
      STEP_QUEUE,
      stepJobId(step),
    ]);
    expect(rows).toEqual([{ state: 'created' }]);

    await waitFor(() => ranByB.some((ran) => ran.incidentId === incident.id), DUE_IN_MS + WITHIN_MS, 'the step on B');
    expect(ranByA).toEqual([]);
    expect(ranByB).toHaveLength(1);
  });
});
