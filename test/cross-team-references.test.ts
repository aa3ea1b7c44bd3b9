import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escalationPolicies } from '../src/db/schema/index.js';
import type { Channels } from '../src/modules/notifications/channels.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Probe findings 1, 2 and 7 of issue 18: every id one team's resource stores about another
 * (policy targets, incident assignee, override and layer users, contact method owner) stays inside
 * the owning team, when written and when used; timelines never show a contact address to others;
 * valid input never gives a 500.
 */
type Who = { userId: string; apiKey: string };
let t: TestApp;
let admin: Who;
let managerA: Who;
let memberA: Who;
let onCallA: Who;
let managerB: Who;
let memberB: Who;
let teamA = '';
let teamB = '';
let scheduleA = '';
let scheduleB = '';
let integration: Awaited<ReturnType<typeof createIntegration>>;
const SLACK_URL = 'http://127.0.0.1:9/services/T0000/B0000/very-secret-token';

const as = (who: Who, method: string, url: string, body?: unknown) => t.request({ method, url, key: who.apiKey, body });
let sends = 0;
// Every send succeeds; where it would go is the point, not the delivery.
const channels: Channels = {
  canEmail: true,
  send: async () => {
    sends += 1;
    return { outcome: 'sent', detail: 'ok from https://hooks.example/secret-path' };
  },
  sendMail: async () => ({ outcome: 'sent', detail: null }),
  close: () => {},
};

async function createTeam(name: string, manager: Who, members: Who[]) {
  const id = (await as(admin, 'POST', '/api/teams', { name })).json().id as string;
  await as(admin, 'POST', `/api/teams/${id}/members`, { userId: manager.userId, role: 'manager' });
  for (const who of members) await as(admin, 'POST', `/api/teams/${id}/members`, { userId: who.userId });
  const rule = await as(admin, 'POST', '/api/routing-rules', {
    name: `to ${name}`,
    teamId: id,
    matchers: [{ field: 'labels.team', op: 'equals', value: name }],
  });
  expect(rule.statusCode, rule.body).toBe(201);
  return id;
}

async function createSchedule(manager: Who, teamId: string, participants: Who[]) {
  const schedule = await as(manager, 'POST', '/api/schedules', { teamId, name: 'primary', timeZone: 'UTC' });
  expect(schedule.statusCode, schedule.body).toBe(201);
  const id = schedule.json().id as string;
  const layer = await as(manager, 'POST', `/api/schedules/${id}/layers`, {
    name: 'everyone',
    startsAt: '2020-01-06T00:00:00Z',
    turnUnit: 'days',
    turnLength: 1,
    participantIds: participants.map((who) => who.userId),
  });
  expect(layer.statusCode, layer.body).toBe(201);
  return id;
}

