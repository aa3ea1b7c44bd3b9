import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { startFakeNtfy } from './helpers/fake-ntfy.js';
import { allowLoopbackReceivers, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** ntfy end to end: alert → incident → publish at a local ntfy server → the phone's button acknowledges. */
const TOKEN = 'tk_abcdefghijklmnopqrstuvwxyz012';
let t: TestApp;
let ntfy: Awaited<ReturnType<typeof startFakeNtfy>>;

beforeAll(async () => {
  ntfy = await startFakeNtfy({ protectedTopics: { 'klaxon-alice': TOKEN } });
  t = await createTestApp({
    incidents: {
      ...allowLoopbackReceivers,
      publicUrl: 'https://klaxon.example.com',
      minuteMs: 300,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
    },
  });
  await t.services.escalationEngine.start();
});

afterAll(async () => {
  await t?.close();
  await ntfy?.close();
});

describe('ntfy', () => {
  it('publishes with priority 5 and http actions that acknowledge by POST; the access token is never shown', async () => {
    const admin = await t.createAdmin();
    const alice = await t.createUser(admin.apiKey, 'alice@example.com');
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const method = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: alice.apiKey,
      body: { type: 'ntfy', server: ntfy.url, topic: 'klaxon-alice', accessToken: TOKEN },
    });
    expect(method.statusCode, method.body).toBe(201);
    expect(method.json()).toMatchObject({ type: 'ntfy', address: `${ntfy.url}/klaxon-alice` });
    expect(method.body).not.toContain(TOKEN);
    expect((await t.request({ method: 'GET', url: '/api/contact-methods', key: alice.apiKey })).body).not.toContain(
      TOKEN,
    );

    const team = (await as('POST', '/api/teams', { name: 'ntfy' })).json().id as string;
    await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
    await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
    const policy = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'alice',
      isDefault: true,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const integration = await createIntegration(t, admin.apiKey, { name: 'ntfy-source', type: 'generic' });
    const sent = await sendSigned(t, integration, { title: 'Disk full on db-1', severity: 'critical' });
    expect(sent.statusCode, sent.body).toBe(202);

    const published = await waitFor(() => ntfy.published[0], 10_000, 'the ntfy publish');
    expect(published).toMatchObject({
      topic: 'klaxon-alice',
      title: '[CRITICAL] Disk full on db-1',
      priority: 5,
      authorization: `Bearer ${TOKEN}`,
    });
    const incidentId = (await as('GET', '/api/incidents')).json().incidents[0].id as string;
    expect(published.click).toBe(`https://klaxon.example.com/incidents/${incidentId}`);
    const [acknowledge, resolve, open] = published.actions ?? [];
    expect(acknowledge).toMatchObject({ action: 'http', label: 'Acknowledge', method: 'POST' });
    expect(resolve).toMatchObject({ action: 'http', label: 'Resolve', method: 'POST' });
    expect(open).toMatchObject({ action: 'view', url: published.click });

    // The phone's button POSTs to the action URL (ntfy sends no body): the incident is acknowledged.
    const pressed = await t.request({ method: 'POST', url: new URL(acknowledge?.url ?? '').pathname });
    expect(pressed.statusCode, pressed.body).toBe(200);
    const incident = (await as('GET', `/api/incidents/${incidentId}`)).json();
    expect(incident).toMatchObject({ status: 'acknowledged', acknowledgedBy: alice.userId });
  });

  it('a test send reaches the default-less topic; a wrong token is a permanent failure', async () => {
    const admin = await t.createAdmin();
    const bob = await t.createUser(admin.apiKey);
    const create = (body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/api/contact-methods', key: bob.apiKey, body: { type: 'ntfy', ...body } });
    const open = (await create({ server: ntfy.url, topic: 'bob_phone' })).json().id as string;
    const wrong = (await create({ server: ntfy.url, topic: 'klaxon-alice', accessToken: 'tk_wrong' })).json()
      .id as string;
    const test = (id: string) => t.request({ method: 'POST', url: `/api/contact-methods/${id}/test`, key: bob.apiKey });
    expect((await test(open)).json()).toMatchObject({ outcome: 'sent' });
    const last = ntfy.published.at(-1);
    expect(last).toMatchObject({ topic: 'bob_phone', authorization: undefined });
    expect(last?.actions?.map((a) => a.action)).toEqual(['view']);
    expect((await test(wrong)).json()).toMatchObject({ outcome: 'permanent_failure' });
  });

  it('refuses bad topics and unknown fields', async () => {
    const admin = await t.createAdmin();
    const bad = (body: Record<string, unknown>) =>
      t.request({ method: 'POST', url: '/api/contact-methods', key: admin.apiKey, body: { type: 'ntfy', ...body } });
    expect((await bad({ topic: 'has/slash' })).statusCode).toBe(400);
    expect((await bad({ topic: 'ok', priority: 5 })).statusCode).toBe(400);
    expect((await bad({ topic: 'ok', server: 'ftp://x' })).statusCode).toBe(400);
  });
});
