import { ECDH, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPush from 'web-push';
import { createPushRepository } from '../src/modules/notifications/push/push.repository.js';
import { createVapidKeySource } from '../src/modules/notifications/push/vapid-keys.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createTestDatabase } from './helpers/database.js';
import { startFakePushService } from './helpers/fake-push-service.js';
import { allowLoopbackReceivers, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** Browser push end to end: alert → incident → encrypted push at a local push service → the button acknowledges. */
let t: TestApp;
let push: Awaited<ReturnType<typeof startFakePushService>>;

beforeAll(async () => {
  push = await startFakePushService();
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
  await push?.close();
});

const subscribeAs = (key: string, body: Record<string, unknown>) =>
  t.request({ method: 'POST', url: '/api/push/subscriptions', key, body });

describe('web push', () => {
  it('pages a subscribed browser with an encrypted, VAPID-signed push whose Acknowledge action POSTs', async () => {
    const admin = await t.createAdmin();
    const alice = await t.createUser(admin.apiKey, 'alice-push@example.com');
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const browser = push.subscribe();
    const subscribed = await subscribeAs(alice.apiKey, {
      endpoint: browser.endpoint,
      expirationTime: null,
      keys: browser.keys,
      label: 'Laptop',
    });
    expect(subscribed.statusCode, subscribed.body).toBe(201);
    expect(subscribed.json()).toMatchObject({ type: 'webpush', address: browser.endpoint, label: 'Laptop' });
    // The browser's auth secret is a credential: never shown again.
    const listed = await t.request({ method: 'GET', url: '/api/contact-methods', key: alice.apiKey });
    expect(`${subscribed.body}${listed.body}`).not.toContain(browser.keys.auth);

    const team = (await as('POST', '/api/teams', { name: 'push' })).json().id as string;
    await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
    await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
    const policy = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'alice',
      isDefault: true,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    const integration = await createIntegration(t, admin.apiKey, { name: 'push-source', type: 'generic' });
    const sent = await sendSigned(t, integration, { title: 'Disk full on db-2', severity: 'critical' });
    expect(sent.statusCode, sent.body).toBe(202);

    const received = await waitFor(() => push.received.find((r) => r.endpoint === browser.endpoint), 10_000, 'a push');
    const publicKey = (await t.request({ method: 'GET', url: '/api/push/vapid-public-key', key: alice.apiKey })).json()
      .publicKey as string;
    expect(received.vapidPublicKey).toBe(publicKey);
    expect(received.claims.aud).toBe(push.origin);
    expect(received.urgency).toBe('high');
    const incident = (await as('GET', '/api/incidents')).json().incidents[0];
    expect(received.payload).toMatchObject({
      title: `[CRITICAL] #${incident.number} Disk full on db-2`,
      incidentId: incident.id,
      url: `https://klaxon.example.com/incidents/${incident.id}`,
    });
    const actions = received.payload.actions as { acknowledge: string; resolve: string };
    expect(actions.acknowledge).toMatch(/^https:\/\/klaxon\.example\.com\/api\/incidents\/actions\//);
    expect(actions.resolve).not.toBe(actions.acknowledge);

    // The service worker's button POSTs the link (as JSON client): the incident is acknowledged.
    const pressed = await t.request({
      method: 'POST',
      url: new URL(actions.acknowledge).pathname,
      headers: { accept: 'application/json' },
    });
    expect(pressed.statusCode, pressed.body).toBe(200);
    expect(pressed.json()).toMatchObject({ action: 'acknowledge', status: 'acknowledged', changed: true });
    expect((await as('GET', `/api/incidents/${incident.id}`)).json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: alice.userId,
    });
  });

  it('a test push arrives; a 410 from the push service removes the subscription', async () => {
    const admin = await t.createAdmin();
    const bob = await t.createUser(admin.apiKey);
    const browser = push.subscribe();
    const id = (await subscribeAs(bob.apiKey, { endpoint: browser.endpoint, keys: browser.keys })).json().id as string;
    const test = () => t.request({ method: 'POST', url: `/api/contact-methods/${id}/test`, key: bob.apiKey });

    expect((await test()).json()).toMatchObject({ outcome: 'sent' });
    expect(push.received.at(-1)).toMatchObject({
      endpoint: browser.endpoint,
      payload: { title: '[INFO] Test notification from Klaxon', actions: { acknowledge: null, resolve: null } },
    });

    push.expire(browser.endpoint);
    expect((await test()).json()).toMatchObject({ outcome: 'permanent_failure', detail: expect.stringMatching(/410/) });
    const methods = (await t.request({ method: 'GET', url: '/api/contact-methods', key: bob.apiKey })).json();
    expect(methods.contactMethods).toEqual([]);
  });

  it('subscriptions belong to the caller: unsubscribe by endpoint, re-subscribing moves a shared browser', async () => {
    const admin = await t.createAdmin();
    const carol = await t.createUser(admin.apiKey);
    const dave = await t.createUser(admin.apiKey);
    const browser = push.subscribe();
    const body = { endpoint: browser.endpoint, keys: browser.keys };
    const methodsOf = async (key: string) =>
      (await t.request({ method: 'GET', url: '/api/contact-methods', key })).json().contactMethods as unknown[];
    const unsubscribe = (key: string) =>
      t.request({ method: 'DELETE', url: '/api/push/subscriptions', key, body: { endpoint: browser.endpoint } });

    expect((await subscribeAs(carol.apiKey, body)).statusCode).toBe(201);
    expect((await unsubscribe(dave.apiKey)).statusCode).toBe(404);
    // Dave signs in on Carol's browser and enables push: the browser now pages Dave only.
    expect((await subscribeAs(dave.apiKey, body)).statusCode).toBe(201);
    expect(await methodsOf(carol.apiKey)).toEqual([]);
    expect(await methodsOf(dave.apiKey)).toHaveLength(1);
    expect((await unsubscribe(dave.apiKey)).statusCode).toBe(204);
    expect(await methodsOf(dave.apiKey)).toEqual([]);
  });

  it('refuses what is not a subscription, private endpoints and unknown fields', async () => {
    const admin = await t.createAdmin();
    const browser = push.subscribe();
    const { ecdh: _ecdh, authSecret: _authSecret, ...subscription } = browser;
    const bad = async (body: Record<string, unknown>, type: string) => {
      const answer = await subscribeAs(admin.apiKey, { ...subscription, ...body });
      expect(answer.statusCode, answer.body).toBe(400);
      expect(answer.json().type).toMatch(new RegExp(`${type}$`));
    };
    await bad({ keys: { p256dh: browser.keys.p256dh, auth: 'c2hvcnQ' } }, 'validation-failed');
    // Shaped like a key (65 bytes, 0x04 first) but not a point on P-256; and a valid point, compressed.
    const offTheCurve = Buffer.concat([Buffer.from([4]), randomBytes(64)]).toString('base64url');
    const compressed = ECDH.convertKey(browser.keys.p256dh, 'prime256v1', 'base64url', 'base64url', 'compressed');
    for (const p256dh of [offTheCurve, compressed]) {
      await bad({ keys: { p256dh, auth: browser.keys.auth } }, 'validation-failed');
    }
    await bad({ endpoint: 'http://10.1.2.3/push/x' }, 'outbound-url-refused');
    await bad({ endpoint: 'ftp://push.example.com/x' }, 'validation-failed');
    await bad({ extra: true }, 'validation-failed');
    expect((await t.request({ method: 'GET', url: '/api/push/vapid-public-key' })).statusCode).toBe(401);
  });
});

describe('VAPID keys', () => {
  it('are generated once per database and shared by every process; keys from the environment win', async () => {
    const database = await createTestDatabase();
    try {
      const masterKey = randomBytes(32);
      const source = () =>
        createVapidKeySource({
          db: database.db,
          repository: createPushRepository(),
          masterKey,
          subject: 'mailto:ops@example.com',
        });
      // Two processes starting together race to generate: both end up with the stored pair.
      const [first, second] = await Promise.all([source().details(), source().details()]);
      expect(second).toEqual(first);
      expect(await source().details()).toEqual(first);
      expect(Buffer.from(first.publicKey, 'base64url')).toHaveLength(65);

      const configured = webPush.generateVAPIDKeys();
      const fromEnvironment = createVapidKeySource({
        db: database.db,
        repository: createPushRepository(),
        masterKey,
        configured,
        subject: 'https://klaxon.example.com',
      });
      expect(await fromEnvironment.details()).toEqual({ subject: 'https://klaxon.example.com', ...configured });
    } finally {
      await database.close();
    }
  });
});
