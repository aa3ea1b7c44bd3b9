import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/** GET /api/paging-health: each problem is listed, scoped to the viewer, and clears when fixed. */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let manager: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let team = '';

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });
const kinds = async (who: { apiKey: string }) => {
  const answer = await as(who, 'GET', '/api/paging-health');
  expect(answer.statusCode, answer.body).toBe(200);
  return (answer.json().problems as Array<{ kind: string; message: string }>).map((p) => `${p.kind}: ${p.message}`);
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  manager = await t.createUser(admin.apiKey, 'manager@example.com');
  member = await t.createUser(admin.apiKey, 'member@example.com');
  team = (await as(admin, 'POST', '/api/teams', { name: 'storage' })).json().id;
  await as(admin, 'POST', `/api/teams/${team}/members`, { userId: manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${team}/members`, { userId: member.userId });
});
afterAll(() => t.close());

describe('paging health', () => {
  it('lists each problem and clears each one when it is fixed', async () => {
    // A schedule whose rotation covers only now to now + 1 day, with a member who has no contact method.
    const schedule = (
      await as(manager, 'POST', '/api/schedules', { teamId: team, name: 'primary', timeZone: 'UTC' })
    ).json().id as string;
    const start = new Date(Date.now() - 60 * 60 * 1000);
    const layer = await as(manager, 'POST', `/api/schedules/${schedule}/layers`, {
      name: 'weekly',
      startsAt: start.toISOString(),
      turnUnit: 'days',
      turnLength: 1,
      participantIds: [member.userId],
      endsAt: new Date(start.getTime() + 2 * 24 * 60 * 60 * 1000).toISOString(),
    });
    expect(layer.statusCode, layer.body).toBe(201);
    // Email without SMTP (the test app has none) for the manager.
    expect(
      (await as(manager, 'POST', '/api/contact-methods', { type: 'email', address: 'manager@example.com' })).statusCode,
    ).toBe(201);
    // A policy naming a schedule that is deleted afterwards (a policy cannot be saved with one).
    const doomed = (
      await as(manager, 'POST', '/api/schedules', { teamId: team, name: 'doomed', timeZone: 'UTC' })
    ).json().id as string;
    const policy = await as(admin, 'POST', '/api/escalation-policies', {
      teamId: team,
      name: 'other',
      levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: doomed }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
    expect((await as(manager, 'DELETE', `/api/schedules/${doomed}`)).statusCode).toBe(204);

    const problems = await kinds(admin);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^channel-not-configured: Email is not configured .* 1 person relies/),
        'no-escalation-policy: storage has no default escalation policy: its incidents page nobody',
        'missing-escalation-target: Level 1 of the escalation policy other (storage) names a deleted schedule',
        expect.stringMatching(
          /^schedule-gap: primary \(storage\) has nobody on call for a stretch in the next 14 days/,
        ),
        'on-call-without-contact-method: member@example.com is on call for primary but has no contact method',
      ]),
    );
    // Anyone can ask which channels the server delivers on (the profile warns with it).
    const channels = (await as(member, 'GET', '/api/notification-channels')).json().channels;
    expect(channels).toContainEqual({ type: 'email', configured: false });
    // The manager sees their team's problems; a plain member may not look.
    const kindOf = (problem: string) => problem.split(':')[0];
    expect((await kinds(manager)).map(kindOf)).toEqual(problems.map(kindOf));
    expect((await as(member, 'GET', '/api/paging-health')).statusCode).toBe(403);

    // Fixed one by one, each goes away.
    const method = await as(member, 'POST', '/api/contact-methods', { type: 'email', address: 'member@example.com' });
    expect(method.statusCode, method.body).toBe(201);
    expect((await kinds(admin)).some((p) => p.startsWith('on-call-without-contact-method'))).toBe(false);
    await as(admin, 'PATCH', `/api/escalation-policies/${policy.json().id}`, {
      isDefault: true,
      levels: [{ delayMinutes: 5, targets: [{ type: 'schedule', id: schedule }] }],
    });
    const after = await kinds(admin);
    expect(after.some((p) => p.startsWith('no-escalation-policy'))).toBe(false);
    expect(after.some((p) => p.startsWith('missing-escalation-target'))).toBe(false);
    await as(manager, 'PATCH', `/api/schedules/${schedule}/layers/${layer.json().id}`, { endsAt: null });
    expect((await kinds(admin)).some((p) => p.startsWith('schedule-gap'))).toBe(false);
  });
});
