import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Team-scoped access: platform admins see and manage everything; a team member lists, reads,
 * acknowledges and resolves the alerts routed to their teams; everyone else gets 404 for those
 * alerts and 403 for administration.
 */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let memberA: { userId: string; apiKey: string };
let memberAB: { userId: string; apiKey: string };
let outsider: { userId: string; apiKey: string };
let teamA = '';
let teamB = '';
const alertIds = { a: '', b: '', none: '' };

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  [memberA, memberAB, outsider] = [
    await t.createUser(admin.apiKey),
    await t.createUser(admin.apiKey),
    await t.createUser(admin.apiKey),
  ];
  teamA = (await as(admin, 'POST', '/api/teams', { name: 'Team A' })).json().id;
  teamB = (await as(admin, 'POST', '/api/teams', { name: 'Team B' })).json().id;
  await as(admin, 'POST', `/api/teams/${teamA}/members`, { userId: memberA.userId });
  await as(admin, 'POST', `/api/teams/${teamA}/members`, { userId: memberAB.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${teamB}/members`, { userId: memberAB.userId });
  for (const [label, teamId] of [
    ['a', teamA],
    ['b', teamB],
  ]) {
    const rule = await as(admin, 'POST', '/api/routing-rules', {
      name: `label team=${label}`,
      teamId,
      matchers: [{ field: 'labels.team', op: 'equals', value: label }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
  }
  const integration = await createIntegration(t, admin.apiKey, { name: 'access', type: 'generic' });
  const fire = async (dedupKey: string, labels: Record<string, string>) =>
    (await sendSigned(t, integration, { title: dedupKey, dedupKey, labels })).json().alerts[0].id as string;
  alertIds.a = await fire('for-a', { team: 'a' });
  alertIds.b = await fire('for-b', { team: 'b' });
  alertIds.none = await fire('for-nobody', {});
});
afterAll(() => t.close());

const listedIds = async (who: { apiKey: string }, query = '') => {
  const response = await as(who, 'GET', `/api/alerts${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json().alerts as Array<{ id: string }>).map((a) => a.id).sort();
};

describe('alerts', () => {
  it('lists: admin all, members their teams only, outsiders nothing', async () => {
    expect(await listedIds(admin)).toEqual([alertIds.a, alertIds.b, alertIds.none].sort());
    expect(await listedIds(memberA)).toEqual([alertIds.a]);
    expect(await listedIds(memberAB)).toEqual([alertIds.a, alertIds.b].sort());
    expect(await listedIds(outsider)).toEqual([]);
  });

  it('the teamId filter narrows within what the caller may see and never widens it', async () => {
    expect(await listedIds(memberA, `?teamId=${teamA}`)).toEqual([alertIds.a]);
    expect(await listedIds(memberA, `?teamId=${teamB}`)).toEqual([]);
    expect(await listedIds(memberAB, `?teamId=${teamB}`)).toEqual([alertIds.b]);
    expect(await listedIds(admin, `?teamId=${teamB}`)).toEqual([alertIds.b]);
  });

  it('reads: a member reads their team alert; other alerts answer 404 exactly like a missing one', async () => {
    expect((await as(memberA, 'GET', `/api/alerts/${alertIds.a}`)).statusCode).toBe(200);
    const other = await as(memberA, 'GET', `/api/alerts/${alertIds.b}`);
    const missing = await as(memberA, 'GET', '/api/alerts/00000000-0000-7000-8000-000000000000');
    expect(other.statusCode).toBe(404);
    expect(other.json().type).toBe(missing.json().type);
    expect(other.json().type).toMatch(/\/alert-not-found$/);
    expect((await as(memberA, 'GET', `/api/alerts/${alertIds.none}`)).statusCode).toBe(404);
    expect((await as(outsider, 'GET', `/api/alerts/${alertIds.a}`)).statusCode).toBe(404);
    expect((await as(admin, 'GET', `/api/alerts/${alertIds.none}`)).statusCode).toBe(200);
  });

  it('acknowledge and resolve: members on their alerts; 404 on others, which stay untouched', async () => {
    const acked = await as(memberA, 'POST', `/api/alerts/${alertIds.a}/acknowledge`);
    expect(acked.statusCode).toBe(200);
    expect(acked.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: memberA.userId });

    for (const action of ['acknowledge', 'resolve']) {
      expect((await as(memberA, 'POST', `/api/alerts/${alertIds.b}/${action}`)).statusCode).toBe(404);
      expect((await as(outsider, 'POST', `/api/alerts/${alertIds.a}/${action}`)).statusCode).toBe(404);
    }
    expect((await as(admin, 'GET', `/api/alerts/${alertIds.b}`)).json().status).toBe('firing');

    const resolved = await as(memberAB, 'POST', `/api/alerts/${alertIds.b}/resolve`);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: memberAB.userId });
    expect((await as(admin, 'POST', `/api/alerts/${alertIds.none}/acknowledge`)).statusCode).toBe(200);
  });

  it('re-routing is for platform admins only', async () => {
    expect((await as(memberA, 'POST', `/api/alerts/${alertIds.a}/reroute`)).statusCode).toBe(403);
    expect((await as(admin, 'POST', `/api/alerts/${alertIds.a}/reroute`)).statusCode).toBe(200);
  });

  it('leaving a team removes access at once', async () => {
    const leaver = await t.createUser(admin.apiKey);
    await as(admin, 'POST', `/api/teams/${teamA}/members`, { userId: leaver.userId });
    expect((await as(leaver, 'GET', `/api/alerts/${alertIds.a}`)).statusCode).toBe(200);
    await as(admin, 'DELETE', `/api/teams/${teamA}/members/${leaver.userId}`);
    expect((await as(leaver, 'GET', `/api/alerts/${alertIds.a}`)).statusCode).toBe(404);
    expect(await listedIds(leaver)).toEqual([]);
  });
});

