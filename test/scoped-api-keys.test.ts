import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Least-privilege API keys (issue 18): read-only keys, keys limited to one team, expiring keys,
 * last-used time. A limited key never does more than its owner, nor more than its limits; a key
 * created without the new fields behaves exactly as before.
 */
type Who = { userId: string; apiKey: string };
let clockOffsetMs = 0;
let t: TestApp;
let admin: Who;
let both: Who;
let teamA = '';
let teamB = '';
const incidents: Record<'a' | 'b', string> = { a: '', b: '' };

const as = (key: string, method: string, url: string, body?: unknown) => t.request({ method, url, key, body });
const keyFor = async (owner: Who, body: Record<string, unknown>) => {
  const response = await as(owner.apiKey, 'POST', '/api/api-keys', { name: 'limited', ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; key: string; scope: string; teamId: string | null; expiresAt: string };
};

beforeAll(async () => {
  t = await createTestApp({ now: () => new Date(Date.now() + clockOffsetMs) });
  admin = await t.createAdmin();
  both = await t.createUser(admin.apiKey);
  teamA = (await as(admin.apiKey, 'POST', '/api/teams', { name: 'A' })).json().id;
  teamB = (await as(admin.apiKey, 'POST', '/api/teams', { name: 'B' })).json().id;
  for (const [team, label] of [
    [teamA, 'a'],
    [teamB, 'b'],
  ] as const) {
    await as(admin.apiKey, 'POST', `/api/teams/${team}/members`, { userId: both.userId, role: 'manager' });
    await as(admin.apiKey, 'POST', '/api/routing-rules', {
      name: label,
      teamId: team,
      matchers: [{ field: 'labels.team', op: 'equals', value: label }],
    });
  }
  const integration = await createIntegration(t, admin.apiKey, { name: 'scoped', type: 'generic' });
  for (const label of ['a', 'b'] as const) {
    await sendSigned(t, integration, { title: label, dedupKey: label, labels: { team: label } });
    const listed = (await as(admin.apiKey, 'GET', '/api/incidents')).json().incidents as Array<{
      id: string;
      title: string;
    }>;
    incidents[label] = listed.find((incident) => incident.title === label)?.id ?? '';
  }
});
afterAll(() => t.close());

describe('scoped API keys', () => {
  it('without the new fields a key is a full key, as before, and says so', async () => {
    const key = await keyFor(both, {});
    expect(key).toMatchObject({ scope: 'write', teamId: null, expiresAt: null });
    expect((await as(key.key, 'POST', `/api/incidents/${incidents.b}/notes`, { text: 'full' })).statusCode).toBe(201);
  });

  it('a read-only key reads, and gets 403 on every other method', async () => {
    const key = await keyFor(both, { scope: 'read' });
    expect((await as(key.key, 'GET', `/api/incidents/${incidents.a}`)).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['POST', `/api/incidents/${incidents.a}/notes`, { text: 'no' }],
      ['POST', `/api/incidents/${incidents.a}/acknowledge`, undefined],
      ['DELETE', `/api/api-keys/${key.id}`, undefined],
      ['POST', '/api/api-keys', { name: 'escape' }],
    ] as const) {
      const response = await as(key.key, method, url, body);
      expect(response.statusCode, `${method} ${url}`).toBe(403);
    }
    expect((await as(admin.apiKey, 'GET', `/api/incidents/${incidents.a}`)).json().status).toBe('triggered');
  });

  it("a team key sees and acts on that team's resources only", async () => {
    const key = await keyFor(both, { teamId: teamA });
    expect(key.teamId).toBe(teamA);
    const listed = (await as(key.key, 'GET', '/api/incidents')).json().incidents as Array<{ id: string }>;
    expect(listed.map((incident) => incident.id)).toEqual([incidents.a]);
    expect((await as(key.key, 'GET', `/api/incidents/${incidents.b}`)).statusCode).toBe(404);
    expect((await as(key.key, 'POST', `/api/incidents/${incidents.b}/notes`, { text: 'x' })).statusCode).toBe(404);
    expect((await as(key.key, 'POST', `/api/incidents/${incidents.a}/notes`, { text: 'x' })).statusCode).toBe(201);
    expect((await as(key.key, 'GET', '/api/teams')).json().teams.map((team: { id: string }) => team.id)).toEqual([
      teamA,
    ]);
    const schedule = { name: 'by key', timeZone: 'UTC' };
    expect((await as(key.key, 'POST', '/api/schedules', { ...schedule, teamId: teamB })).statusCode).toBe(404);
    expect((await as(key.key, 'POST', '/api/schedules', { ...schedule, teamId: teamA })).statusCode).toBe(201);
    // Keys it creates stay inside its team.
    expect((await as(key.key, 'POST', '/api/api-keys', { name: 'wider', teamId: teamB })).statusCode).toBe(403);
    const child = await as(key.key, 'POST', '/api/api-keys', { name: 'child' });
    expect(child.json().teamId).toBe(teamA);
  });

  it("an admin's team key is no platform admin: admin routes 403, other teams hidden", async () => {
    const key = await keyFor(admin, { teamId: teamA });
    expect((await as(key.key, 'GET', '/api/users')).statusCode).toBe(403);
    expect((await as(key.key, 'GET', '/api/audit-logs')).statusCode).toBe(403);
    expect((await as(key.key, 'GET', `/api/incidents/${incidents.b}`)).statusCode).toBe(404);
    expect((await as(key.key, 'GET', `/api/incidents/${incidents.a}`)).statusCode).toBe(200);
    expect((await as(key.key, 'POST', '/api/api-keys', { name: 'for someone', userId: both.userId })).statusCode).toBe(
      403,
    );
  });

  it('a key is limited to a team its owner belongs to: it never exceeds its owner', async () => {
    const loner = await t.createUser(admin.apiKey);
    const refused = await as(loner.apiKey, 'POST', '/api/api-keys', { name: 'x', teamId: teamA });
    expect(refused.statusCode, refused.body).toBe(404);
    expect(refused.json().type).toMatch(/\/team-not-found$/);
    const forLoner = await as(admin.apiKey, 'POST', '/api/api-keys', {
      name: 'x',
      userId: loner.userId,
      teamId: teamA,
    });
    expect(forLoner.statusCode).toBe(404);
  });

  it('expires: a past date is refused; a key stops working when its date passes', async () => {
    const past = await as(both.apiKey, 'POST', '/api/api-keys', { name: 'x', expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.statusCode).toBe(400);
    const soon = new Date(Date.now() + 60 * 60_000).toISOString();
    const key = await keyFor(both, { expiresAt: soon });
    expect(key.expiresAt).toBe(soon);
    expect((await as(key.key, 'GET', '/api/teams')).statusCode).toBe(200);
    clockOffsetMs = 61 * 60_000;
    try {
      expect((await as(key.key, 'GET', '/api/teams')).statusCode).toBe(401);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('the list shows scope, team, expiry and when each key was last used', async () => {
    const key = await keyFor(both, { scope: 'read', teamId: teamB });
    await as(key.key, 'GET', '/api/teams');
    const listed = (await as(both.apiKey, 'GET', '/api/api-keys')).json().apiKeys as Array<Record<string, unknown>>;
    const entry = listed.find((candidate) => candidate.id === key.id);
    expect(entry).toMatchObject({ scope: 'read', teamId: teamB, expiresAt: null });
    await expect
      .poll(async () => {
        const again = (await as(both.apiKey, 'GET', '/api/api-keys')).json().apiKeys as Array<Record<string, unknown>>;
        return again.find((candidate) => candidate.id === key.id)?.lastUsedAt;
      })
      .not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(key.key);
  });
});
