import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerProcess, alertmanagerAvailable } from './helpers/alertmanager.js';
import type { TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { FAKE_TWILIO, type startFakeTwilio } from './helpers/fake-twilio.js';
import { waitFor } from './helpers/paging.js';
import { alertmanagerForTeam, PAGING_MINUTE_MS, startPagingApp } from './helpers/paging-app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * SMS paging with every part real but Twilio: a stock Alertmanager sends an alert, the on-call
 * person's verified number gets an SMS at the fake Twilio, and her signed reply "ack"
 * acknowledges the incident. Forged, replayed and stranger replies change nothing.
 */
let t: TestApp;
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
let alertmanager: AlertmanagerProcess | undefined;
let klaxonUrl = '';

beforeAll(async () => {
  ({ t, twilio, klaxonUrl } = await startPagingApp({ allowedCountries: ['1', '44'] }));
});

afterAll(async () => {
  await alertmanager?.stop();
  await t?.close();
  await twilio?.close();
});

const ALICE = '+14155550101';
/** The SMS rule's delay in paging "minutes": ten real minutes, longer than any test may run (vitest.config.ts). */
const SMS_RULE_DELAY_MINUTES = Math.ceil((10 * 60_000) / PAGING_MINUTE_MS);

describe(`phone numbers and SMS paging (${testDatabaseKind()})`, () => {
  let admin: { userId: string; apiKey: string };
  let alice: { userId: string; apiKey: string };
  let methodId = '';

  it('refuses numbers that are invalid, of a country not allowed, or with unknown fields', async () => {
    admin = await t.createAdmin();
    alice = await t.createUser(admin.apiKey, 'alice@example.com');
    const add = (body: unknown) => t.request({ method: 'POST', url: '/api/contact-methods', key: alice.apiKey, body });
    const france = await add({ type: 'sms', address: '+33 6 12 34 56 78' });
    expect(france.statusCode).toBe(400);
    expect(france.json().type).toMatch(/phone-country-not-allowed$/);
    const invalid = await add({ type: 'sms', address: '4155550101' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().type).toMatch(/phone-number-invalid$/);
    expect((await add({ type: 'sms', address: ALICE, extra: 1 })).statusCode).toBe(400);
    expect(twilio.resources).toHaveLength(0);
  });

  it('sends a code by SMS and pages the number only once the code is entered', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: alice.apiKey,
      body: { type: 'sms', address: '+1 (415) 555-0101' },
    });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ address: ALICE, verified: false, verification: { outcome: 'sent' } });
    methodId = created.json().id;
    const sms = twilio.resources.at(-1);
    expect(sms).toMatchObject({ kind: 'sms', to: ALICE, from: FAKE_TWILIO.from });
    const code = /code is (\d{6})/.exec(sms?.body ?? '')?.[1] ?? '';

    const test = await t.request({ method: 'POST', url: `/api/contact-methods/${methodId}/test`, key: alice.apiKey });
    expect(test.statusCode).toBe(409);
    const wrong = await t.request({
      method: 'POST',
      url: `/api/contact-methods/${methodId}/verify`,
      key: alice.apiKey,
      body: { code: code === '000000' ? '000001' : '000000' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().detail).toContain('attempt(s) left');
    const other = await t.createUser(admin.apiKey, 'mallory@example.com');
    const stranger = await t.request({
      method: 'POST',
      url: `/api/contact-methods/${methodId}/verify`,
      key: other.apiKey,
      body: { code },
    });
    expect(stranger.statusCode).toBe(404);
    const right = await t.request({
      method: 'POST',
      url: `/api/contact-methods/${methodId}/verify`,
      key: alice.apiKey,
      body: { code },
    });
    expect(right.statusCode, right.body).toBe(200);
    expect(right.json().verified).toBe(true);
    const again = await t.request({
      method: 'POST',
      url: `/api/contact-methods/${methodId}/verify`,
      key: alice.apiKey,
      body: { code },
    });
    expect(again.statusCode).toBe(409);
  });

  it.runIf(alertmanagerAvailable)(
    'an Alertmanager alert pages by SMS and a signed "ack" reply acknowledges the incident',
    async () => {
      const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
      const team = (await as('POST', '/api/teams', { name: 'sre' })).json().id as string;
      await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
      const policy = await as('POST', '/api/escalation-policies', {
        teamId: team,
        name: 'sre default',
        isDefault: true,
        levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
      });
      expect(policy.statusCode, policy.body).toBe(201);
      alertmanager = await alertmanagerForTeam(t, admin.apiKey, klaxonUrl, { id: team, name: 'sre' });
      const posted = await alertmanager.postAlerts([
        {
          labels: { alertname: 'ApiDown', team: 'sre', severity: 'critical' },
          annotations: { summary: 'API is down' },
        },
      ]);
      expect(posted.ok).toBe(true);

      const page = await waitFor(
        () => twilio.resources.find((r) => r.kind === 'sms' && r.body.includes('API is down')),
        60_000,
        'the SMS page',
      );
      expect(page.to).toBe(ALICE);
      expect(page.body).toContain('Reply 1 or ACK');
      expect(page.statusCallback).toBe(`${klaxonUrl}/api/providers/twilio/sms/status`);
      const incident = (await as('GET', '/api/incidents')).json().incidents[0] as { id: string; status: string };
      expect(incident.status).toBe('triggered');
      expect(page.body).toContain(`ref ${incident.id.slice(-4)}`);

      // A forged reply (bad or missing signature) and a stranger's reply change nothing.
      const forged = await twilio.callback(
        `${klaxonUrl}/api/providers/twilio/sms/inbound`,
        { MessageSid: 'SMforged', From: ALICE, Body: 'ack' },
        'bm90IGEgc2lnbmF0dXJl',
      );
      expect(forged.status).toBe(403);
      const unsigned = await fetch(`${klaxonUrl}/api/providers/twilio/sms/inbound`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ MessageSid: 'SMnosig', From: ALICE, Body: 'ack' }).toString(),
      });
      expect(unsigned.status).toBe(403);
      const stranger = await twilio.reply(klaxonUrl, '+14155550199', 'ack');
      expect(stranger.status).toBe(200);
      expect(await stranger.text()).toContain('not registered');
      expect((await as('GET', `/api/incidents/${incident.id}`)).json().status).toBe('triggered');

      // The status callback lands in the notification log.
      expect((await twilio.status(page, 'delivered')).status).toBe(200);
      const log = await t.request({ method: 'GET', url: '/api/notifications', key: alice.apiKey });
      expect(log.json().notifications[0].providerStatus).toMatchObject({ provider: 'twilio', status: 'delivered' });

      const acked = await twilio.reply(klaxonUrl, ALICE, 'ack', 'SMreply1');
      expect(acked.status).toBe(200);
      expect(acked.headers.get('content-type')).toContain('text/xml');
      expect(await acked.text()).toContain(`Acknowledged ${incident.id.slice(-4)}`);
      const after = (await as('GET', `/api/incidents/${incident.id}`)).json();
      expect(after).toMatchObject({ status: 'acknowledged', acknowledgedBy: alice.userId });

      // The same callback again (a replay) acts no more: resolving by replay is impossible too.
      await as('POST', `/api/incidents/${incident.id}/notes`, { text: 'checking' });
      const replay = await twilio.reply(klaxonUrl, ALICE, 'ack', 'SMreply1');
      expect(replay.status).toBe(200);
      expect(await replay.text()).not.toContain('Acknowledged');
    },
    60_000,
  );
  it.runIf(alertmanagerAvailable)(
    'an unanswered call moves on to the next rule at once, and a key press in the call resolves',
    async () => {
      const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
      const voice = await t.request({
        method: 'POST',
        url: '/api/contact-methods',
        key: alice.apiKey,
        body: { type: 'voice', address: ALICE },
      });
      expect(voice.statusCode, voice.body).toBe(201);
      const codeCall = twilio.resources.at(-1);
      expect(codeCall?.kind).toBe('voice');
      const code = (/code is ([\d, ]+)\./.exec(codeCall?.twiml ?? '')?.[1] ?? '').replace(/\D/g, '');
      const verified = await t.request({
        method: 'POST',
        url: `/api/contact-methods/${voice.json().id}/verify`,
        key: alice.apiKey,
        body: { code },
      });
      expect(verified.statusCode, verified.body).toBe(200);
      // A call first; the SMS ten real minutes later, longer than this test may run, so only the unanswered
      // call can bring it forward (whatever the machine's load).
      for (const [contactMethodId, delayMinutes] of [
        [voice.json().id, 0],
        [methodId, SMS_RULE_DELAY_MINUTES],
      ]) {
        const rule = await t.request({
          method: 'POST',
          url: '/api/notification-rules',
          key: alice.apiKey,
          body: { contactMethodId, delayMinutes },
        });
        expect(rule.statusCode, rule.body).toBe(201);
      }

      // An unverified number of someone else: its replies are not taken.
      const bob = await t.createUser(admin.apiKey, 'bob@example.com');
      const bobPhone = await t.request({
        method: 'POST',
        url: '/api/contact-methods',
        key: bob.apiKey,
        body: { type: 'sms', address: '+14155550102' },
      });
      expect(bobPhone.json().verified).toBe(false);

      const generic = await createIntegration(t, admin.apiKey, { name: 'generic', type: 'generic' });
      const sent = await sendSigned(t, generic, { title: 'Disk full on db-1', labels: { team: 'sre' } });
      expect(sent.statusCode, sent.body).toBe(202);
      const call = await waitFor(
        () => twilio.resources.find((r) => r.kind === 'voice' && r.twiml.includes('Disk full on db-1')),
        60_000,
        'the call',
      );
      expect(call.twiml).toContain(`action="${klaxonUrl}/api/providers/twilio/voice/gather"`);
      expect(call.twiml).toContain('<Gather numDigits="1"');
      const incidentId = (await as('GET', '/api/incidents')).json().incidents[0].id as string;

      const strangerReply = await twilio.reply(klaxonUrl, '+14155550102', 'ack');
      expect(await strangerReply.text()).toContain('not registered');

      expect((await twilio.status(call, 'no-answer')).status).toBe(200);
      const sms = await waitFor(
        () => twilio.resources.find((r) => r.kind === 'sms' && r.body.includes('Disk full on db-1')),
        60_000,
        'the SMS of the next rule',
      );
      expect(sms.to).toBe(ALICE);
      const log = (await t.request({ method: 'GET', url: '/api/notifications', key: alice.apiKey })).json()
        .notifications as Array<{
        contactMethodType: string;
        status: string;
        incidentId: string;
        providerStatus: unknown;
        scheduledAt: string;
        ruleDelayMinutes: number;
        attempts: Array<{ outcome: string; createdAt: string }>;
      }>;
      const voiceNotification = log.find((n) => n.incidentId === incidentId && n.contactMethodType === 'voice');
      expect(voiceNotification).toMatchObject({
        status: 'failed',
        providerStatus: { provider: 'twilio', status: 'no-answer' },
      });
      // Brought forward by the unanswered call, not sent by its rule's hour: the SMS was scheduled
      // at the moment the failure was recorded.
      const failedAt = voiceNotification?.attempts.find((a) => a.outcome === 'permanent_failure')?.createdAt;
      expect(failedAt).toBeDefined();
      const smsNotification = log.find((n) => n.incidentId === incidentId && n.contactMethodType === 'sms');
      expect(smsNotification).toMatchObject({ ruleDelayMinutes: SMS_RULE_DELAY_MINUTES, scheduledAt: failedAt });
      expect((await as('GET', `/api/incidents/${incidentId}`)).json().status).toBe('triggered');

      const pressed = await twilio.press(call, '2');
      expect(pressed.status).toBe(200);
      expect(await pressed.text()).toContain(`<Say>Resolved ${incidentId.slice(-4)}.</Say>`);
      expect((await as('GET', `/api/incidents/${incidentId}`)).json()).toMatchObject({
        status: 'resolved',
        resolvedBy: alice.userId,
      });
    },
  );
});
