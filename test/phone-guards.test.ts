import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto.js';
import { signJwtHs256 } from '../src/lib/jwt.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { FAKE_TWILIO, startFakeTwilio } from './helpers/fake-twilio.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** The guards around phone paging: rate limits, unverified numbers, and every provider callback's signature. */
const VONAGE_SECRET = 'vonage-signature-secret-0123456789';
const GATEWAY_TOKEN = 'gateway-inbound-token-0123456789';

let t: TestApp;
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
let clock = new Date('2026-12-05T10:00:00Z');

beforeAll(async () => {
  twilio = await startFakeTwilio();
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  t = await createTestApp({
    now: () => clock,
    incidents: {
      phone: {
        allowedCountries: ['1'],
        rateLimitPerHour: 2,
        providerByCountry: {},
        twilio: { ...FAKE_TWILIO, baseUrl: twilio.baseUrl },
        vonage: {
          applicationId: 'app-1',
          privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
          signatureSecret: VONAGE_SECRET,
          from: '15005550007',
          baseUrl: 'http://127.0.0.1:9',
        },
        smsGateway: {
          url: 'http://127.0.0.1:9/send',
          method: 'POST',
          headers: {},
          bodyTemplate: '{"to":"{{to}}","text":"{{text}}"}',
          inboundToken: GATEWAY_TOKEN,
        },
      },
    },
  });
});

afterAll(async () => {
  await t?.close();
  await twilio?.close();
});

const advance = (ms: number) => {
  clock = new Date(clock.getTime() + ms);
};

describe(`phone guards (${testDatabaseKind()})`, () => {
  it('resends codes at most every 30 s and stops at the per-number hourly limit', async () => {
    const admin = await t.createAdmin();
    const user = await t.createUser(admin.apiKey, 'carol@example.com');
    const created = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: user.apiKey,
      body: { type: 'sms', address: '+12025550143' },
    });
    expect(created.statusCode, created.body).toBe(201);
    const resend = () =>
      t.request({ method: 'POST', url: `/api/contact-methods/${created.json().id}/verify/resend`, key: user.apiKey });
    expect((await resend()).statusCode).toBe(429);
    advance(31_000);
    expect((await resend()).statusCode).toBe(202);
    advance(31_000);
    const limited = await resend();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().detail).toContain('rate limited');
    expect(twilio.resources.filter((r) => r.to === '+12025550143')).toHaveLength(2);
    // A new hour: sending again.
    advance(3_600_000);
    expect((await resend()).statusCode).toBe(202);
  });

  it('never pages an unverified number: the notification is logged as skipped', async () => {
    const admin = await t.createAdmin('admin2@example.com');
    const dave = await t.createUser(admin.apiKey, 'dave@example.com');
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const phone = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: dave.apiKey,
      body: { type: 'sms', address: '+12025550144' },
    });
    expect(phone.json().verified).toBe(false);
    const team = (await as('POST', '/api/teams', { name: 'db' })).json().id as string;
    // An incident is reassigned only to a member of its team.
    await as('POST', `/api/teams/${team}/members`, { userId: dave.userId });
    await as('POST', '/api/routing-rules', {
      name: 'db',
      teamId: team,
      matchers: [{ field: 'labels.team', op: 'equals', value: 'db' }],
    });
    const generic = await createIntegration(t, admin.apiKey, { name: 'gen', type: 'generic' });
    expect((await sendSigned(t, generic, { title: 'Replica lag', labels: { team: 'db' } })).statusCode).toBe(202);
    const incident = (await as('GET', '/api/incidents')).json().incidents[0] as { id: string };
    const sentBefore = twilio.resources.length;
    const reassigned = await as('POST', `/api/incidents/${incident.id}/reassign`, { userId: dave.userId });
    expect(reassigned.statusCode, reassigned.body).toBe(200);
    const log = (await t.request({ method: 'GET', url: '/api/notifications', key: dave.apiKey })).json();
    expect(log.notifications).toHaveLength(1);
    expect(log.notifications[0]).toMatchObject({
      status: 'skipped',
      lastError: 'skipped: the phone number is not verified',
      contactMethodType: 'sms',
    });
    expect(twilio.resources.length).toBe(sentBefore);
  });

  it('refuses Vonage callbacks without a valid signed JWT over the body, and takes signed ones', async () => {
    const body = JSON.stringify({ message_uuid: 'in-1', from: '12025550199', text: 'ack', channel: 'sms' });
    const iat = Math.floor(clock.getTime() / 1000);
    const signed = (secret: string, hashOf = body) =>
      `Bearer ${signJwtHs256({ iat, jti: `j-${Math.random()}`, iss: 'Vonage', payload_hash: sha256Hex(hashOf) }, secret)}`;
    const post = (authorization?: string) =>
      t.request({
        method: 'POST',
        url: '/api/providers/vonage/messages/inbound',
        body,
        headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      });
    for (const authorization of [undefined, signed('another-secret-0123456789abcdef'), signed(VONAGE_SECRET, '{}')]) {
      const refused = await post(authorization);
      expect(refused.statusCode).toBe(403);
      expect(refused.json().type).toMatch(/invalid-provider-signature$/);
    }
    const accepted = await post(signed(VONAGE_SECRET));
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().answer).toContain('not registered');
    // Vonage cannot answer in the response: the answer goes out as an SMS (here through Twilio, the first provider).
    expect(twilio.resources.filter((r) => r.to === '+12025550199').map((r) => r.body)).toEqual([
      'This number is not registered with Klaxon.',
    ]);
    // The same message again is a replay: answered, not acted on.
    expect((await post(signed(VONAGE_SECRET))).json().answer).toBeNull();
  });

  it('refuses SMS gateway replies without the inbound token', async () => {
    const body = { id: 'g-1', from: '+12025550199', text: 'ack' };
    const post = (authorization?: string) =>
      t.request({
        method: 'POST',
        url: '/api/providers/sms-gateway/inbound',
        body,
        headers: authorization ? { authorization } : {},
      });
    expect((await post()).statusCode).toBe(403);
    expect((await post('Bearer wrong-token')).statusCode).toBe(403);
    const accepted = await post(`Bearer ${GATEWAY_TOKEN}`);
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().answer).toContain('not registered');
  });

  it('lists the provider callbacks in /openapi.json', async () => {
    const paths = Object.keys((await t.request({ method: 'GET', url: '/openapi.json' })).json().paths);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/providers/twilio/sms/inbound',
        '/api/providers/twilio/voice/gather',
        '/api/providers/vonage/voice/input',
        '/api/providers/sms-gateway/inbound',
      ]),
    );
  });
});
