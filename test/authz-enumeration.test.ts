import { getTableConfig, PgArray, PgTable } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as schema from '../src/db/schema/index.js';
import { uuidv7 } from '../src/lib/ids.js';
import { STORED_REFERENCES } from '../src/modules/authz/stored-references.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Every route from `app.routeAccess` × every role (platform admin, manager of team A, member of
 * team A, member of team B, someone in no team), against resources of team A and of team A's
 * member: who is let through and who is refused (403, or 404 where existence must not leak).
 * Public and admin-only routes are decided by the auth plugin (test/auth-matrix.test.ts); every
 * `user` route must be listed below with the rule it follows, or this test fails.
 *
 * And every stored id that names another resource must be listed in STORED_REFERENCES with its
 * check (src/modules/authz/stored-references.ts), or this test fails.
 */
type Who = { userId: string; apiKey: string };
type Role = 'admin' | 'manager' | 'member' | 'otherTeam' | 'noTeam';
/**
 * - `anyone`: any signed-in caller, on their own things or scoped lists (never refused);
 * - `members`: team A's members, its managers and admins; others 404;
 * - `managers`: team A's managers and admins; its members 403; others 404;
 * - `self`: the person (team A's member here) and admins; anyone else 403 or 404;
 * - `anyManager`: admins and the managers of any team (each sees their own teams); others 403.
 */
type Rule = 'anyone' | 'members' | 'managers' | 'self' | 'anyManager';

const RULES: Record<string, Rule> = {
  'GET /api/auth/me': 'anyone',
  'POST /api/auth/logout': 'anyone',
  'POST /api/api-keys': 'anyone',
  'GET /api/api-keys': 'anyone',
  'DELETE /api/api-keys/:id': 'self',
  'GET /api/events/stream': 'anyone',
  'GET /api/alerts': 'anyone',
  'GET /api/alerts/:id': 'members',
  'POST /api/alerts/:id/acknowledge': 'members',
  'POST /api/alerts/:id/resolve': 'members',
  'GET /api/teams': 'anyone',
  'GET /api/teams/:id': 'members',
  'GET /api/teams/:id/members': 'members',
  'GET /api/incidents': 'anyone',
  'GET /api/incidents/:id': 'members',
  'POST /api/incidents/:id/acknowledge': 'members',
  'POST /api/incidents/:id/resolve': 'members',
  'POST /api/incidents/:id/reassign': 'members',
  'POST /api/incidents/:id/notes': 'members',
  'GET /api/teams/:teamId/incident-grouping': 'members',
  'PUT /api/teams/:teamId/incident-grouping': 'managers',
  'DELETE /api/teams/:teamId/incident-grouping': 'managers',
  'GET /api/teams/:teamId/urgency': 'members',
  'PUT /api/teams/:teamId/urgency': 'managers',
  'GET /api/escalation-policies': 'anyone',
  'POST /api/escalation-policies': 'managers',
  'GET /api/escalation-policies/:id': 'members',
  'PATCH /api/escalation-policies/:id': 'managers',
  'DELETE /api/escalation-policies/:id': 'managers',
  'POST /api/schedules': 'managers',
  'GET /api/schedules': 'anyone',
  'GET /api/schedules/:id': 'members',
  'PATCH /api/schedules/:id': 'managers',
  'DELETE /api/schedules/:id': 'managers',
  'POST /api/schedules/:id/layers': 'managers',
  'PATCH /api/schedules/:id/layers/:layerId': 'managers',
  'DELETE /api/schedules/:id/layers/:layerId': 'managers',
  'GET /api/schedules/:id/overrides': 'members',
  'POST /api/schedules/:id/overrides': 'managers',
  'PATCH /api/schedules/:id/overrides/:overrideId': 'managers',
  'DELETE /api/schedules/:id/overrides/:overrideId': 'managers',
  'GET /api/schedules/:id/oncall': 'members',
  'GET /api/schedules/:id/spans': 'members',
  'POST /api/schedules/:id/ical-feeds': 'members',
  'GET /api/schedules/:id/ical-feeds': 'members',
  'GET /api/users/:id/oncall': 'self',
  'POST /api/users/:id/ical-feeds': 'self',
  'GET /api/users/:id/ical-feeds': 'self',
  'DELETE /api/ical-feeds/:id': 'self',
  'POST /api/contact-methods': 'self',
  'GET /api/contact-methods': 'anyone',
  'DELETE /api/contact-methods/:id': 'self',
  'POST /api/contact-methods/:id/test': 'self',
  'POST /api/notification-rules': 'self',
  'GET /api/notification-rules': 'anyone',
  'DELETE /api/notification-rules/:id': 'self',
  'GET /api/notifications': 'anyone',
  'GET /api/sessions': 'anyone',
  'DELETE /api/sessions/:id': 'self',
  'POST /api/contact-methods/:id/verify': 'self',
  'POST /api/contact-methods/:id/verify/resend': 'self',
  'GET /api/notification-channels': 'anyone',
  // Browser push: the caller's own subscriptions only (the body names no one else).
  'GET /api/push/vapid-public-key': 'anyone',
  'POST /api/push/subscriptions': 'anyone',
  'DELETE /api/push/subscriptions': 'anyone',
  'GET /api/paging-health': 'anyManager',
  'GET /api/heartbeats': 'anyone',
  'POST /api/heartbeats': 'managers',
  'GET /api/heartbeats/:id': 'members',
  'PATCH /api/heartbeats/:id': 'managers',
  'POST /api/heartbeats/:id/rotate-token': 'managers',
  'DELETE /api/heartbeats/:id': 'managers',
  // Silences and maintenance windows are installation-wide: everyone reads, admins write.
  'GET /api/silences': 'anyone',
  'GET /api/silences/:id': 'anyone',
  'GET /api/v2/silences': 'anyone',
  'GET /api/v2/silence/:silenceID': 'anyone',
  'GET /api/maintenance-windows': 'anyone',
  'GET /api/maintenance-windows/:id': 'anyone',
  'GET /api/alerts/:id/trace': 'members',
};

