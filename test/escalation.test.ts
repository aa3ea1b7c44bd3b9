import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnCallResolver } from '../src/modules/incidents/on-call-resolver.js';
import { createNotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers, linksIn, startReceiver, startSmtpServer } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * What paging shows over HTTP: the one-click links of a notification email (a GET or HEAD only
 * shows a page, a POST acts once, links expire) and the alert's trace. Deliveries are real, on
 * loopback: an SMTP server and an HTTP receiver verifying Standard Webhooks signatures with the
 * official library. The engine's step and sends are run directly, as its jobs would run them;
 * how escalation walks levels, repeats, delays and retries is tested without HTTP in
 * src/modules/escalation/escalation-engine.test.ts, and the job queue in escalation-timers.
 */
const schedules = new Map<string, string[]>();
const resolver: OnCallResolver = { whoIsOnCall: async (scheduleId) => schedules.get(scheduleId) ?? [] };
let clockOffsetMs = 0;

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: { userId: string; apiKey: string };
let alice: { userId: string; apiKey: string };
let bob: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });

async function createTeam(name: string, people: Array<{ userId: string }> = [alice, bob]) {
  const team = (await as(admin, 'POST', '/api/teams', { name })).json().id as string;
  for (const who of people) await as(admin, 'POST', `/api/teams/${team}/members`, { userId: who.userId });
  const rule = await as(admin, 'POST', '/api/routing-rules', {
    name: `to ${name}`,
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: name }],
  });
  expect(rule.statusCode, rule.body).toBe(201);
  return team;
}