describe('teams', () => {
  it('members list and read their own teams, with their role; other teams are 404', async () => {
    const own = (await as(memberAB, 'GET', '/api/teams')).json().teams;
    expect(own.map((team: { id: string; role: string }) => [team.id, team.role]).sort()).toEqual(
      [
        [teamA, 'manager'],
        [teamB, 'member'],
      ].sort(),
    );
    expect((await as(memberA, 'GET', '/api/teams')).json().teams.map((team: { id: string }) => team.id)).toEqual([
      teamA,
    ]);
    expect((await as(outsider, 'GET', '/api/teams')).json().teams).toEqual([]);
    expect((await as(memberA, 'GET', `/api/teams/${teamA}/members`)).statusCode).toBe(200);
    expect((await as(memberA, 'GET', `/api/teams/${teamB}`)).statusCode).toBe(404);
    expect((await as(memberA, 'GET', `/api/teams/${teamB}/members`)).statusCode).toBe(404);
    expect((await as(admin, 'GET', '/api/teams')).json().teams.length).toBeGreaterThanOrEqual(2);
  });

  it('only platform admins create, rename and delete teams (a team manager included)', async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', '/api/teams', { name: 'mine' }],
      ['PATCH', `/api/teams/${teamA}`, { name: 'renamed' }],
      ['DELETE', `/api/teams/${teamA}`],
    ];
    for (const who of [memberA, memberAB, outsider]) {
      for (const [method, url, body] of attempts) {
        expect((await as(who, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
      }
    }
    expect((await as(admin, 'GET', `/api/teams/${teamA}`)).json()).toMatchObject({ name: 'Team A', memberCount: 2 });
  });

  it("memberships are changed by the team's managers (test/team-members.test.ts), not by its members or outsiders", async () => {
    const attempts: Array<[string, string, unknown?]> = [
      ['POST', `/api/teams/${teamA}/members`, { userId: outsider.userId }],
      ['PATCH', `/api/teams/${teamA}/members/${memberA.userId}`, { role: 'manager' }],
      ['DELETE', `/api/teams/${teamA}/members/${memberA.userId}`],
    ];
    for (const [method, url, body] of attempts) {
      expect((await as(memberA, method, url, body)).statusCode, `member: ${method} ${url}`).toBe(403);
      expect((await as(outsider, method, url, body)).statusCode, `outsider: ${method} ${url}`).toBe(404);
    }
    expect((await as(admin, 'GET', `/api/teams/${teamA}`)).json()).toMatchObject({ memberCount: 2 });
  });
});

describe('routing rules', () => {
  it('are platform-admin only, dry-run included', async () => {
    const { rules } = (await as(admin, 'GET', '/api/routing-rules')).json();
    const ruleId = rules[0].id as string;
    const attempts: Array<[string, string, unknown?]> = [
      ['GET', '/api/routing-rules'],
      ['GET', `/api/routing-rules/${ruleId}`],
      ['POST', '/api/routing-rules', { name: 'x', teamId: teamA }],
      ['PATCH', `/api/routing-rules/${ruleId}`, { name: 'x' }],
      ['DELETE', `/api/routing-rules/${ruleId}`],
      ['POST', '/api/routing-rules/reorder', { ruleIds: [ruleId] }],
      ['POST', '/api/routing-rules/test', { alert: { title: 'x' } }],
    ];
    for (const who of [memberA, memberAB, outsider]) {
      for (const [method, url, body] of attempts) {
        expect((await as(who, method, url, body)).statusCode, `${method} ${url}`).toBe(403);
      }
    }
    expect((await as(admin, 'GET', '/api/routing-rules')).json().rules).toHaveLength(2);
  });
});

describe('declared access of the routes this feature adds', () => {
  const expected: Record<string, 'user' | 'admin'> = {
    'GET /api/alerts': 'user',
    'GET /api/alerts/:id': 'user',
    'GET /api/alerts/:id/trace': 'user',
    'POST /api/alerts/:id/acknowledge': 'user',
    'POST /api/alerts/:id/resolve': 'user',
    'POST /api/alerts/:id/reroute': 'admin',
    'GET /api/teams': 'user',
    'POST /api/teams': 'admin',
    'GET /api/teams/:id': 'user',
    'PATCH /api/teams/:id': 'admin',
    'DELETE /api/teams/:id': 'admin',
    'GET /api/teams/:id/members': 'user',
    // Membership: the team's managers and platform admins (checked in the service).
    'GET /api/teams/:id/member-candidates': 'user',
    'POST /api/teams/:id/members': 'user',
    'PATCH /api/teams/:id/members/:userId': 'user',
    'DELETE /api/teams/:id/members/:userId': 'user',
    'GET /api/routing-rules': 'admin',
    'POST /api/routing-rules': 'admin',
    'POST /api/routing-rules/reorder': 'admin',
    'POST /api/routing-rules/test': 'admin',
    'GET /api/routing-rules/:id': 'admin',
    'PATCH /api/routing-rules/:id': 'admin',
    'DELETE /api/routing-rules/:id': 'admin',
    // Incident grouping of a team (incidents module): members read, managers/admins write (checked in the service).
    'GET /api/teams/:teamId/incident-grouping': 'user',
    'PUT /api/teams/:teamId/incident-grouping': 'user',
    'DELETE /api/teams/:teamId/incident-grouping': 'user',
    // Urgency and support hours, and the team's Slack channel: members read, managers/admins write (in the service).
    'GET /api/teams/:teamId/urgency': 'user',
    'PUT /api/teams/:teamId/urgency': 'user',
    'GET /api/teams/:id/slack-channel': 'user',
    'PUT /api/teams/:id/slack-channel': 'user',
  };

  it('declares the expected access on each route', () => {
    const declared = Object.fromEntries(
      t.app.routeAccess
        .filter((route) => /^\/api\/(alerts|teams|routing-rules)/.test(route.url))
        .map((route) => [`${route.method} ${route.url}`, route.access]),
    );
    expect(declared).toEqual(expected);
  });

  it('answers 401 without a key and 403 to a non-admin on admin routes, for every one of them', async () => {
    const someId = '00000000-0000-7000-8000-000000000000';
    for (const [route, access] of Object.entries(expected)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const url = pattern.replaceAll(':id', someId).replaceAll(':userId', someId);
      expect((await t.request({ method, url })).statusCode, route).toBe(401);
      const asOutsider = await as(outsider, method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      if (access === 'admin') expect(asOutsider.statusCode, route).toBe(403);
      else expect([200, 400, 404], route).toContain(asOutsider.statusCode);
    }
  });
});
