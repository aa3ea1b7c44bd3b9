import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { testDatabaseKind } from './helpers/database.js';
import { allowLoopbackReceiversEnv, startReceiver, waitFor } from './helpers/paging.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { prepareServerStorage } from './helpers/server-storage.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * kill -9 between escalation steps: a real server process pages level 1 of a two-level policy,
 * is SIGKILLed before level 2 is due, and a new process on the same database (the same PGlite data
 * dir) pages level 2 exactly once and does not page level 1 again. The receiver is a loopback
 * HTTP server verifying Standard Webhooks signatures with the official library, and counts
 * deliveries per `webhook-id` (the notification's id, i.e. its idempotency key). A server process
 * has real one-minute policy delays, so this test waits about a minute.
 */
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

describe('a crash between escalation steps', () => {
  it(`SIGKILL after level 1, restart: level 2 sent exactly once, level 1 never again (${testDatabaseKind()})`, async () => {
    const masterKey = randomBytes(32);
    const storage = await prepareServerStorage(masterKey, cleanups);
    Object.assign(storage.env, allowLoopbackReceiversEnv);
    const receiver = await startReceiver();
    cleanups.push(() => receiver.close());

    const setup = await storage.open();
    const services = createServices({ database: setup, masterKey });
    const admin = await services.bootstrapAdminService.bootstrap({ email: 'crash-admin@example.com' });
    if (storage.exclusive) await setup.close();

    let server: ServerProcess = await startServer(storage.env);
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
    const firedAt = Date.now();

    // Level 1 is sent and recorded as sent; then the process dies well before level 2 is due.
    const sentToAlice = async () =>
      ((await api('GET', `/api/notifications?userId=${people.alice}`)).notifications as Array<{ status: string }>).some(
        (n) => n.status === 'sent',
      );
    await waitFor(sentToAlice, 20_000, 'level 1 recorded as sent');
    expect(receiver.on('/bob')).toHaveLength(0);
    server.child.kill('SIGKILL');
    await server.stop('SIGKILL');
    expect(server.child.signalCode).toBe('SIGKILL');
    const killedAfterMs = Date.now() - firedAt;
    expect(killedAfterMs).toBeLessThan(40_000);

    server = await startServer(storage.env);
    await waitFor(() => receiver.on('/bob').length > 0, 90_000, 'level 2 after the restart');
    const level2After = Date.now() - firedAt;
    // Long enough for a duplicate to show up: a few job polls and the restart's reconciliation.
    await new Promise((resolve) => setTimeout(resolve, 6_000));

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
    expect(level2After).toBeGreaterThanOrEqual(55_000);

    const [incident] = (await api('GET', '/api/incidents')).incidents;
    const { timeline } = await api('GET', `/api/incidents/${incident.id}`);
    const kinds = timeline.map((e: { kind: string }) => e.kind) as string[];
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'notification_sent')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'escalation_exhausted')).toHaveLength(1);
    console.info(
      `[escalation-crash] ${testDatabaseKind()}: killed ${killedAfterMs} ms after the alert, ` +
        `level 2 delivered ${level2After} ms after it (due at 60000)`,
    );
    expect(await server.stop('SIGTERM')).toBe(0);
  }, 150_000);
});
