import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linksIn, startReceiver, startSmtpServer } from '../../../test/helpers/paging.js';
import { createPagingHarness, HARNESS_START, type PagingHarness } from '../../../test/helpers/paging-harness.js';
import { urgencySettingsBody } from '../urgency/urgency.schema.js';

/**
 * Escalation as the services run it, without HTTP or the job queue: the test's clock moves and
 * `runDue()` runs what is due, as pg-boss would (the job adapter's own timers are tested in
 * test/escalation-timers.test.ts). Deliveries are real: a loopback SMTP server and an HTTP
 * receiver that verifies Standard Webhooks signatures with the official library.
 */
let h: PagingHarness;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const people = { alice: '', bob: '' };

const kindsOf = async (incidentId: string) => (await h.timeline(incidentId)).map((entry) => entry.kind);
const at = (minutes: number) => new Date(HARNESS_START.getTime() + minutes * 60_000);

/** Where the clock is in minutes since the harness started (each test moves it on). */
const minutesNow = () => (h.now().getTime() - HARNESS_START.getTime()) / 60_000;

beforeAll(async () => {
  smtp = await startSmtpServer();
  // Messages carry the harness's time: signatures are checked against it.
  receiver = await startReceiver({ now: () => h.now() });
  h = await createPagingHarness({
    incidents: { smtpUrl: smtp.url, smtpFrom: 'Klaxon <klaxon@example.com>' },
    retryLimit: 2,
  });
  people.alice = (await h.createUser('alice@example.com')).id;
  people.bob = (await h.createUser('bob@example.com')).id;
  // Alice: a signed webhook. Bob: email.
  const hook = await h.webhookMethod(people.alice, receiver.url('/alice'));
  expect(hook.signingSecret).toMatch(/^whsec_/);
  receiver.verifyWith('/alice', hook.signingSecret);
  await h.services.contactMethodsService.create(h.admin, {
    type: 'email',
    address: 'bob@example.com',
    userId: people.bob,
  });
}, 60_000);

afterAll(async () => {
  await h?.close();
  await smtp?.close();
  await receiver?.close();
});

