import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/client.js';
import { createServices, type Services } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { allowLoopbackReceivers, startReceiver, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Several engines on one database (two processes' worth: separate connection pools on PostgreSQL;
 * on PGlite, which one process owns, two engines on its one connection), one of them stopped in the
 * middle of escalations and a new one started: every (incident, level, repetition, target) is
 * notified exactly once, and every step still runs.
 */
const MINUTE_MS = 300;
const LEVELS = 3;
const INCIDENTS = 4;

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const extra: Array<{ services: Services; close: () => Promise<void> }> = [];

const engineOptions = {
  ...allowLoopbackReceivers,
  minuteMs: MINUTE_MS,
  pollingIntervalSeconds: 0.5,
  reconcileIntervalMs: 500,
};

async function secondEngine(): Promise<Services> {
  const url = (t.database as { url?: string }).url;
  const database = testDatabaseKind() === 'postgres' && url !== undefined ? openPostgres(url, 4) : t.database;
  const services = createServices({ database, masterKey: t.masterKey, incidents: engineOptions });
  await services.escalationEngine.start();
  extra.push({
    services,
    close: async () => {
      await services.escalationEngine.stop();
      if (database !== t.database) await database.close();
    },
  });
  return services;
}

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestApp({ incidents: engineOptions });
  await t.services.escalationEngine.start();
});

afterAll(async () => {
  for (const item of extra) await item.close();
  await t?.close();
  await receiver?.close();
});

describe('several escalation engines on one database', () => {
  it('exactly one notification per key, none lost when an engine stops mid-escalation', async () => {
    const admin = await t.createAdmin();
    const user = await t.createUser(admin.apiKey);
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const hook = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: user.apiKey,
      body: { type: 'webhook', address: receiver.url('/pager') },
    });
    receiver.verifyWith('/pager', hook.json().signingSecret);
    const team = (await as('POST', '/api/teams', { name: 'multi' })).json().id as string;
    // A policy pages members of its team only.
    await as('POST', `/api/teams/${team}/members`, { userId: user.userId });
    await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
    const policy = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'three levels',
      isDefault: true,
      repeatCount: 1,
      levels: Array.from({ length: LEVELS }, () => ({ delayMinutes: 1, targets: [{ type: 'user', id: user.userId }] })),
    });
    expect(policy.statusCode, policy.body).toBe(201);

    const second = await secondEngine();
    const integration = await createIntegration(t, admin.apiKey, { name: 'multi', type: 'generic' });
    for (let i = 0; i < INCIDENTS; i++) {
      expect((await sendSigned(t, integration, { title: `outage ${i}`, dedupKey: `k${i}` })).statusCode).toBe(202);
    }
    // The first engine goes away after the first round of notifications; a fresh one joins.
    await waitFor(() => receiver.on('/pager').length >= INCIDENTS, 10_000, 'first notifications');
    await t.services.escalationEngine.stop();
    await secondEngine();

    const expected = INCIDENTS * LEVELS * 2;
    await waitFor(() => receiver.on('/pager').length >= expected, 20_000, `${expected} notifications`);
    await new Promise((resolve) => setTimeout(resolve, 4 * MINUTE_MS));

    const deliveries = receiver.on('/pager');
    expect(deliveries.every((r) => r.verified === true)).toBe(true);
    expect(deliveries).toHaveLength(expected);
    const keys = deliveries.map((r) => {
      const { data } = JSON.parse(r.body) as { data: { incidentId: string; reason: string } };
      return `${data.incidentId} ${data.reason}`;
    });
    expect(new Set(keys).size).toBe(expected);

    const { incidents } = (await as('GET', '/api/incidents')).json() as { incidents: Array<{ id: string }> };
    for (const { id } of incidents) {
      const { timeline } = (await as('GET', `/api/incidents/${id}`)).json();
      const kinds = timeline.map((e: { kind: string }) => e.kind);
      expect(kinds.filter((k: string) => k === 'escalated')).toHaveLength(LEVELS * 2);
      expect(kinds.filter((k: string) => k === 'escalation_exhausted')).toHaveLength(1);
    }
    const log = async () =>
      (await second.contactMethodsService.log(
        { ...admin, email: 'a', isPlatformAdmin: true, apiKeyId: 'x' },
        { userId: user.userId, limit: 200 },
      )) as { notifications: Array<{ status: string }> };
    // A send is recorded `sent` after the receiver answered, so the last may still be on its way.
    await waitFor(
      async () => (await log()).notifications.every((n) => n.status === 'sent'),
      20_000,
      'every notification recorded sent',
    );
    expect((await log()).notifications).toHaveLength(expected);
  });
});