/** A schedule of the team (policies target only their team's); who is on call comes from the stub resolver. */
async function createSchedule(teamId: string, name: string) {
  const response = await as(admin, 'POST', '/api/schedules', { teamId, name, timeZone: 'UTC' });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function createPolicy(teamId: string, body: Record<string, unknown>) {
  const response = await as(admin, 'POST', '/api/escalation-policies', {
    teamId,
    name: 'default',
    isDefault: true,
    ...body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function fire(team: string, dedupKey: string) {
  const response = await sendSigned(t, integration, {
    title: `${dedupKey} is down`,
    dedupKey,
    severity: 'critical',
    labels: { team },
  });
  expect(response.statusCode, response.body).toBe(202);
  const alertId = response.json().alerts[0].id as string;
  const incidents = (await as(admin, 'GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
  const incident = incidents.find((i) => i.title === `${dedupKey} is down`);
  if (incident === undefined) throw new Error('no incident opened');
  return { alertId, incidentId: incident.id };
}

const incident = async (id: string) => (await as(admin, 'GET', `/api/incidents/${id}`)).json();
const notificationsRepository = createNotificationsRepository();

/** Runs the first escalation step and sends what it planned, as the step and send jobs would. */
async function pageFirstLevel(incidentId: string) {
  expect(await t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 })).toBe('ran');
  const planned = await notificationsRepository.listOfIncident(t.database.db, incidentId, 10);
  for (const notification of planned) await t.services.escalationEngine.sendNotificationNow(notification.id);
}

beforeAll(async () => {
  smtp = await startSmtpServer();
  receiver = await startReceiver();
  t = await createTestApp({
    now: () => new Date(Date.now() + clockOffsetMs),
    incidents: {
      ...allowLoopbackReceivers,
      resolver,
      smtpUrl: smtp.url,
      smtpFrom: 'Klaxon <klaxon@example.com>',
      publicUrl: 'https://klaxon.example.com',
    },
  });
  admin = await t.createAdmin();
  alice = await t.createUser(admin.apiKey, 'alice@example.com');
  bob = await t.createUser(admin.apiKey, 'bob@example.com');
  // Alice: a signed webhook. Bob: email.
  const hook = await as(alice, 'POST', '/api/contact-methods', { type: 'webhook', address: receiver.url('/alice') });
  expect(hook.statusCode, hook.body).toBe(201);
  expect(hook.json().signingSecret).toMatch(/^whsec_/);
  receiver.verifyWith('/alice', hook.json().signingSecret);
  const mail = await as(bob, 'POST', '/api/contact-methods', { type: 'email', address: 'bob@example.com' });
  expect(mail.statusCode, mail.body).toBe(201);
  integration = await createIntegration(t, admin.apiKey, { name: 'paging', type: 'generic' });
});

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await receiver?.close();
});

describe('paging over HTTP', () => {
  it('an email link changes nothing on GET or HEAD; its POST acknowledges, works once, and expires', async () => {
    const team = await createTeam('ack');
    await createPolicy(team, {
      levels: [
        { delayMinutes: 2, targets: [{ type: 'user', id: bob.userId }] },
        { delayMinutes: 1, targets: [{ type: 'user', id: alice.userId }] },
      ],
    });
    const mailsBefore = smtp.mails.length;
    const { incidentId, alertId } = await fire('ack', 'api-gateway');
    await pageFirstLevel(incidentId);
    const mail = smtp.mails.slice(mailsBefore).find((m) => m.raw.includes('api-gateway'));
    if (mail === undefined) throw new Error('no email');
    const { acknowledge, resolve } = linksIn(mail.raw);
    if (acknowledge === undefined || resolve === undefined) throw new Error('no action links in the email');

    const path = new URL(acknowledge).pathname;
    // Following the link (a GET, as mail scanners do too) only shows a confirmation page.
    const opened = await t.request({ method: 'GET', url: path });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.headers['content-type']).toMatch(/text\/html/);
    expect(opened.body).toContain('<form method="post">');
    const peeked = await t.request({ method: 'HEAD', url: path });
    expect(peeked.statusCode).toBe(200);
    const previewed = await t.request({ method: 'GET', url: path, headers: { accept: 'application/json' } });
    expect(previewed.json()).toMatchObject({ incidentId, action: 'acknowledge', status: 'triggered' });
    expect((await incident(incidentId)).status).toBe('triggered');
    const clicked = await t.request({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': '0' },
    });
    expect(clicked.statusCode, clicked.body).toBe(200);
    expect(clicked.headers['content-type']).toMatch(/text\/html/);
    expect(clicked.body).toContain('acknowledged');
    const again = await t.request({ method: 'POST', url: path, headers: { accept: 'application/json' } });
    expect(again.statusCode).toBe(410);
    expect(again.json().detail).toMatch(/already used/);

    const acked = await incident(incidentId);
    expect(acked).toMatchObject({ status: 'acknowledged', acknowledgedBy: bob.userId, escalationLevel: null });
    expect((await as(admin, 'GET', `/api/alerts/${alertId}`)).json().status).toBe('acknowledged');

    // The acknowledgement stopped escalation: level 2's step no longer runs.
    expect(await t.services.escalationEngine.runStep({ incidentId, level: 1, repetition: 0 })).toBe('stale');

    // The resolve link of the same email expires: a day and a bit later it is refused.
    clockOffsetMs = 25 * 60 * 60_000;
    try {
      const late = await t.request({
        method: 'GET',
        url: new URL(resolve).pathname,
        headers: { accept: 'application/json' },
      });
      expect(late.statusCode).toBe(410);
      expect(late.json().detail).toMatch(/expired/);
    } finally {
      clockOffsetMs = 0;
    }
    const forged = await t.request({
      method: 'GET',
      url: `${path.slice(0, -4)}AAAA`,
      headers: { accept: 'application/json' },
    });
    expect(forged.statusCode).toBe(410);
    expect((await incident(incidentId)).status).toBe('acknowledged');
  });

  it("the alert's trace names the routing rule, the policy, who was on call and each notification attempt", async () => {
    const team = await createTeam('traced');
    const tracedSchedule = await createSchedule(team, 'traced');
    schedules.set(tracedSchedule, [alice.userId]);
    const policyId = await createPolicy(team, {
      levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: tracedSchedule }] }],
    });
    const { alertId, incidentId } = await fire('traced', 'traced-api');
    await pageFirstLevel(incidentId);
    const trace = (await as(admin, 'GET', `/api/alerts/${alertId}/trace`)).json();
    const kinds = trace.entries.map((e: { kind: string }) => e.kind);
    expect(kinds.slice(0, 5)).toEqual([
      'delivery_verified',
      'alert_created',
      'routed',
      'not_suppressed',
      'incident_opened',
    ]);
    const byKind = (kind: string) => trace.entries.find((e: { kind: string }) => e.kind === kind);
    expect(byKind('routed').refs.ruleIds).toHaveLength(1);
    expect(byKind('incident_opened').refs.incidentId).toBe(incidentId);
    expect(byKind('escalated').refs).toMatchObject({ incidentId, policyId, userIds: [alice.userId] });
    expect(byKind('notification_attempt').refs).toMatchObject({ incidentId, userId: alice.userId });
    expect(byKind('notification_attempt').message).toContain('webhook');
    const times = trace.entries.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });
});