describe('escalation steps', () => {
  it('walks two levels (a user, then a schedule) and one repeat at their delays, then stops; one notification per key', async () => {
    const team = await h.team('walk', [people.alice, people.bob]);
    const schedule = await h.services.schedulesService.create({ teamId: team, name: 'walk', timeZone: 'UTC' }, h.admin);
    h.schedules.set(schedule.id, [people.bob]);
    await h.policy(team, {
      repeatCount: 1,
      levels: [
        { delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] },
        { delayMinutes: 1, targets: [{ type: 'schedule', id: schedule.id }] },
      ],
    });
    const start = minutesNow();
    const mailsBefore = smtp.mails.length;
    const { incidentId } = await h.fire('walk', 'db-primary');

    // Each minute one level: Alice, Bob, Alice (round 2), Bob (round 2); nobody before their minute.
    const paged: Array<[number, number]> = [];
    for (let minute = 0; minute <= 5; minute += 1) {
      await (minute === 0 ? h.runDue() : h.advance(1));
      paged.push([receiver.on('/alice').length, smtp.mails.length - mailsBefore]);
    }
    expect(paged).toEqual([
      [1, 0],
      [1, 1],
      [2, 1],
      [2, 2],
      [2, 2],
      [2, 2],
    ]);

    const hooks = receiver.on('/alice');
    expect(hooks.every((r) => r.verified === true)).toBe(true);
    expect(new Set(hooks.map((r) => r.headers['webhook-id'])).size).toBe(2);
    const payloads = hooks.map((r) => JSON.parse(r.body));
    const incident = await h.incident(incidentId);
    expect(payloads[0]).toMatchObject({
      type: 'incident.notification',
      data: { incidentId, severity: 'critical', teamName: 'walk', incidentNumber: incident.number },
    });
    const mails = smtp.mails.slice(mailsBefore);
    expect(mails[0]?.to).toEqual(['bob@example.com']);
    expect(mails[0]?.raw).toContain(`#${incident.number} db-primary is down`);
    expect(linksIn(mails[0]?.raw ?? '').acknowledge).toMatch(
      /^https:\/\/klaxon\.example\.com\/api\/incidents\/actions\//,
    );

    expect(incident).toMatchObject({ status: 'triggered', escalationLevel: null, nextEscalationAt: null });
    const timeline = await h.timeline(incidentId);
    const escalations = timeline
      .filter((e) => e.kind === 'escalated')
      .map((e) => [e.metadata.level, e.metadata.repetition, e.createdAt.getTime() - at(start).getTime()]);
    expect(escalations).toEqual([
      [0, 0, 0],
      [1, 0, 60_000],
      [0, 1, 120_000],
      [1, 1, 180_000],
    ]);
    const messages = timeline.map((e) => e.message);
    expect(messages).toContain('Escalated to level 1 (round 1): alice@example.com');
    expect(messages).toContain('Escalated to level 2 (round 2): bob@example.com (on call for walk)');
    expect(messages).toContain('Notified bob@example.com by email');
    expect(timeline.filter((e) => e.kind === 'escalation_exhausted')).toHaveLength(1);
    expect(timeline.filter((e) => e.kind === 'notification_sent')).toHaveLength(4);

    const sent = await h.notifications(incidentId);
    expect(sent.map((n) => [n.level, n.repetition, n.userId, n.status])).toEqual([
      [0, 0, people.alice, 'sent'],
      [1, 0, people.bob, 'sent'],
      [0, 1, people.alice, 'sent'],
      [1, 1, people.bob, 'sent'],
    ]);

    // A step job that comes again (a retry, a second process) finds the cursor moved on: nothing happens.
    expect(await h.services.escalationEngine.runStep({ incidentId, level: 1, repetition: 0 })).toBe('stale');
    expect(await h.notifications(incidentId)).toHaveLength(4);
  });

  it('records nobody on call and moves to the next level at once', async () => {
    const team = await h.team('empty', [people.alice]);
    const schedule = await h.services.schedulesService.create(
      { teamId: team, name: 'empty', timeZone: 'UTC' },
      h.admin,
    );
    await h.policy(team, {
      levels: [
        { delayMinutes: 30, targets: [{ type: 'schedule', id: schedule.id }] },
        { delayMinutes: 30, targets: [{ type: 'user', id: people.alice }] },
      ],
    });
    const before = receiver.on('/alice').length;
    const { incidentId } = await h.fire('empty', 'cache');
    // The first level's 30 minutes are not waited: nobody was there.
    expect(await h.runDue()).toEqual(expect.arrayContaining(['step 0:0', 'step 1:0']));
    expect(receiver.on('/alice').length).toBe(before + 1);
    const nobody = (await h.timeline(incidentId)).filter((e) => e.kind === 'nobody_on_call');
    expect(nobody.map((e) => [e.message, e.metadata])).toEqual([
      ['Nobody on call for empty at level 1', { level: 0, repetition: 0, scheduleIds: [schedule.id] }],
      ['Nobody to notify at level 1: moving on at once', { level: 0, repetition: 0 }],
    ]);
    const paged = (await h.notifications(incidentId)).map((n) => [n.level, n.createdAt]);
    expect(paged).toEqual([[1, h.now()]]);
  });

  it('a level targeting the team pages everyone on it when the level runs', async () => {
    const team = await h.team('everyone', [people.alice, people.bob]);
    await h.policy(team, { levels: [{ delayMinutes: 5, targets: [{ type: 'team', id: team }] }] });
    const mailsBefore = smtp.mails.length;
    const hooksBefore = receiver.on('/alice').length;
    const { incidentId } = await h.fire('everyone', 'whole-team');
    await h.runDue();
    expect([smtp.mails.length - mailsBefore, receiver.on('/alice').length - hooksBefore]).toEqual([1, 1]);
    const escalated = (await h.timeline(incidentId)).find((e) => e.kind === 'escalated');
    expect(new Set(escalated?.metadata.userIds as string[])).toEqual(new Set([people.alice, people.bob]));
  });

  it('acknowledging stops escalation: the next level never runs and the pending step is stale', async () => {
    const team = await h.team('ack', [people.alice, people.bob]);
    await h.policy(team, {
      levels: [
        { delayMinutes: 2, targets: [{ type: 'user', id: people.bob }] },
        { delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] },
      ],
    });
    const hooksBefore = receiver.on('/alice').length;
    const { incidentId, alertId } = await h.fire('ack', 'api-gateway');
    await h.runDue();
    const acknowledged = await h.services.incidentsService.acknowledge(h.admin, incidentId);
    expect(acknowledged).toMatchObject({ status: 'acknowledged', escalationLevel: null, nextEscalationAt: null });
    expect((await h.services.alertsService.get(h.admin, alertId)).alert.status).toBe('acknowledged');

    // Level 2 (Alice) was due 2 minutes after level 1: it never comes.
    expect(await h.advance(10)).toEqual([]);
    expect(receiver.on('/alice').length).toBe(hooksBefore);
    expect(await h.services.escalationEngine.runStep({ incidentId, level: 1, repetition: 0 })).toBe('stale');
    expect((await kindsOf(incidentId)).filter((kind) => kind === 'escalated')).toHaveLength(1);
  });
});