async function fire(team: string, title: string) {
  const response = await sendSigned(t, integration, { title, dedupKey: title, severity: 'critical', labels: { team } });
  expect(response.statusCode, response.body).toBe(202);
  const listed = (await as(admin, 'GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
  const incident = listed.find((candidate) => candidate.title === title);
  if (incident === undefined) throw new Error(`no incident for ${title}`);
  return incident.id;
}

const timelineOf = async (who: Who, incidentId: string) => {
  const response = await as(who, 'GET', `/api/incidents/${incidentId}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json().timeline as Array<{ kind: string; message: string; metadata: Record<string, unknown> }>;
};

beforeAll(async () => {
  t = await createTestApp({ incidents: { ...allowLoopbackReceivers, channels } });
  admin = await t.createAdmin();
  const people: Who[] = [];
  for (let i = 0; i < 5; i++) people.push(await t.createUser(admin.apiKey));
  [managerA, memberA, onCallA, managerB, memberB] = people as [Who, Who, Who, Who, Who];
  teamA = await createTeam('alpha', managerA, [memberA, onCallA]);
  teamB = await createTeam('bravo', managerB, [memberB]);
  scheduleA = await createSchedule(managerA, teamA, [onCallA]);
  scheduleB = await createSchedule(managerB, teamB, [memberB]);
  integration = await createIntegration(t, admin.apiKey, { name: 'cross-team', type: 'generic' });
});
afterAll(() => t.close());

const policyBody = (targets: Array<{ type: 'user' | 'schedule'; id: string }>, name = 'p') => ({
  teamId: teamA,
  name,
  levels: [{ delayMinutes: 5, targets }],
});

describe('finding 1: references are checked when written', () => {
  it("a policy of team A may not target team B's schedule, nor anyone outside team A — admins included", async () => {
    for (const who of [managerA, admin]) {
      for (const target of [
        { type: 'schedule' as const, id: scheduleB },
        { type: 'user' as const, id: memberB.userId },
        { type: 'user' as const, id: managerB.userId },
      ]) {
        const refused = await as(who, 'POST', '/api/escalation-policies', policyBody([target]));
        expect(refused.statusCode, refused.body).toBe(400);
        expect(refused.json().type).toMatch(/\/validation-failed$/);
        expect(refused.json().errors[0].path).toBe('levels');
      }
    }
    const ok = await as(
      managerA,
      'POST',
      '/api/escalation-policies',
      policyBody([
        { type: 'schedule', id: scheduleA },
        { type: 'user', id: memberA.userId },
      ]),
    );
    expect(ok.statusCode, ok.body).toBe(201);
    const patched = await as(managerA, 'PATCH', `/api/escalation-policies/${ok.json().id}`, {
      levels: [{ delayMinutes: 1, targets: [{ type: 'schedule', id: scheduleB }] }],
    });
    expect(patched.statusCode, patched.body).toBe(400);
    const stored = (await as(admin, 'GET', `/api/escalation-policies/${ok.json().id}`)).json();
    expect(stored.levels[0].targets).toContainEqual({ type: 'schedule', id: scheduleA });
  });

  it("an unknown schedule or user answers exactly as another team's does", async () => {
    const unknown = '00000000-0000-7000-8000-000000000000';
    const ofUnknown = await as(
      managerA,
      'POST',
      '/api/escalation-policies',
      policyBody([{ type: 'schedule', id: unknown }]),
    );
    const ofOther = await as(
      managerA,
      'POST',
      '/api/escalation-policies',
      policyBody([{ type: 'schedule', id: scheduleB }]),
    );
    expect([ofUnknown.statusCode, ofOther.statusCode]).toEqual([400, 400]);
    expect(ofUnknown.json().errors[0].message.replace(unknown, 'X')).toBe(
      ofOther.json().errors[0].message.replace(scheduleB, 'X'),
    );
  });

  it('an incident is reassigned only to a member of its team', async () => {
    const incidentId = await fire('alpha', 'reassign-me');
    for (const stranger of [memberB.userId, managerB.userId]) {
      const refused = await as(memberA, 'POST', `/api/incidents/${incidentId}/reassign`, { userId: stranger });
      expect(refused.statusCode, refused.body).toBe(404);
      expect(refused.json().type).toMatch(/\/user-not-found$/);
      expect((await as(admin, 'POST', `/api/incidents/${incidentId}/reassign`, { userId: stranger })).statusCode).toBe(
        404,
      );
    }
    expect((await as(admin, 'GET', `/api/incidents/${incidentId}`)).json().assigneeUserId).toBeNull();
    const ok = await as(memberA, 'POST', `/api/incidents/${incidentId}/reassign`, { userId: onCallA.userId });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json().assigneeUserId).toBe(onCallA.userId);
  });

  it("overrides and layer participants name members of the schedule's team only", async () => {
    const override = await as(admin, 'POST', `/api/schedules/${scheduleA}/overrides`, {
      userId: memberB.userId,
      startsAt: '2030-01-01T00:00:00Z',
      endsAt: '2030-01-02T00:00:00Z',
    });
    expect(override.statusCode, override.body).toBe(400);
    const layer = await as(managerA, 'POST', `/api/schedules/${scheduleA}/layers`, {
      name: 'sneaky',
      startsAt: '2030-01-01T00:00:00Z',
      turnUnit: 'days',
      turnLength: 1,
      participantIds: [memberB.userId],
    });
    expect(layer.statusCode, layer.body).toBe(400);
  });

  it("a contact method's owner: oneself; admins anyone who exists (finding 7: an unknown user is a 404, not a 500)", async () => {
    const body = { type: 'email', address: 'someone@example.com' };
    expect((await as(memberA, 'POST', '/api/contact-methods', { ...body, userId: memberB.userId })).statusCode).toBe(
      403,
    );
    const unknown = await as(admin, 'POST', '/api/contact-methods', {
      ...body,
      userId: '00000000-0000-7000-8000-000000000000',
    });
    expect(unknown.statusCode, unknown.body).toBe(404);
    expect(unknown.json().type).toMatch(/\/user-not-found$/);
    expect((await as(admin, 'POST', '/api/contact-methods', { ...body, userId: memberB.userId })).statusCode).toBe(201);
  });
});

describe('finding 1: references are checked when used', () => {
  it('the engine skips and records targets that left the team, and schedules not of the team', async () => {
    for (const who of [memberA, onCallA]) {
      expect((await as(who, 'POST', '/api/contact-methods', { type: 'slack', address: SLACK_URL })).statusCode).toBe(
        201,
      );
    }
    const created = await as(
      managerA,
      'POST',
      '/api/escalation-policies',
      policyBody(
        [
          { type: 'user', id: memberA.userId },
          { type: 'schedule', id: scheduleA },
        ],
        'default',
      ),
    );
    expect(created.statusCode, created.body).toBe(201);
    const policyId = created.json().id as string;
    expect((await as(managerA, 'PATCH', `/api/escalation-policies/${policyId}`, { isDefault: true })).statusCode).toBe(
      200,
    );
    // As a policy saved before references were checked could: team B's schedule among the targets.
    const [row] = await t.database.db.select().from(escalationPolicies).where(eq(escalationPolicies.id, policyId));
    const levels = row?.levels ?? [];
    levels[0]?.targets.push({ type: 'schedule', id: scheduleB });
    await t.database.db.update(escalationPolicies).set({ levels }).where(eq(escalationPolicies.id, policyId));

    // memberA leaves team A after the policy was saved.
    expect((await as(admin, 'DELETE', `/api/teams/${teamA}/members/${memberA.userId}`)).statusCode).toBe(204);
    const incidentId = await fire('alpha', 'use-time');
    expect(await t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 })).toBe('ran');

    const timeline = await timelineOf(admin, incidentId);
    expect(timeline.find((entry) => entry.kind === 'target_skipped')?.metadata).toMatchObject({
      userIds: [memberA.userId],
      scheduleIds: [scheduleB],
    });
    expect(timeline.find((entry) => entry.kind === 'escalated')?.metadata).toMatchObject({ userIds: [onCallA.userId] });
    const paged = async (who: Who) =>
      (await as(admin, 'GET', `/api/notifications?userId=${who.userId}`)).json().notifications as unknown[];
    expect(await paged(memberA)).toEqual([]);
    expect(await paged(memberB)).toEqual([]);
    expect(await paged(onCallA)).toHaveLength(1);

    // The person on call leaves too: the schedule still names them, but they are not paged.
    expect((await as(admin, 'DELETE', `/api/teams/${teamA}/members/${onCallA.userId}`)).statusCode).toBe(204);
    // Their notification planned before they left is not sent either.
    const [planned] = (await as(admin, 'GET', `/api/notifications?userId=${onCallA.userId}`)).json()
      .notifications as Array<{ id: string }>;
    const sendsBefore = sends;
    await t.services.escalationEngine.sendNotificationNow(planned?.id ?? '');
    expect(sends).toBe(sendsBefore);
    const [cancelled] = (await as(admin, 'GET', `/api/notifications?userId=${onCallA.userId}`)).json().notifications;
    expect(cancelled.status).toBe('cancelled');
    const later = await fire('alpha', 'use-time-2');
    await t.services.escalationEngine.runStep({ incidentId: later, level: 0, repetition: 0 });
    const skipped = (await timelineOf(admin, later)).find((entry) => entry.kind === 'target_skipped');
    expect(((skipped?.metadata.userIds ?? []) as string[]).sort()).toEqual([memberA.userId, onCallA.userId].sort());
    expect(await paged(onCallA)).toHaveLength(1);
    await as(admin, 'POST', `/api/teams/${teamA}/members`, { userId: onCallA.userId });
  });
});

describe('finding 2: contact addresses in timelines', () => {
  it('the timeline names the channel and the person; the address only to that person and admins', async () => {
    const incidentId = await fire('alpha', 'address-privacy');
    await t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 });
    const [notification] = (await as(admin, 'GET', `/api/notifications?userId=${onCallA.userId}`)).json()
      .notifications as Array<{ id: string; incidentId: string }>;
    expect(notification?.incidentId).toBe(incidentId);
    await t.services.escalationEngine.sendNotificationNow(notification?.id ?? '');

    const sentTo = (timeline: Awaited<ReturnType<typeof timelineOf>>) =>
      timeline.find((entry) => entry.kind === 'notification_sent');
    const forTeammate = sentTo(await timelineOf(managerA, incidentId));
    expect(forTeammate).toMatchObject({
      message: expect.stringMatching(/^Notified \S+ by slack$/),
      metadata: { userId: onCallA.userId },
    });
    expect(JSON.stringify(forTeammate)).not.toContain('very-secret-token');
    expect(JSON.stringify(forTeammate)).not.toContain('secret-path');
    for (const entitled of [onCallA, admin]) {
      expect(sentTo(await timelineOf(entitled, incidentId))?.metadata).toMatchObject({ address: SLACK_URL });
    }
  });
});

describe('finding 7: valid input never gives a 500', () => {
  it('overrides listed without from/to, from alone, or to alone', async () => {
    for (const query of ['', '?from=2020-01-01T00:00:00Z', '?to=2040-01-01T00:00:00Z']) {
      const response = await as(managerA, 'GET', `/api/schedules/${scheduleA}/overrides${query}`);
      expect(response.statusCode, `${query}: ${response.body}`).toBe(200);
    }
  });

  it('who is on call at the last instant of year 9999, and at the first of year 1', async () => {
    for (const at of ['9999-12-31T23:59:59Z', '0001-01-01T00:00:00Z']) {
      const response = await as(managerA, 'GET', `/api/schedules/${scheduleA}/oncall?at=${at}`);
      expect(response.statusCode, `${at}: ${response.body}`).toBeLessThan(500);
      const spans = await as(managerA, 'GET', `/api/schedules/${scheduleA}/spans?from=${at}`);
      expect(spans.statusCode, `${at}: ${spans.body}`).toBeLessThan(500);
    }
  });
});
