import { sql } from 'drizzle-orm';
import ICAL from 'ical.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../src/lib/crypto.js';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * Schedules over HTTP: team-scoped access (managers and admins change, members read, others
 * 404), the computed timeline and "who is on call", rotation changes that leave the past alone,
 * overrides, a person's shifts, and calendar feeds checked with a real iCalendar parser.
 */
type Who = { userId: string; apiKey: string };
let t: TestApp;
let clock = new Date('2025-03-01T12:00:00Z');
let admin: Who;
let manager: Who;
let member: Who;
let member2: Who;
let outsider: Who;
let teamId = '';
let otherTeamId = '';

const as = (who: Who | undefined, method: string, url: string, body?: unknown) =>
  t.request({ method, url, ...(who === undefined ? {} : { key: who.apiKey }), body });

async function createSchedule(who: Who, name: string, timeZone = 'Europe/Berlin') {
  const response = await as(who, 'POST', '/api/schedules', { teamId, name, timeZone });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

async function addLayer(scheduleId: string, body: Record<string, unknown>) {
  const response = await as(manager, 'POST', `/api/schedules/${scheduleId}/layers`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const spansOf = async (who: Who, scheduleId: string, from: string, to: string) => {
  const response = await as(who, 'GET', `/api/schedules/${scheduleId}/spans?from=${from}&to=${to}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json();
};

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.createAdmin();
  [manager, member, member2, outsider] = [
    await t.createUser(admin.apiKey, 'manager@example.com'),
    await t.createUser(admin.apiKey, 'member@example.com'),
    await t.createUser(admin.apiKey, 'member2@example.com'),
    await t.createUser(admin.apiKey, 'outsider@example.com'),
  ];
  teamId = (await as(admin, 'POST', '/api/teams', { name: 'SRE' })).json().id;
  otherTeamId = (await as(admin, 'POST', '/api/teams', { name: 'Other' })).json().id;
  await as(admin, 'POST', `/api/teams/${teamId}/members`, { userId: manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${teamId}/members`, { userId: member.userId });
  await as(admin, 'POST', `/api/teams/${teamId}/members`, { userId: member2.userId });
  await as(admin, 'POST', `/api/teams/${otherTeamId}/members`, { userId: outsider.userId, role: 'manager' });
});
afterAll(() => t.close());

describe('access', () => {
  let scheduleId = '';
  let layerId = '';
  let overrideId = '';

  beforeAll(async () => {
    scheduleId = await createSchedule(manager, 'Access');
    layerId = (
      await addLayer(scheduleId, {
        name: 'primary',
        startsAt: '2025-03-03T09:00:00+01:00',
        turnUnit: 'weeks',
        turnLength: 1,
        participantIds: [member.userId, member2.userId],
      })
    ).id;
    const override = await as(manager, 'POST', `/api/schedules/${scheduleId}/overrides`, {
      userId: manager.userId,
      startsAt: '2025-03-05T00:00:00Z',
      endsAt: '2025-03-06T00:00:00Z',
    });
    expect(override.statusCode, override.body).toBe(201);
    overrideId = override.json().id;
  });

  it('creating: team managers and admins; a plain member 403; a stranger to the team 404', async () => {
    expect((await as(member, 'POST', '/api/schedules', { teamId, name: 'x', timeZone: 'UTC' })).statusCode).toBe(403);
    const stranger = await as(outsider, 'POST', '/api/schedules', { teamId, name: 'x', timeZone: 'UTC' });
    expect(stranger.statusCode).toBe(404);
    expect(stranger.json().type).toMatch(/\/team-not-found$/);
    expect((await as(admin, 'POST', '/api/schedules', { teamId, name: 'By admin', timeZone: 'UTC' })).statusCode).toBe(
      201,
    );
    const duplicate = await as(manager, 'POST', '/api/schedules', { teamId, name: 'by ADMIN', timeZone: 'UTC' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().type).toMatch(/\/duplicate-schedule$/);
  });

  it('reading: members and admins read; others get 404 exactly like a missing schedule', async () => {
    for (const who of [admin, manager, member]) {
      expect((await as(who, 'GET', `/api/schedules/${scheduleId}`)).statusCode).toBe(200);
      expect((await as(who, 'GET', `/api/schedules/${scheduleId}/oncall`)).statusCode).toBe(200);
    }
    const hidden = await as(outsider, 'GET', `/api/schedules/${scheduleId}`);
    const missing = await as(outsider, 'GET', '/api/schedules/00000000-0000-7000-8000-000000000000');
    expect([hidden.statusCode, missing.statusCode]).toEqual([404, 404]);
    expect(hidden.json().type).toBe(missing.json().type);
    expect((await as(outsider, 'GET', '/api/schedules')).json().schedules).toEqual([]);
    const listed = (await as(member, 'GET', '/api/schedules')).json().schedules;
    expect(listed.find((s: { id: string }) => s.id === scheduleId)).toMatchObject({ canManage: false });
    const managed = (await as(manager, 'GET', '/api/schedules')).json().schedules;
    expect(managed.find((s: { id: string }) => s.id === scheduleId)).toMatchObject({ canManage: true });
  });

  it('changing: members 403, outsiders 404, for every write route', async () => {
    const writes: Array<[string, string, unknown?]> = [
      ['PATCH', `/api/schedules/${scheduleId}`, { name: 'renamed' }],
      ['DELETE', `/api/schedules/${scheduleId}`],
      [
        'POST',
        `/api/schedules/${scheduleId}/layers`,
        { name: 'l', startsAt: '2025-03-03T09:00:00Z', turnUnit: 'days', turnLength: 1, participantIds: [] },
      ],
      ['PATCH', `/api/schedules/${scheduleId}/layers/${layerId}`, { name: 'l2' }],
      ['DELETE', `/api/schedules/${scheduleId}/layers/${layerId}`],
      [
        'POST',
        `/api/schedules/${scheduleId}/overrides`,
        { userId: member.userId, startsAt: '2025-03-05T00:00:00Z', endsAt: '2025-03-06T00:00:00Z' },
      ],
      ['PATCH', `/api/schedules/${scheduleId}/overrides/${overrideId}`, { note: 'mine now' }],
      ['DELETE', `/api/schedules/${scheduleId}/overrides/${overrideId}`],
    ];
    for (const [method, url, body] of writes) {
      expect((await as(member, method, url, body)).statusCode, `member ${method} ${url}`).toBe(403);
      expect((await as(outsider, method, url, body)).statusCode, `outsider ${method} ${url}`).toBe(404);
    }
    const detail = (await as(admin, 'GET', `/api/schedules/${scheduleId}`)).json();
    expect(detail).toMatchObject({ name: 'Access', layers: [{ id: layerId, name: 'primary' }] });
  });

  it('without a key every schedule route answers 401; the feed route is public but needs a live token', async () => {
    const someId = '00000000-0000-7000-8000-000000000000';
    const routes = t.app.routeAccess.filter((route) => /schedules|oncall|ical/.test(route.url));
    expect(routes.length).toBeGreaterThanOrEqual(20);
    for (const route of routes) {
      const url = route.url.replace(/:(id|layerId|overrideId)/g, someId).replace(':file', 'nope.ics');
      const response = await t.request({ method: route.method, url });
      if (route.access === 'public') expect([route.url, response.statusCode]).toEqual(['/ical/:file', 404]);
      else expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
    }
  });

  it('appears in the OpenAPI document', async () => {
    const response = await t.request({ method: 'GET', url: '/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const path of ['/api/schedules', '/api/schedules/{id}/spans', '/api/users/{id}/oncall', '/ical/{file}']) {
      expect(paths).toContain(path);
    }
  });

  it('every change is audited in its transaction', async () => {
    await as(manager, 'PATCH', `/api/schedules/${scheduleId}`, { description: 'primary on-call' });
    const entries = (await as(admin, 'GET', `/api/audit-logs?resourceType=schedule&resourceId=${scheduleId}`)).json()
      .entries as Array<{ action: string; userId: string }>;
    expect(entries.map((entry) => entry.action).sort()).toEqual(
      ['schedule.created', 'schedule.layer_created', 'schedule.override_created', 'schedule.updated'].sort(),
    );
    expect(entries.every((entry) => entry.userId === manager.userId)).toBe(true);
  });
});

describe('validation', () => {
  let scheduleId = '';
  beforeAll(async () => {
    scheduleId = await createSchedule(manager, 'Validation', 'America/New_York');
  });

  it.each([
    ['an unknown time zone', { teamId: '', name: 'tz', timeZone: 'Mars/Olympus' }],
    ['an unknown field', { teamId: '', name: 'f', timeZone: 'UTC', colour: 'red' }],
  ])('rejects %s on create', async (_label, body) => {
    const response = await as(manager, 'POST', '/api/schedules', { ...body, teamId });
    expect(response.statusCode).toBe(400);
    expect(response.json().type).toMatch(/\/validation-failed$/);
  });

  it.each([
    ['a handoff time on hourly turns', { turnUnit: 'hours', turnLength: 12, handoffTime: '09:00' }],
    ['a handoff weekday on daily turns', { turnUnit: 'days', turnLength: 1, handoffWeekday: 1 }],
    ['a zero turn length', { turnUnit: 'days', turnLength: 0 }],
    ['an over-long turn', { turnUnit: 'weeks', turnLength: 60 }],
    ['a malformed restriction', { turnUnit: 'days', turnLength: 1, restrictions: [{ start: '9:00', end: '17:00' }] }],
    ['a participant outside the team', { turnUnit: 'days', turnLength: 1, participantIds: ['OUTSIDER'] }],
    ['an end before the start', { turnUnit: 'days', turnLength: 1, endsAt: '2025-01-01T00:00:00Z' }],
    ['an unknown layer time zone', { turnUnit: 'days', turnLength: 1, timeZone: 'Europe/Atlantis' }],
  ])('rejects a layer with %s', async (_label, shape) => {
    const body = { name: 'bad', startsAt: '2025-03-03T09:00:00Z', participantIds: [member.userId], ...shape };
    if (JSON.stringify(body.participantIds) === '["OUTSIDER"]') body.participantIds = [outsider.userId];
    const response = await as(manager, 'POST', `/api/schedules/${scheduleId}/layers`, body);
    expect(response.statusCode, response.body).toBe(400);
  });

  it('bounds the spans range to 400 days and requires to > from', async () => {
    const url = `/api/schedules/${scheduleId}/spans`;
    expect((await as(member, 'GET', `${url}?from=2025-01-01T00:00:00Z&to=2026-02-05T00:00:00Z`)).statusCode).toBe(200);
    expect((await as(member, 'GET', `${url}?from=2025-01-01T00:00:00Z&to=2026-02-06T00:00:01Z`)).statusCode).toBe(400);
    expect((await as(member, 'GET', `${url}?from=2025-01-02T00:00:00Z&to=2025-01-01T00:00:00Z`)).statusCode).toBe(400);
    expect((await as(member, 'GET', `${url}?from=yesterday`)).statusCode).toBe(400);
  });

  it('refuses overrides for non-members and with an end before the start', async () => {
    const url = `/api/schedules/${scheduleId}/overrides`;
    const span = { startsAt: '2025-03-05T00:00:00Z', endsAt: '2025-03-06T00:00:00Z' };
    expect((await as(manager, 'POST', url, { userId: outsider.userId, ...span })).statusCode).toBe(400);
    expect(
      (await as(manager, 'POST', url, { userId: member.userId, startsAt: span.endsAt, endsAt: span.startsAt }))
        .statusCode,
    ).toBe(400);
  });
});

describe('timeline', () => {
  let scheduleId = '';
  let dailyId = '';
  let businessId = '';

  beforeAll(async () => {
    clock = new Date('2025-03-01T12:00:00Z');
    scheduleId = await createSchedule(manager, 'Timeline');
    dailyId = (
      await addLayer(scheduleId, {
        name: '24/7',
        startsAt: '2025-03-28T09:00:00+01:00',
        turnUnit: 'days',
        turnLength: 1,
        handoffTime: '09:00',
        participantIds: [member.userId, member2.userId],
      })
    ).id;
    businessId = (
      await addLayer(scheduleId, {
        name: 'business hours',
        startsAt: '2025-03-28T09:00:00+01:00',
        turnUnit: 'weeks',
        turnLength: 1,
        restrictions: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '16:00' }],
        participantIds: [manager.userId],
      })
    ).id;
  });

  it('computes the timeline across the Berlin spring-forward, layers stacked, handoffs at 09:00 local', async () => {
    const body = await spansOf(member, scheduleId, '2025-03-28T08:00:00Z', '2025-04-01T08:00:00Z');
    expect(body.timeZone).toBe('Europe/Berlin');
    const rows = body.spans.map((s: { userId: string; start: string; end: string; layerId: string }) => [
      s.userId,
      s.start,
      s.end,
      s.layerId === businessId ? 'bh' : s.layerId === dailyId ? '247' : '?',
    ]);
    expect(rows).toEqual([
      [member.userId, '2025-03-28T08:00:00.000Z', '2025-03-28T09:00:00.000Z', '247'],
      [manager.userId, '2025-03-28T09:00:00.000Z', '2025-03-28T15:00:00.000Z', 'bh'],
      [member.userId, '2025-03-28T15:00:00.000Z', '2025-03-29T08:00:00.000Z', '247'],
      [member2.userId, '2025-03-29T08:00:00.000Z', '2025-03-30T07:00:00.000Z', '247'],
      [member.userId, '2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z', '247'],
      [member2.userId, '2025-03-31T07:00:00.000Z', '2025-03-31T08:00:00.000Z', '247'],
      [manager.userId, '2025-03-31T08:00:00.000Z', '2025-03-31T14:00:00.000Z', 'bh'],
      [member2.userId, '2025-03-31T14:00:00.000Z', '2025-04-01T07:00:00.000Z', '247'],
      [member.userId, '2025-04-01T07:00:00.000Z', '2025-04-01T08:00:00.000Z', '247'],
    ]);
    expect(body.layers.map((l: { name: string; position: number }) => [l.name, l.position])).toEqual([
      ['business hours', 2],
      ['24/7', 1],
    ]);
    expect(body.users.map((u: { email: string }) => u.email).sort()).toEqual(
      ['manager@example.com', 'member2@example.com', 'member@example.com'].sort(),
    );
  });

  it('answers who is on call at an instant, with their whole shift', async () => {
    const response = await as(member, 'GET', `/api/schedules/${scheduleId}/oncall?at=2025-03-30T12:00:00%2B02:00`);
    expect(response.json()).toMatchObject({
      at: '2025-03-30T10:00:00.000Z',
      oncall: [
        {
          userId: member.userId,
          start: '2025-03-30T07:00:00.000Z',
          end: '2025-03-31T07:00:00.000Z',
          layerId: dailyId,
          overrideId: null,
          user: { email: 'member@example.com' },
        },
      ],
    });
    const before = await as(member, 'GET', `/api/schedules/${scheduleId}/oncall?at=2025-03-01T00:00:00Z`);
    expect(before.json().oncall).toEqual([]);
  });

  it('tells escalation who is on call (the OnCallResolver the incident engine uses)', async () => {
    const resolver = t.services.schedulesService;
    expect(await resolver.whoIsOnCall(scheduleId, new Date('2025-03-30T10:00:00Z'))).toEqual([member.userId]);
    expect(await resolver.whoIsOnCall(scheduleId, new Date('2025-03-31T09:00:00Z'))).toEqual([manager.userId]);
    expect(await resolver.whoIsOnCall(scheduleId, new Date('2025-03-01T00:00:00Z'))).toEqual([]);
    expect(await resolver.whoIsOnCall('01900000-0000-7000-8000-000000000000', new Date())).toEqual([]);
  });

  it('overlapping overrides: the latest created wins and is shown as such; deleting one restores the rest', async () => {
    const url = `/api/schedules/${scheduleId}/overrides`;
    const first = (
      await as(manager, 'POST', url, {
        userId: member2.userId,
        startsAt: '2025-04-02T00:00:00Z',
        endsAt: '2025-04-02T12:00:00Z',
      })
    ).json();
    const second = (
      await as(manager, 'POST', url, {
        userId: manager.userId,
        startsAt: '2025-04-02T04:00:00Z',
        endsAt: '2025-04-02T06:00:00Z',
      })
    ).json();
    const body = await spansOf(member, scheduleId, '2025-04-02T00:00:00Z', '2025-04-02T07:00:00Z');
    expect(
      body.spans.map((s: { userId: string; overrideId: string; end: string }) => [s.userId, s.overrideId, s.end]),
    ).toEqual([
      [member2.userId, first.id, '2025-04-02T04:00:00.000Z'],
      [manager.userId, second.id, '2025-04-02T06:00:00.000Z'],
      [member2.userId, first.id, '2025-04-02T07:00:00.000Z'],
    ]);
    const listed = (await as(member, 'GET', `${url}?from=2025-04-01T00:00:00Z&to=2025-04-03T00:00:00Z`)).json();
    expect(listed.overrides.map((o: { id: string }) => o.id)).toEqual([first.id, second.id]);
    expect((await as(manager, 'DELETE', `${url}/${second.id}`)).statusCode).toBe(204);
    expect((await as(manager, 'DELETE', `${url}/${second.id}`)).statusCode).toBe(404);
    const after = await spansOf(member, scheduleId, '2025-04-02T00:00:00Z', '2025-04-02T07:00:00Z');
    expect(after.spans.map((s: { userId: string }) => s.userId)).toEqual([member2.userId]);
  });

  it('the timeline knows the true bounds of the shifts the view cuts', async () => {
    const body = await spansOf(member, scheduleId, '2025-03-30T12:00:00Z', '2025-03-30T13:00:00Z');
    expect(body.spans).toEqual([
      {
        userId: member.userId,
        start: '2025-03-30T12:00:00.000Z',
        end: '2025-03-30T13:00:00.000Z',
        shiftStart: '2025-03-30T07:00:00.000Z',
        shiftEnd: '2025-03-31T07:00:00.000Z',
        layerId: dailyId,
        overrideId: null,
      },
    ]);
    const whole = await spansOf(member, scheduleId, '2025-03-30T07:00:00Z', '2025-03-31T07:00:00Z');
    expect(whole.spans.map((s: { shiftStart: string; shiftEnd: string }) => [s.shiftStart, s.shiftEnd])).toEqual([
      ['2025-03-30T07:00:00.000Z', '2025-03-31T07:00:00.000Z'],
    ]);
  });

  it('an override is edited in place: who covers and when change, its precedence stays; audited', async () => {
    const url = `/api/schedules/${scheduleId}/overrides`;
    const older = (
      await as(manager, 'POST', url, {
        userId: member2.userId,
        startsAt: '2025-04-10T00:00:00Z',
        endsAt: '2025-04-10T12:00:00Z',
      })
    ).json();
    const newer = (
      await as(manager, 'POST', url, {
        userId: manager.userId,
        startsAt: '2025-04-10T02:00:00Z',
        endsAt: '2025-04-10T04:00:00Z',
      })
    ).json();
    const edited = await as(manager, 'PATCH', `${url}/${older.id}`, {
      userId: member.userId,
      startsAt: '2025-04-10T01:00:00Z',
      note: 'swap',
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({
      id: older.id,
      userId: member.userId,
      startsAt: '2025-04-10T01:00:00.000Z',
      endsAt: '2025-04-10T12:00:00.000Z',
      note: 'swap',
      createdAt: older.createdAt,
    });
    const body = await spansOf(member, scheduleId, '2025-04-10T00:00:00Z', '2025-04-10T12:00:00Z');
    expect(
      body.spans
        .filter((s: { overrideId: string | null }) => s.overrideId !== null)
        .map((s: { userId: string; start: string; end: string }) => [s.userId, s.start, s.end]),
    ).toEqual([
      [member.userId, '2025-04-10T01:00:00.000Z', '2025-04-10T02:00:00.000Z'],
      [manager.userId, '2025-04-10T02:00:00.000Z', '2025-04-10T04:00:00.000Z'],
      [member.userId, '2025-04-10T04:00:00.000Z', '2025-04-10T12:00:00.000Z'],
    ]);
    const backwards = await as(manager, 'PATCH', `${url}/${older.id}`, { endsAt: '2025-04-10T00:30:00Z' });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().errors).toEqual([{ path: 'endsAt', message: 'must be after startsAt' }]);
    expect((await as(manager, 'PATCH', `${url}/${older.id}`, { userId: outsider.userId })).statusCode).toBe(400);
    expect((await as(manager, 'PATCH', `${url}/${older.id}`, { colour: 'red' })).statusCode).toBe(400);
    const missing = await as(manager, 'PATCH', `${url}/01900000-0000-7000-8000-000000000000`, { note: 'x' });
    expect(missing.statusCode).toBe(404);
    const audit = (
      await as(admin, 'GET', `/api/audit-logs?action=schedule.override_updated&resourceId=${scheduleId}`)
    ).json().entries;
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      userId: manager.userId,
      metadata: { overrideId: older.id, changes: { userId: { from: member2.userId, to: member.userId } } },
    });
    await as(manager, 'DELETE', `${url}/${older.id}`);
    await as(manager, 'DELETE', `${url}/${newer.id}`);
  });

  it('changing participants mid-rotation changes future turns only, from the next handoff', async () => {
    const from = '2025-03-28T08:00:00Z';
    const to = '2025-04-06T07:00:00Z';
    const before = (await spansOf(member, scheduleId, from, to)).layers.find(
      (l: { layerId: string }) => l.layerId === dailyId,
    ).spans;
    clock = new Date('2025-04-03T10:00:00Z'); // during a turn that started 2025-04-03 09:00 Berlin
    const patched = await as(manager, 'PATCH', `/api/schedules/${scheduleId}/layers/${dailyId}`, {
      participantIds: [member.userId, member2.userId, manager.userId],
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json().versions).toHaveLength(2);
    expect(patched.json().participantIds).toEqual([member.userId, member2.userId, manager.userId]);
    const after = (await spansOf(member, scheduleId, from, to)).layers.find(
      (l: { layerId: string }) => l.layerId === dailyId,
    ).spans;
    const cut = '2025-04-04T07:00:00.000Z'; // the first handoff after the change
    const upTo = (spans: Array<{ start: string }>) => spans.filter((s) => s.start < cut);
    expect(upTo(after)).toEqual(upTo(before));
    const running = before.find((s: { start: string }) => s.start === '2025-04-03T07:00:00.000Z');
    const next = after.filter((s: { start: string }) => s.start >= cut).map((s: { userId: string }) => s.userId);
    // the rotation carries on after the person on call: member is on, so member2 then the newcomer
    expect(running.userId).toBe(member.userId);
    expect(next).toEqual([member2.userId, manager.userId]);
    const audit = (
      await as(admin, 'GET', `/api/audit-logs?action=schedule.layer_updated&resourceId=${scheduleId}`)
    ).json();
    expect(audit.entries[0].metadata.changes.rotation).toMatchObject({
      effectiveFrom: clock.toISOString(),
      startIndex: 1,
    });
  });

  it('layers can be reordered and ended, never in the past', async () => {
    const url = `/api/schedules/${scheduleId}/layers/${dailyId}`;
    expect((await as(manager, 'PATCH', url, { position: 2 })).json().position).toBe(2);
    const detail = (await as(member, 'GET', `/api/schedules/${scheduleId}`)).json();
    expect(detail.layers.map((l: { id: string }) => l.id)).toEqual([dailyId, businessId]);
    expect((await as(manager, 'PATCH', url, { endsAt: '2025-01-01T00:00:00Z' })).statusCode).toBe(400);
    expect((await as(manager, 'PATCH', url, { endsAt: '2025-12-01T00:00:00Z' })).json().endsAt).toBe(
      '2025-12-01T00:00:00.000Z',
    );
    expect((await as(manager, 'PATCH', url, { position: 1 })).statusCode).toBe(200);
  });

  it("a person's upcoming shifts: self and admins; anyone else 404", async () => {
    clock = new Date('2025-04-05T00:00:00Z');
    const own = await as(member, 'GET', `/api/users/${member.userId}/oncall?to=2025-04-08T00:00:00Z`);
    expect(own.statusCode, own.body).toBe(200);
    const shifts = own.json().shifts as Array<{ start: string; end: string; scheduleName: string }>;
    expect(new Set(shifts.map((s) => s.scheduleName))).toEqual(new Set(['Access', 'Timeline']));
    expect(shifts.filter((s) => s.scheduleName === 'Timeline').map((s) => [s.start, s.end])).toEqual([
      ['2025-04-06T07:00:00.000Z', '2025-04-07T07:00:00.000Z'],
    ]);
    expect((await as(admin, 'GET', `/api/users/${member.userId}/oncall`)).statusCode).toBe(200);
    expect((await as(member2, 'GET', `/api/users/${member.userId}/oncall`)).statusCode).toBe(404);
    expect((await as(manager, 'GET', `/api/users/${member.userId}/oncall`)).statusCode).toBe(404);
  });
});

describe('calendar feeds', () => {
  let scheduleId = '';

  beforeAll(async () => {
    clock = new Date('2025-10-20T12:00:00Z');
    scheduleId = await createSchedule(manager, 'Calendar', 'America/New_York');
    await addLayer(scheduleId, {
      name: 'primary',
      startsAt: '2025-10-01T09:00:00-04:00',
      turnUnit: 'days',
      turnLength: 2,
      handoffTime: '09:00',
      participantIds: [member.userId, member2.userId],
    });
    await as(manager, 'POST', `/api/schedules/${scheduleId}/overrides`, {
      userId: manager.userId,
      startsAt: '2025-11-02T05:00:00Z',
      endsAt: '2025-11-02T08:00:00Z',
      note: 'covering, the night clocks go back',
    });
  });

  const fetchFeed = (url: string) => t.request({ method: 'GET', url });

  function parse(body: string) {
    const calendar = new ICAL.Component(ICAL.parse(body));
    return calendar.getAllSubcomponents('vevent').map((component) => {
      const event = new ICAL.Event(component);
      return {
        uid: event.uid,
        summary: event.summary,
        start: event.startDate.toJSDate().toISOString(),
        end: event.endDate.toJSDate().toISOString(),
        utc: event.startDate.zone?.tzid === 'UTC' && event.endDate.zone?.tzid === 'UTC',
        stamp: component.getFirstPropertyValue('dtstamp') !== null,
      };
    });
  }

  it('a schedule feed is valid iCalendar whose events are exactly the computed spans', async () => {
    const created = await as(member, 'POST', `/api/schedules/${scheduleId}/ical-feeds`);
    expect(created.statusCode, created.body).toBe(201);
    const { url, id, tokenPrefix } = created.json();
    expect(url).toMatch(/^\/ical\/[0-9a-f]{64}\.ics$/);
    const response = await fetchFeed(url);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    expect(response.body.split('\r\n')[0]).toBe('BEGIN:VCALENDAR');
    expect(response.body.replaceAll('\r\n', '').includes('\n')).toBe(false);

    const events = parse(response.body);
    const spans = (await spansOf(member, scheduleId, '2025-09-20T00:00:00Z', '2026-04-18T00:00:00Z')).spans;
    expect(events.map(({ start, end }) => ({ start, end }))).toEqual(
      spans.map((s: { start: string; end: string }) => ({ start: s.start, end: s.end })),
    );
    expect(events.every((e) => e.utc && e.stamp && e.uid.endsWith('@klaxon'))).toBe(true);
    expect(new Set(events.map((e) => e.uid)).size).toBe(events.length);
    expect(events.find((e) => e.start === '2025-11-02T05:00:00.000Z')?.summary).toBe('On call: manager@example.com');

    // stored hashed, listed without the token, revocable: the URL stops working at once
    const token = url.slice('/ical/'.length, -'.ics'.length);
    const stored = await t.database.db.execute<{ token_hash: string }>(
      sql`select token_hash from ical_feeds where id = ${id}`,
    );
    expect(stored.rows.map((row) => row.token_hash)).toEqual([sha256Hex(token)]);
    const anywhere = await t.database.db.execute(sql`select * from ical_feeds`);
    expect(JSON.stringify(anywhere.rows)).not.toContain(token);
    expect(tokenPrefix).toBe(`${token.slice(0, 8)}...`);
    const listed = await as(member, 'GET', `/api/schedules/${scheduleId}/ical-feeds`);
    expect(listed.body).not.toContain(token);
    expect(listed.json().feeds.map((f: { id: string }) => f.id)).toEqual([id]);
    expect((await as(outsider, 'DELETE', `/api/ical-feeds/${id}`)).statusCode).toBe(404);
    expect((await as(member2, 'DELETE', `/api/ical-feeds/${id}`)).statusCode).toBe(404);
    expect((await as(manager, 'DELETE', `/api/ical-feeds/${id}`)).statusCode).toBe(204);
    expect((await fetchFeed(url)).statusCode).toBe(404);
    const actions = (await as(admin, 'GET', `/api/audit-logs?resourceType=ical_feed&resourceId=${id}`)).json().entries;
    expect(actions.map((e: { action: string }) => e.action)).toEqual(['ical_feed.revoked', 'ical_feed.created']);
    expect(JSON.stringify(actions)).not.toContain(token);
  });

  it('a personal feed lists only that person’s shifts; others cannot create one for them', async () => {
    expect((await as(member2, 'POST', `/api/users/${member.userId}/ical-feeds`)).statusCode).toBe(404);
    const created = await as(member, 'POST', `/api/users/${member.userId}/ical-feeds`);
    expect(created.statusCode, created.body).toBe(201);
    const events = parse((await fetchFeed(created.json().url)).body);
    const shifts = (
      await as(member, 'GET', `/api/users/${member.userId}/oncall?from=2025-09-20T00:00:00Z&to=2026-04-18T00:00:00Z`)
    ).json().shifts;
    expect(events.length).toBeGreaterThan(20);
    expect(events.map(({ start, end }) => ({ start, end }))).toEqual(
      shifts.map((s: { start: string; end: string }) => ({ start: s.start, end: s.end })),
    );
    const names = new Set(events.map((e) => e.summary));
    expect(names.has('On call: Calendar')).toBe(true);
    expect(
      [...names].every((name) => ['On call: Calendar', 'On call: Access', 'On call: Timeline'].includes(name)),
    ).toBe(true);
    expect((await as(member, 'GET', `/api/users/${member.userId}/ical-feeds`)).json().feeds).toHaveLength(1);
  });

  it('unknown, malformed and revoked tokens all answer the same 404', async () => {
    for (const file of [`${'0'.repeat(64)}.ics`, 'short.ics', `${'a'.repeat(64)}.txt`]) {
      const response = await fetchFeed(`/ical/${file}`);
      expect(response.statusCode).toBe(404);
      expect(response.json().type).toMatch(/\/ical-feed-not-found$/);
    }
  });

  it('deleting a schedule removes its feeds, overrides and layers', async () => {
    const feed = (await as(member, 'POST', `/api/schedules/${scheduleId}/ical-feeds`)).json();
    expect((await as(manager, 'DELETE', `/api/schedules/${scheduleId}`)).statusCode).toBe(204);
    expect((await fetchFeed(feed.url)).statusCode).toBe(404);
    expect((await as(member, 'GET', `/api/schedules/${scheduleId}`)).statusCode).toBe(404);
  });
});
