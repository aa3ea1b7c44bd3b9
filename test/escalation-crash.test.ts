import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { JOB_SCHEMA } from '../src/modules/escalation/due-job-worker.js';
import { SEND_QUEUE, STEP_QUEUE } from '../src/modules/escalation/escalation-jobs.js';
import { createServices } from '../src/services.js';
import { testDatabaseKind } from './helpers/database.js';
import { allowLoopbackReceiversEnv, startReceiver, waitFor } from './helpers/paging.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { prepareServerStorage } from './helpers/server-storage.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * kill -9 between escalation steps: a real server process pages level 1 of a two-level policy,
 * is SIGKILLed before level 2 is due, and a new process on the same database (the same PGlite data
 * dir) pages level 2 exactly once, not before it is due, and does not page level 1 again. The
 * receiver is a loopback HTTP server verifying Standard Webhooks signatures with the official
 * library, and counts deliveries per `webhook-id` (the notification's id, i.e. its idempotency key).
 *
 * A server process has real one-minute policy delays. Rather than wait out most of that minute,
 * the test lets the downtime pass faster: while no process runs, every durable instant that says
 * when level 2 is due (the incident's cursor and its step job) is moved earlier by the same
 * amount, as if the process had stayed down until SECONDS_LEFT_AFTER_DOWNTIME before level 2
 * (about when the new process is up on a quiet machine, so it still has to hold level 2 until
 * due). What comes back after the restart is only what the database holds, which is what the test
 * is about.
 */
const SECONDS_LEFT_AFTER_DOWNTIME = 10;

const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a crash between escalation steps', () => {
  it(`SIGKILL after level 1, restart: level 2 sent exactly once, level 1 never again (${testDatabaseKind()})`, async () => {
    const masterKey = randomBytes(32);
    /** Where the time goes (printed at the end): each phase's end, in ms since the test began. */
    const began = Date.now();
    const phases: string[] = [];
    const phase = (name: string) => {
      phases.push(`${name} ${Date.now() - began}`);
      console.info(`[escalation-crash] ${phases.at(-1)} ms`);
    };
    const storage = await prepareServerStorage(masterKey, cleanups);
    Object.assign(storage.env, allowLoopbackReceiversEnv);
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());

    /** The database, opened in the test while no server holds it (PGlite allows one process). */
    const withDatabase = async <T>(work: (database: DatabaseHandle) => Promise<T>): Promise<T> => {
      const database = await storage.open();
      try {
        return await work(database);
      } finally {
        if (storage.exclusive) await database.close();
      }
    };
    const admin = await withDatabase((database) =>
      createServices({ database, masterKey }).bootstrapAdminService.bootstrap({ email: 'crash-admin@example.com' }),
    );

    let server: ServerProcess = await startServer(storage.env);
    phase('started');
    cleanups.push(() => server.stop('SIGKILL').then(() => undefined));
    const api = async (method: string, path: string, body?: unknown, key = admin.apiKey) => {
      const response = await fetch(`${server.url}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${key}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text === '' ? undefined : JSON.parse(text);
    };

    const people: Record<'alice' | 'bob', string> = { alice: '', bob: '' };
    for (const name of ['alice', 'bob'] as const) {
      people[name] = (await api('POST', '/api/users', { email: `${name}@example.com` })).id;
      const method = await api('POST', '/api/contact-methods', {
        type: 'webhook',
        address: receiver.url(`/${name}`),
        userId: people[name],
      });
      receiver.verifyWith(`/${name}`, method.signingSecret);
    }
    const team = (await api('POST', '/api/teams', { name: 'crash' })).id;
    // A policy pages members of its team only.
    for (const userId of Object.values(people)) await api('POST', `/api/teams/${team}/members`, { userId });
    await api('POST', '/api/routing-rules', { name: 'all', teamId: team });
    await api('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'two levels',
      isDefault: true,
      levels: [
        { delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] },
        { delayMinutes: 1, targets: [{ type: 'user', id: people.bob }] },
      ],
    });
    const integration = await api('POST', '/api/integrations', { name: 'crash', type: 'generic' });
    const body = JSON.stringify({ title: 'Database down', dedupKey: 'db-down', severity: 'critical' });
    const fired = await fetch(`${server.url}/webhooks/alerts/crash`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(integration.webhookSecret, body) },
      body,
    });
    expect(fired.status).toBe(202);

    // Level 1 is sent and recorded as sent; then the process dies before level 2 is due.
    const sentToAlice = async () =>
      ((await api('GET', `/api/notifications?userId=${people.alice}`)).notifications as Array<{ status: string }>).some(
        (n) => n.status === 'sent',
      );
    await waitFor(sentToAlice, 20_000, 'level 1 recorded as sent');
    phase('level 1');
    expect(receiver.on('/bob')).toHaveLength(0);
    server.child.kill('SIGKILL');
    await server.stop('SIGKILL');
    expect(server.child.signalCode).toBe('SIGKILL');

    // The downtime, shortened: level 2's instant moves to a few seconds from now.
    const level2DueAt = await withDatabase(async (database) => {
      const [row] = (await database.executeSql('select id, next_escalation_at from incidents')).rows as Array<{
        id: string;
        next_escalation_at: Date | string;
      }>;
      const dueAt = new Date(row?.next_escalation_at ?? 0).getTime();
      // Killed between the steps (level 1 sent, Bob not paged): level 2 is still ahead. Under heavy
      // load it may already be nearer than SECONDS_LEFT_AFTER_DOWNTIME; then nothing moves.
      const shiftMs = Math.max(0, Math.floor(dueAt - (Date.now() + SECONDS_LEFT_AFTER_DOWNTIME * 1000)));
      const shift = `${shiftMs} milliseconds`;
      await database.executeSql(
        'update incidents set next_escalation_at = next_escalation_at - $1::interval where id = $2',
        [shift, row?.id],
      );
      // The step's job, if it was enqueued before the kill (if not, the restart's reconciliation
      // enqueues it from the incident's cursor).
      await database.executeSql(
        `update ${JOB_SCHEMA}.job set start_after = start_after - $1::interval
           where name = $2 and state in ('created', 'retry')`,
        [shift, STEP_QUEUE],
      );
      return dueAt - shiftMs;
    });

    phase('killed');
    server = await startServer(storage.env);
    phase('restarted');
    await waitFor(() => receiver.on('/bob').length > 0, 60_000, 'level 2 after the restart');
    phase('level 2');
    const level2At = Date.now();
    expect(level2At).toBeGreaterThanOrEqual(level2DueAt);

    const [incident] = (await api('GET', '/api/incidents')).incidents;
    const timelineKinds = async () =>
      ((await api('GET', `/api/incidents/${incident.id}`)).timeline as Array<{ kind: string }>).map((e) => e.kind);
    await waitFor(
      async () => (await timelineKinds()).filter((k) => k === 'notification_sent').length === 2,
      60_000,
      'level 2 recorded as sent',
    );
    const kinds = await timelineKinds();
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'escalation_exhausted')).toHaveLength(1);
    expect(await server.stop('SIGTERM')).toBe(0);
    phase('stopped');

    // With no process left, nothing is queued or pending that could page anyone again.
    await withDatabase(async (database) => {
      // A send job the killed process held stays 'active' until pg-boss expires it; it is harmless
      // once its notification is recorded as sent (the sender's claim refuses a sent row), so only
      // such a job may remain.
      const queued = await database.executeSql(
        `select job.name, job.state from ${JOB_SCHEMA}.job job
           where job.name in ($1, $2) and job.state in ('created', 'retry', 'active')
             and not (job.state = 'active' and job.name = $2 and exists (
               select 1 from notifications n where n.id::text = job.data->>'notificationId' and n.status = 'sent'))`,
        [STEP_QUEUE, SEND_QUEUE],
      );
      expect(queued.rows).toEqual([]);
      const pending = await database.executeSql("select id from notifications where status = 'pending'");
      expect(pending.rows).toEqual([]);
    });
    const perKey = (path: string) => {
      const counts = new Map<string, number>();
      for (const request of receiver.on(path)) {
        const id = String(request.headers['webhook-id']);
        counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      return [...counts.values()];
    };
    expect(perKey('/alice')).toEqual([1]);
    expect(perKey('/bob')).toEqual([1]);
    expect(receiver.requests.every((r) => r.verified === true)).toBe(true);
    console.info(
      `[escalation-crash] ${testDatabaseKind()}: level 2 delivered ${level2At - level2DueAt} ms after it was due; ` +
        `phases (ms): ${phases.join(', ')}`,
    );
  });
});