describe('notification rules', () => {
  it("follow each person's delays; an acknowledgement cancels the ones not yet sent", async () => {
    const carol = (await h.createUser('carol@example.com')).id;
    const now = await h.webhookMethod(carol, receiver.url('/carol-now'));
    const later = await h.webhookMethod(carol, receiver.url('/carol-later'));
    await h.services.contactMethodsService.createRule(h.admin, { contactMethodId: now.method.id, delayMinutes: 0 });
    await h.services.contactMethodsService.createRule(h.admin, { contactMethodId: later.method.id, delayMinutes: 3 });
    const team = await h.team('rules', [carol]);
    await h.policy(team, { levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: carol }] }] });

    const first = await h.fire('rules', 'rules-first');
    await h.runDue();
    expect([receiver.on('/carol-now').length, receiver.on('/carol-later').length]).toEqual([1, 0]);
    await h.advance(2);
    expect(receiver.on('/carol-later')).toHaveLength(0);
    await h.advance(1);
    expect([receiver.on('/carol-now').length, receiver.on('/carol-later').length]).toEqual([1, 1]);
    const planned = await h.notifications(first.incidentId);
    expect(planned.map((n) => [n.ruleDelayMinutes, n.scheduledAt.getTime() - n.createdAt.getTime(), n.status])).toEqual(
      [
        [0, 0, 'sent'],
        [3, 180_000, 'sent'],
      ],
    );

    // Acknowledged within the three minutes: the delayed notification is cancelled, never sent.
    const second = await h.fire('rules', 'rules-second');
    await h.runDue();
    await h.services.incidentsService.acknowledge(h.admin, second.incidentId);
    await h.advance(5);
    expect([receiver.on('/carol-now').length, receiver.on('/carol-later').length]).toEqual([2, 1]);
    expect((await h.notifications(second.incidentId)).map((n) => [n.ruleDelayMinutes, n.status])).toEqual([
      [0, 'sent'],
      [3, 'cancelled'],
    ]);
  });

  it('reassigning a triggered incident pages the new assignee at once on their rules', async () => {
    const team = await h.team('reassign', [people.alice, people.bob]);
    await h.policy(team, { levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: people.bob }] }] });
    const { incidentId } = await h.fire('reassign', 'reassigned-db');
    await h.runDue();
    const hooksBefore = receiver.on('/alice').length;
    await h.services.incidentsService.reassign(h.admin, incidentId, people.alice);
    await h.runDue();
    expect(receiver.on('/alice').length).toBe(hooksBefore + 1);
    const reassigned = (await h.notifications(incidentId)).filter((n) => n.userId === people.alice);
    expect(reassigned.map((n) => [n.level, n.repetition, n.status])).toEqual([[-1, 1, 'sent']]);
    expect(JSON.parse(receiver.on('/alice').at(-1)?.body ?? '{}').data.reason).toBe('The incident was assigned to you');
  });
});

describe('urgency', () => {
  it('a low-urgency incident outside support hours is paged when they begin, on the low-urgency rules', async () => {
    const gail = (await h.createUser('gail@example.com')).id;
    const urgent = await h.webhookMethod(gail, receiver.url('/gail-urgent'));
    const calm = await h.webhookMethod(gail, receiver.url('/gail-calm'));
    const rules = h.services.contactMethodsService;
    await rules.createRule(h.admin, { contactMethodId: urgent.method.id, delayMinutes: 0, urgency: 'high' });
    await rules.createRule(h.admin, { contactMethodId: calm.method.id, delayMinutes: 0, urgency: 'low' });
    const team = await h.team('support-hours', [gail]);
    // Support hours on Tuesdays only: it is Monday.
    await h.services.urgencyService.set(
      h.admin,
      team,
      urgencySettingsBody.parse({
        highUrgencySeverities: ['critical', 'error'],
        timeZone: 'UTC',
        windows: [{ day: 2, start: '09:00', end: '17:00' }],
        outsideHours: 'defer',
      }),
    );
    await h.policy(team, { levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: gail }] }] });
    const tuesday = new Date('2026-03-03T09:00:00Z');
    expect(h.now().getTime()).toBeLessThan(tuesday.getTime());

    const low = await h.fire('support-hours', 'disk-filling', { severity: 'warning' });
    expect(await h.incident(low.incidentId)).toMatchObject({ urgency: 'low', nextEscalationAt: tuesday });
    const high = await h.fire('support-hours', 'disk-full', { severity: 'critical' });
    expect((await h.incident(high.incidentId)).urgency).toBe('high');
    await h.runDue();
    expect([receiver.on('/gail-urgent').length, receiver.on('/gail-calm').length]).toEqual([1, 0]);
    expect((await h.timeline(low.incidentId)).find((e) => e.kind === 'paging_deferred')?.message).toBe(
      'Low urgency outside support hours: deferred until 2026-03-03T09:00 UTC',
    );

    // Not a second early; at the start of support hours, on the low-urgency rule.
    await h.advance((tuesday.getTime() - h.now().getTime()) / 60_000 - 1 / 60);
    expect(receiver.on('/gail-calm')).toHaveLength(0);
    await h.advance(1 / 60);
    expect([receiver.on('/gail-urgent').length, receiver.on('/gail-calm').length]).toEqual([1, 1]);
    expect((await h.notifications(low.incidentId)).map((n) => [n.contactMethodId, n.scheduledAt])).toEqual([
      [calm.method.id, tuesday],
    ]);
  });
});

