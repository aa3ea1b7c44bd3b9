import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * A team's managers run its membership: they add people, change roles and remove people in their
 * own team, every change audited; they cannot touch another team, make anyone platform admin, or
 * leave their team without a manager.
 */
type Who = { userId: string; apiKey: string };
let t: TestApp;
let admin: Who;
let manager: Who;
let newcomer: Who;
let otherManager: Who;
let disabled: Who;
let teamA = '';
let teamB = '';

const as = (who: Who, method: string, url: string, body?: unknown) => t.request({ method, url, key: who.apiKey, body });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  manager = await t.createUser(admin.apiKey, 'manager@example.com');
  newcomer = await t.createUser(admin.apiKey, 'newcomer@example.com');
  otherManager = await t.createUser(admin.apiKey, 'other@example.com');
  disabled = await t.createUser(admin.apiKey, 'gone@example.com');
  await as(admin, 'POST', `/api/users/${disabled.userId}/disable`);
  teamA = (await as(admin, 'POST', '/api/teams', { name: 'Storage' })).json().id;
  teamB = (await as(admin, 'POST', '/api/teams', { name: 'Network' })).json().id;
  await as(admin, 'POST', `/api/teams/${teamA}/members`, { userId: manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${teamB}/members`, { userId: otherManager.userId, role: 'manager' });
});
afterAll(() => t.close());

describe("a team's manager", () => {
  it('sees whom they may add: enabled people not in the team yet', async () => {
    const response = await as(manager, 'GET', `/api/teams/${teamA}/member-candidates`);
    expect(response.statusCode, response.body).toBe(200);
    const emails = response.json().candidates.map((candidate: { email: string }) => candidate.email);
    expect(emails).toContain('newcomer@example.com');
    expect(emails).toContain('other@example.com');
    expect(emails).not.toContain('manager@example.com');
    expect(emails).not.toContain('gone@example.com');
  });

  it('adds a member, changes their role and removes them, each change audited with its actor', async () => {
    const added = await as(manager, 'POST', `/api/teams/${teamA}/members`, { userId: newcomer.userId });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json()).toMatchObject({ userId: newcomer.userId, role: 'member', email: 'newcomer@example.com' });

    const promoted = await as(manager, 'PATCH', `/api/teams/${teamA}/members/${newcomer.userId}`, {
      role: 'manager',
    });
    expect(promoted.statusCode, promoted.body).toBe(200);
    expect(promoted.json().role).toBe('manager');

    const removed = await as(manager, 'DELETE', `/api/teams/${teamA}/members/${newcomer.userId}`);
    expect(removed.statusCode, removed.body).toBe(204);
    const members = (await as(manager, 'GET', `/api/teams/${teamA}/members`)).json().members;
    expect(members.map((member: { userId: string }) => member.userId)).toEqual([manager.userId]);

    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${teamA}&userId=${manager.userId}`)).json();
    expect(audit.entries.map((entry: { action: string }) => entry.action)).toEqual([
      'team.member_removed',
      'team.member_role_changed',
      'team.member_added',
    ]);
    expect(audit.entries[1].metadata).toMatchObject({ memberId: newcomer.userId, from: 'member', to: 'manager' });
  });

  it('cannot touch another team: it answers 404 as if it did not exist', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', `/api/teams/${teamB}/member-candidates`],
      ['POST', `/api/teams/${teamB}/members`, { userId: newcomer.userId }],
      ['PATCH', `/api/teams/${teamB}/members/${otherManager.userId}`, { role: 'member' }],
      ['DELETE', `/api/teams/${teamB}/members/${otherManager.userId}`],
    ];
    for (const [method, url, body] of attempts) {
      expect((await as(manager, method, url, body)).statusCode, `${method} ${url}`).toBe(404);
    }
    const members = (await as(admin, 'GET', `/api/teams/${teamB}/members`)).json().members;
    expect(members).toEqual([expect.objectContaining({ userId: otherManager.userId, role: 'manager' })]);
  });

  it('cannot make anyone platform admin, neither through the team nor through the users API', async () => {
    const throughTeam = await as(manager, 'POST', `/api/teams/${teamA}/members`, {
      userId: newcomer.userId,
      role: 'admin',
    });
    expect(throughTeam.statusCode).toBe(400);
    const extraField = await as(manager, 'POST', `/api/teams/${teamA}/members`, {
      userId: newcomer.userId,
      isPlatformAdmin: true,
    });
    expect(extraField.statusCode).toBe(400);
    const throughUsers = await as(manager, 'POST', '/api/users', { email: 'boss@example.com', isPlatformAdmin: true });
    expect(throughUsers.statusCode).toBe(403);
    const users = (await as(admin, 'GET', '/api/users')).json().users;
    expect(users.find((user: { id: string }) => user.id === newcomer.userId).isPlatformAdmin).toBe(false);
  });

  it('cannot leave the team without a manager, but an admin can', async () => {
    const demoted = await as(manager, 'PATCH', `/api/teams/${teamA}/members/${manager.userId}`, { role: 'member' });
    expect(demoted.statusCode).toBe(409);
    expect(demoted.json().type).toMatch(/\/last-team-manager$/);
    expect((await as(manager, 'DELETE', `/api/teams/${teamA}/members/${manager.userId}`)).statusCode).toBe(409);

    await as(manager, 'POST', `/api/teams/${teamA}/members`, { userId: newcomer.userId, role: 'manager' });
    const handedOver = await as(manager, 'PATCH', `/api/teams/${teamA}/members/${manager.userId}`, { role: 'member' });
    expect(handedOver.statusCode, handedOver.body).toBe(200);
    // Now a plain member: membership is no longer theirs to change.
    expect((await as(manager, 'DELETE', `/api/teams/${teamA}/members/${newcomer.userId}`)).statusCode).toBe(403);
    expect((await as(admin, 'DELETE', `/api/teams/${teamA}/members/${newcomer.userId}`)).statusCode).toBe(204);
  });
});
