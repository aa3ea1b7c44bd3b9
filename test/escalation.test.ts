import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OnCallResolver } from '../src/modules/incidents/on-call-resolver.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers, linksIn, startReceiver, startSmtpServer, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * The paging engine end to end with real parts on loopback: pg-boss on the test database, a real
 * SMTP server, an HTTP receiver verifying Standard Webhooks signatures with the official library.
 * A policy "minute" lasts 400 ms here, so two levels and a repeat take a few seconds.
 */
const MINUTE_MS = 400;
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
const notificationsOf = async (who: { apiKey: string }) =>
  (await as(who, 'GET', '/api/notifications')).json().notifications as Array<Record<string, unknown>>;

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
      minuteMs: MINUTE_MS,
      notificationRetryLimit: 2,
      notificationRetryDelaySeconds: 1,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
    },
  });
  await t.services.escalationEngine.start();
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
}, 60_000);

afterAll(async () => {
  await t?.close();
  await smtp?.close();
  await receiver?.close();
});

describe('escalation', () => {
  it('walks two levels (a user, then a schedule) and one repeat, then stops; one notification per key', async () => {
    const team = await createTeam('walk');
    const scheduleId = await createSchedule(team, 'walk');
    schedules.set(scheduleId, [bob.userId]);
    await createPolicy(team, {
      repeatCount: 1,
      levels: [
        { delayMinutes: 1, targets: [{ type: 'user', id: alice.userId }] },
        { delayMinutes: 1, targets: [{ type: 'schedule', id: scheduleId }] },
      ],
    });
    const mailsBefore = smtp.mails.length;
    const { incidentId } = await fire('walk', 'db-primary');

    const done = await waitFor(
      async () => {
        const current = await incident(incidentId);
        return current.timeline.some((e: { kind: string }) => e.kind === 'escalation_exhausted') ? current : undefined;
      },
      15_000,
      'escalation to finish',
    );
    await waitFor(
      () => smtp.mails.length - mailsBefore >= 2 && receiver.on('/alice').length >= 2,
      10_000,
      'deliveries',
    );
    await new Promise((resolve) => setTimeout(resolve, 3 * MINUTE_MS));

    // Alice (level 1) twice, Bob (level 2, on call) twice: rounds 1 and 2; nothing more.
    const hooks = receiver.on('/alice');
    expect(hooks).toHaveLength(2);
    expect(hooks.every((r) => r.verified === true)).toBe(true);
    const payloads = hooks.map((r) => JSON.parse(r.body));
    expect(payloads[0]).toMatchObject({
      type: 'incident.notification',
      data: { incidentId, severity: 'critical', teamName: 'walk' },
    });
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(2);
    const mails = smtp.mails.slice(mailsBefore);
    expect(mails).toHaveLength(2);
    expect(mails[0]?.to).toEqual(['bob@example.com']);
    expect(mails[0]?.raw).toContain('db-primary is down');
    expect(linksIn(mails[0]?.raw ?? '').acknowledge).toMatch(
      /^https:\/\/klaxon\.example\.com\/api\/incidents\/actions\//,
    );

    const kinds = done.timeline.map((e: { kind: string }) => e.kind);
    expect(kinds.filter((k: string) => k === 'escalated')).toHaveLength(4);
    const escalations = done.timeline
      .filter((e: { kind: string }) => e.kind === 'escalated')
      .map((e: { metadata: { level: number; repetition: number } }) => [e.metadata.level, e.metadata.repetition]);
    expect(escalations).toEqual([
      [0, 0],
      [1, 0],
      [0, 1],
      [1, 1],
    ]);
    // Read again: the GET reads the incident and its timeline in two queries, so the snapshot
    // that first showed `escalation_exhausted` may predate the incident row's own update.
    const final = await incident(incidentId);
    expect(final.status).toBe('triggered');
    expect(final.escalationLevel).toBeNull();

    // People are named on the timeline, and the short number is in what they receive.
    const messages = done.timeline.map((e: { message: string }) => e.message);
    expect(messages).toContain('Escalated to level 1 (round 1): alice@example.com');
    expect(messages).toContain('Escalated to level 2 (round 2): bob@example.com (on call for walk)');
    expect(final.number).toEqual(expect.any(Number));
    expect(mails[0]?.raw).toContain(`#${final.number} db-primary is down`);
    expect(payloads[0].data.incidentNumber).toBe(final.number);
    await waitFor(async () =>
      (await incident(incidentId)).timeline.some(
        (e: { message: string }) => e.message === 'Notified bob@example.com by email',
      ),
    );

    const sent = [...(await notificationsOf(alice)), ...(await notificationsOf(bob))].filter(
      (n) => n.incidentId === incidentId,
    );
    expect(sent).toHaveLength(4);
    expect(sent.every((n) => n.status === 'sent')).toBe(true);
    expect(new Set(sent.map((n) => `${n.level}:${n.repetition}:${n.userId}`)).size).toBe(4);
    await waitFor(
      async () =>
        (await incident(incidentId)).timeline.filter((e: { kind: string }) => e.kind === 'notification_sent').length ===
        4,
    );
  });

  it('records nobody on call and moves to the next level at once', async () => {
    const team = await createTeam('empty');
    const scheduleId = await createSchedule(team, 'empty');
    await createPolicy(team, {
      levels: [
        { delayMinutes: 30, targets: [{ type: 'schedule', id: scheduleId }] },
        { delayMinutes: 30, targets: [{ type: 'user', id: alice.userId }] },
      ],
    });
    const before = receiver.on('/alice').length;
    const { incidentId } = await fire('empty', 'cache');
    // The first level's 30 "minutes" (12 s) are not waited: nobody was there.
    await waitFor(() => receiver.on('/alice').length > before, 8_000, 'level 2 to be paged');
    const { timeline } = await incident(incidentId);
    const nobody = timeline.filter((e: { kind: string }) => e.kind === 'nobody_on_call');
    expect(nobody.length).toBeGreaterThanOrEqual(1);
    expect(nobody[0].metadata).toMatchObject({ level: 0, scheduleIds: [scheduleId] });
  });

  it('a level targeting the team pages everyone on it when the level runs', async () => {
    const team = await createTeam('everyone');
    await createPolicy(team, { levels: [{ delayMinutes: 5, targets: [{ type: 'team', id: team }] }] });
    const policies = (await as(admin, 'GET', `/api/escalation-policies?teamId=${team}`)).json();
    expect(JSON.stringify(policies)).toContain('"type":"team"');
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.on('/alice').length;
    const { incidentId } = await fire('everyone', 'whole-team');
    await waitFor(
      () => smtp.mails.length > mailsBefore && receiver.on('/alice').length > hooksBefore,
      10_000,
      'both members paged',
    );
    const escalated = (await incident(incidentId)).timeline.find((e: { kind: string }) => e.kind === 'escalated');
    expect(new Set(escalated.metadata.userIds)).toEqual(new Set([alice.userId, bob.userId]));
  });

  it('an email link changes nothing on GET or HEAD; its POST acknowledges, cancels pending steps, works once', async () => {
    const team = await createTeam('ack');
    await createPolicy(team, {
      levels: [
        { delayMinutes: 2, targets: [{ type: 'user', id: bob.userId }] },
        { delayMinutes: 1, targets: [{ type: 'user', id: alice.userId }] },
      ],
    });
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.on('/alice').length;
    const { incidentId, alertId } = await fire('ack', 'api-gateway');
    const mail = await waitFor(
      () => smtp.mails.slice(mailsBefore).find((m) => m.raw.includes('api-gateway')),
      8_000,
      'the email',
    );
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

    // Level 2 (alice) would have come after 2 "minutes": it never does.
    await new Promise((resolve) => setTimeout(resolve, 4 * MINUTE_MS));
    expect(receiver.on('/alice').length).toBe(hooksBefore);
    const { timeline } = await incident(incidentId);
    expect(timeline.filter((e: { kind: string }) => e.kind === 'escalated')).toHaveLength(1);

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

  it('retries transient failures with backoff and puts permanent failures on the timeline', async () => {
    const carol = await t.createUser(admin.apiKey, 'carol@example.com');
    const dave = await t.createUser(admin.apiKey, 'dave@example.com');
    await as(admin, 'POST', '/api/contact-methods', {
      type: 'slack',
      address: receiver.url('/carol'),
      userId: carol.userId,
    });
    await as(admin, 'POST', '/api/contact-methods', {
      type: 'slack',
      address: receiver.url('/dave'),
      userId: dave.userId,
    });
    receiver.script('/carol', [503]);
    receiver.script('/dave', [404]);
    const team = await createTeam('flaky', [carol, dave]);
    await createPolicy(team, {
      levels: [
        {
          delayMinutes: 1,
          targets: [
            { type: 'user', id: carol.userId },
            { type: 'user', id: dave.userId },
          ],
        },
      ],
    });
    const { incidentId } = await fire('flaky', 'queue');
    const [carolLog] = await waitFor(
      async () => {
        const log = await notificationsOf(carol);
        return log[0]?.status === 'sent' ? log : undefined;
      },
      10_000,
      "carol's retry",
    );
    expect(((carolLog?.attempts ?? []) as Array<{ outcome: string }>).map((a) => a.outcome)).toEqual([
      'transient_failure',
      'sent',
    ]);
    expect(receiver.on('/carol')).toHaveLength(2);
    expect(JSON.parse(receiver.on('/carol')[1]?.body ?? '{}').text).toContain('queue is down');

    const [daveLog] = await waitFor(async () => {
      const log = await notificationsOf(dave);
      return log[0]?.status === 'failed' ? log : undefined;
    });
    expect(((daveLog?.attempts ?? []) as Array<{ outcome: string }>).map((a) => a.outcome)).toEqual([
      'permanent_failure',
    ]);
    expect(receiver.on('/dave')).toHaveLength(1);
    const failed = (await incident(incidentId)).timeline.filter(
      (e: { kind: string }) => e.kind === 'notification_failed',
    );
    expect(failed).toHaveLength(1);
    // The receiver's answer is private to the person and admins (it may echo the address): in the metadata.
    expect(failed[0].metadata.detail).toContain('HTTP 404');
  });
  it("the alert's trace names the routing rule, the policy, who was on call and each notification attempt", async () => {
    const team = await createTeam('traced');
    const tracedSchedule = await createSchedule(team, 'traced');
    schedules.set(tracedSchedule, [alice.userId]);
    const policyId = await createPolicy(team, {
      levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: tracedSchedule }] }],
    });
    const { alertId, incidentId } = await fire('traced', 'traced-api');
    const trace = await waitFor(
      async () => {
        const body = (await as(admin, 'GET', `/api/alerts/${alertId}/trace`)).json();
        return body.entries.some((e: { kind: string }) => e.kind === 'notification_attempt') ? body : undefined;
      },
      10_000,
      'a notification attempt in the trace',
    );
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