describe('delivery failures', () => {
  it('retries transient failures and puts permanent failures and exhausted retries on the timeline', async () => {
    const dave = (await h.createUser('dave@example.com')).id;
    const erin = (await h.createUser('erin@example.com')).id;
    const fred = (await h.createUser('fred@example.com')).id;
    await h.webhookMethod(dave, receiver.url('/dave'));
    await h.webhookMethod(erin, receiver.url('/erin'));
    await h.webhookMethod(fred, receiver.url('/fred'));
    receiver.script('/dave', [503]);
    receiver.script('/erin', [404]);
    receiver.script('/fred', [503, 503, 503]);
    const team = await h.team('flaky', [dave, erin, fred]);
    await h.policy(team, {
      levels: [
        {
          delayMinutes: 1,
          targets: [
            { type: 'user', id: dave },
            { type: 'user', id: erin },
            { type: 'user', id: fred },
          ],
        },
      ],
    });
    const { incidentId } = await h.fire('flaky', 'queue');
    // The first tries, then two retries (the retry limit): the send job's three runs.
    await h.runDue();
    await h.runDue();
    await h.runDue();
    expect(await h.runDue()).toEqual([]);

    const byUser = new Map((await h.notifications(incidentId)).map((n) => [n.userId, n]));
    const outcomes = async (userId: string) =>
      (await h.notificationsRepository.listAttempts(h.database.db, [byUser.get(userId)?.id ?? ''])).map(
        (attempt) => attempt.outcome,
      );
    expect([byUser.get(dave)?.status, await outcomes(dave)]).toEqual(['sent', ['transient_failure', 'sent']]);
    expect([byUser.get(erin)?.status, await outcomes(erin)]).toEqual(['failed', ['permanent_failure']]);
    expect([byUser.get(fred)?.status, await outcomes(fred)]).toEqual([
      'failed',
      ['transient_failure', 'transient_failure', 'transient_failure'],
    ]);
    expect([receiver.on('/dave').length, receiver.on('/erin').length, receiver.on('/fred').length]).toEqual([2, 1, 3]);
    expect(JSON.parse(receiver.on('/dave')[1]?.body ?? '{}').data.title).toContain('queue is down');

    const failed = (await h.timeline(incidentId)).filter((e) => e.kind === 'notification_failed');
    expect(failed.map((e) => e.message)).toEqual([
      'Could not notify erin@example.com by webhook after 1 attempt',
      'Could not notify fred@example.com by webhook after 3 attempts',
    ]);
    // The receiver's answer is private to the person and admins (it may echo the address): in the metadata.
    expect(failed[0]?.metadata.detail).toContain('HTTP 404');
  });
});

describe('the reconciliation', () => {
  it('finds a notification whose sender died mid-send once its lease ran out, not before', async () => {
    const team = await h.team('lease', [people.alice]);
    await h.policy(team, { levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] }] });
    const { incidentId } = await h.fire('lease', 'lease-1');
    await h.runDue();
    const [notification] = await h.notifications(incidentId);
    if (notification === undefined) throw new Error('no notification');
    // As if a process had claimed it and died: sending, under a lease of this long from now.
    const leasedFor = (ms: number) =>
      h.notificationsRepository.finish(
        h.database.db,
        notification.id,
        { status: 'sending', claimedUntil: new Date(h.now().getTime() + ms) },
        h.now(),
      );
    const overdue = async () =>
      (await h.notificationsRepository.listOverduePending(h.database.db, h.now(), 1_000)).map((row) => row.id);
    await leasedFor(45_000);
    expect(await overdue()).not.toContain(notification.id);
    await leasedFor(-1_000);
    expect(await overdue()).toContain(notification.id);
  });
});