let t: TestApp;
const who = {} as Record<Role, Who>;
const ids: Record<string, string> = {};

const as = (caller: Who, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: caller.apiKey, body });
const created = async (response: Promise<{ statusCode: number; body: string; json(): { id: string } }>) => {
  const answer = await response;
  expect(answer.statusCode, answer.body).toBeLessThan(300);
  return answer.json().id;
};

beforeAll(async () => {
  t = await createTestApp();
  const admin = await t.createAdmin();
  who.admin = admin;
  for (const role of ['manager', 'member', 'otherTeam', 'noTeam'] as const)
    who[role] = await t.createUser(admin.apiKey);
  ids.teamA = await created(as(admin, 'POST', '/api/teams', { name: 'A' }));
  ids.teamB = await created(as(admin, 'POST', '/api/teams', { name: 'B' }));
  await as(admin, 'POST', `/api/teams/${ids.teamA}/members`, { userId: who.manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${ids.teamA}/members`, { userId: who.member.userId });
  await as(admin, 'POST', `/api/teams/${ids.teamB}/members`, { userId: who.otherTeam.userId, role: 'manager' });
  await as(admin, 'POST', '/api/routing-rules', { name: 'all to A', teamId: ids.teamA });
  const integration = await createIntegration(t, admin.apiKey, { name: 'enum', type: 'generic' });
  ids.alert = (await sendSigned(t, integration, { title: 'a', dedupKey: 'a' })).json().alerts[0].id;
  ids.incident = (await as(admin, 'GET', '/api/incidents')).json().incidents[0].id;
  ids.schedule = await created(
    as(who.manager, 'POST', '/api/schedules', { teamId: ids.teamA, name: 's', timeZone: 'UTC' }),
  );
  ids.layer = await created(
    as(who.manager, 'POST', `/api/schedules/${ids.schedule}/layers`, {
      name: 'l',
      startsAt: '2025-01-06T00:00:00Z',
      turnUnit: 'days',
      turnLength: 1,
      participantIds: [who.member.userId],
    }),
  );
  ids.override = await created(
    as(who.manager, 'POST', `/api/schedules/${ids.schedule}/overrides`, {
      userId: who.member.userId,
      startsAt: '2030-01-01T00:00:00Z',
      endsAt: '2030-01-02T00:00:00Z',
    }),
  );
  ids.policy = await created(
    as(who.manager, 'POST', '/api/escalation-policies', {
      teamId: ids.teamA,
      name: 'p',
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: who.member.userId }] }],
    }),
  );
  ids.contactMethod = await created(
    as(who.member, 'POST', '/api/contact-methods', { type: 'email', address: 'member@example.com' }),
  );
  ids.notificationRule = await created(
    as(who.member, 'POST', '/api/notification-rules', { contactMethodId: ids.contactMethod, delayMinutes: 1 }),
  );
  ids.feed = await created(as(who.member, 'POST', `/api/users/${who.member.userId}/ical-feeds`));
  ids.apiKey = await created(as(who.member, 'POST', '/api/api-keys', { name: 'second' }));
  ids.session = uuidv7();
  ids.heartbeat = await created(
    as(who.manager, 'POST', '/api/heartbeats', { teamId: ids.teamA, name: 'hb', intervalSeconds: 600 }),
  );
  ids.silence = await created(
    as(admin, 'POST', '/api/silences', {
      matchers: [{ name: 'alertname', value: 'never' }],
      durationMinutes: 60,
      comment: 'enumeration',
    }),
  );
  ids.maintenanceWindow = await created(
    as(admin, 'POST', '/api/maintenance-windows', {
      name: 'm',
      startsAt: '2030-01-01T00:00:00Z',
      endsAt: '2030-01-02T00:00:00Z',
    }),
  );
});
afterAll(() => t.close());

/** The path of a route with its parameters naming team A's resources (or team A's member's). */
function pathOf(url: string): string {
  const byPrefix: Array<[RegExp, string]> = [
    [/^\/api\/schedules\/:id/, ids.schedule ?? ''],
    [/^\/api\/escalation-policies\/:id/, ids.policy ?? ''],
    [/^\/api\/incidents\/:id/, ids.incident ?? ''],
    [/^\/api\/alerts\/:id/, ids.alert ?? ''],
    [/^\/api\/teams\/:id/, ids.teamA ?? ''],
    [/^\/api\/contact-methods\/:id/, ids.contactMethod ?? ''],
    [/^\/api\/notification-rules\/:id/, ids.notificationRule ?? ''],
    [/^\/api\/api-keys\/:id/, ids.apiKey ?? ''],
    [/^\/api\/ical-feeds\/:id/, ids.feed ?? ''],
    [/^\/api\/users\/:id/, who.member.userId],
    [/^\/api\/sessions\/:id/, ids.session ?? ''],
    [/^\/api\/heartbeats\/:id/, ids.heartbeat ?? ''],
    [/^\/api\/silences\/:id/, ids.silence ?? ''],
    [/^\/api\/maintenance-windows\/:id/, ids.maintenanceWindow ?? ''],
  ];
  const id = byPrefix.find(([pattern]) => pattern.test(url))?.[1] ?? uuidv7();
  return url
    .replace(':id', id)
    .replace(':teamId', ids.teamA ?? '')
    .replace(':layerId', ids.layer ?? '')
    .replace(':overrideId', ids.override ?? '')
    .replace(':silenceID', ids.silence ?? '')
    .replace(/:[A-Za-z]+/g, () => uuidv7());
}

/** Valid bodies, so that a refusal comes from authorization and not from validation. */
function bodyOf(method: string, url: string): unknown {
  const bodies: Record<string, unknown> = {
    'POST /api/schedules': { teamId: ids.teamA, name: 'x', timeZone: 'UTC' },
    'PATCH /api/schedules/:id': { name: 'renamed' },
    'POST /api/schedules/:id/layers': {
      name: 'x',
      startsAt: '2030-01-01T00:00:00Z',
      turnUnit: 'days',
      turnLength: 1,
      participantIds: [],
    },
    'PATCH /api/schedules/:id/layers/:layerId': { name: 'renamed' },
    'POST /api/schedules/:id/overrides': {
      userId: who.member.userId,
      startsAt: '2031-01-01T00:00:00Z',
      endsAt: '2031-01-02T00:00:00Z',
    },
    'PATCH /api/schedules/:id/overrides/:overrideId': { note: 'covered' },
    'POST /api/escalation-policies': {
      teamId: ids.teamA,
      name: 'x',
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: who.member.userId }] }],
    },
    'PATCH /api/escalation-policies/:id': { name: 'renamed' },
    'POST /api/incidents/:id/reassign': { userId: who.member.userId },
    'POST /api/incidents/:id/notes': { text: 'x' },
    'PUT /api/teams/:teamId/incident-grouping': { groupBy: ['x'], windowMinutes: 5 },
    'PUT /api/teams/:teamId/urgency': {
      highUrgencySeverities: ['critical'],
      timeZone: 'Europe/Berlin',
      windows: [{ day: 1, start: '09:00', end: '17:00' }],
      outsideHours: 'defer',
    },
    'POST /api/contact-methods': { type: 'email', address: 'x@example.com', userId: who.member.userId },
    'POST /api/notification-rules': { contactMethodId: ids.contactMethod, delayMinutes: 7 },
    'POST /api/contact-methods/:id/verify': { code: '123456' },
    'POST /api/heartbeats': { teamId: ids.teamA, name: 'x', intervalSeconds: 600 },
    'PATCH /api/heartbeats/:id': { name: 'renamed' },
  };
  return bodies[`${method} ${url}`];
}

const ROLES: Role[] = ['admin', 'manager', 'member', 'otherTeam', 'noTeam'];
const allowed: Record<Exclude<Rule, 'anyone'>, Role[]> = {
  members: ['admin', 'manager', 'member'],
  managers: ['admin', 'manager'],
  self: ['admin', 'member'],
  anyManager: ['admin', 'manager', 'otherTeam'],
};

describe('every user route × role, against team A', () => {
  it('every route that any signed-in caller may call declares its cross-team rule here', async () => {
    const userRoutes = (await routes()).filter((route) => route.access === 'user');
    expect(userRoutes.map((route) => `${route.method} ${route.url}`).filter((key) => !(key in RULES))).toEqual([]);
  });

  it('refuses every role the rule does not let through, and lets through the others on reads', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const route of await routes()) {
      const key = `${route.method} ${route.url}`;
      const rule = RULES[key];
      if (route.access !== 'user' || rule === undefined) continue;
      const path = pathOf(route.url);
      const body = bodyOf(route.method, route.url);
      for (const role of ROLES) {
        const reads = route.method === 'GET';
        const admitted = rule === 'anyone' || allowed[rule].includes(role);
        // Writes that would succeed are not made: they would change the fixtures of later routes.
        if (admitted && !reads) continue;
        if (key === 'GET /api/events/stream' && admitted) continue;
        const response = await as(who[role], route.method, path, body);
        checked += 1;
        const status = response.statusCode;
        const expected = admitted
          ? status >= 200 && status < 300
          : rule === 'managers' && role === 'member'
            ? status === 403
            : rule === 'self'
              ? status === 403 || status === 404
              : rule === 'anyManager'
                ? status === 403
                : status === 404;
        if (!expected) failures.push(`${key} as ${role} (${rule}): ${status} ${response.body.slice(0, 120)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(150);
  });
});

describe('every stored reference between resources', () => {
  const referenceColumns = () => {
    const found: string[] = [];
    for (const value of Object.values(schema)) {
      if (!(value instanceof PgTable)) continue;
      const table = getTableConfig(value);
      for (const column of table.columns) {
        const holdsIds =
          column.columnType === 'PgUUID' ||
          (column instanceof PgArray && column.baseColumn.columnType === 'PgUUID') ||
          (column.columnType === 'PgJsonb' && (column.name.endsWith('_ids') || column.name === 'levels'));
        // A table's own key is not a reference (a composite key's columns are).
        if (holdsIds && !(column.primary && column.name === 'id')) found.push(`${table.name}.${column.name}`);
      }
    }
    return found.sort();
  };

  it('is listed with the check that keeps it inside what the caller may reach', () => {
    expect(referenceColumns().filter((column) => !(column in STORED_REFERENCES))).toEqual([]);
  });

  it('lists nothing that is not in the schema any more', () => {
    const columns = new Set(referenceColumns());
    expect(Object.keys(STORED_REFERENCES).filter((column) => !columns.has(column))).toEqual([]);
  });
});

async function routes() {
  return t.app.routeAccess.filter((route) => route.url.startsWith('/api/'));
}
