import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** The incident model and its API, without the job runner: grouping, alert sync, timeline, scoping, policies. */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let manager: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let outsider: { userId: string; apiKey: string };
let team = '';
let integration: Awaited<ReturnType<typeof createIntegration>>;

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });
const fire = (dedupKey: string, labels: Record<string, string>, status: 'firing' | 'resolved' = 'firing') =>
  sendSigned(t, integration, {
    title: dedupKey,
    dedupKey,
    status,
    severity: 'warning',
    labels: { team: 'core', ...labels },
  });
const incidents = async (who = admin) =>
  (await as(who, 'GET', '/api/incidents')).json().incidents as Array<Record<string, unknown>>;
const incidentOf = async (title: string) =>
  (await incidents()).find((i) => i.title === title) as { id: string; status: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  [manager, member, outsider] = [
    await t.createUser(admin.apiKey),
    await t.createUser(admin.apiKey),
    await t.createUser(admin.apiKey),
  ];
  team = (await as(admin, 'POST', '/api/teams', { name: 'core' })).json().id;
  await as(admin, 'POST', `/api/teams/${team}/members`, { userId: manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${team}/members`, { userId: member.userId });
  await as(admin, 'POST', '/api/routing-rules', {
    name: 'core',
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: 'core' }],
  });
  integration = await createIntegration(t, admin.apiKey, { name: 'incidents', type: 'generic' });
});
afterAll(() => t.close());

describe('incidents', () => {
  it('a routed firing alert opens an incident; without a policy that is recorded', async () => {
    await fire('lonely', {});
    const incident = await incidentOf('lonely');
    expect(incident).toMatchObject({ status: 'triggered', teamId: team, alertCount: 1, escalationLevel: null });
    const detail = (await as(member, 'GET', `/api/incidents/${incident.id}`)).json();
    expect(detail.timeline.map((e: { kind: string }) => e.kind)).toEqual(['opened', 'no_escalation_policy']);
    expect(detail.alerts).toHaveLength(1);
    // A repeat of the same alert is deduplicated: no new incident.
    await fire('lonely', {});
    expect((await incidents()).filter((i) => i.title === 'lonely')).toHaveLength(1);
  });

  it('groups by label names within the window, and auto-resolves when every alert resolves at its source', async () => {
    const rule = await as(manager, 'PUT', `/api/teams/${team}/incident-grouping`, {
      groupBy: ['service'],
      windowMinutes: 10,
    });
    expect(rule.statusCode, rule.body).toBe(200);
    expect(
      (await as(member, 'PUT', `/api/teams/${team}/incident-grouping`, { groupBy: [], windowMinutes: 1 })).statusCode,
    ).toBe(403);
    await fire('db-1', { service: 'db' });
    await fire('db-2', { service: 'db' });
    await fire('web-1', { service: 'web' });
    const db = await incidentOf('db-1');
    const detail = (await as(admin, 'GET', `/api/incidents/${db.id}`)).json();
    expect(detail.alertCount).toBe(2);
    expect(detail.alerts.map((a: { title: string }) => a.title)).toEqual(['db-1', 'db-2']);
    expect(detail.timeline.map((e: { kind: string }) => e.kind)).toContain('alert_joined');
    expect(await incidentOf('db-2')).toBeUndefined();
    expect(await incidentOf('web-1')).toBeDefined();

    await fire('db-1', { service: 'db' }, 'resolved');
    expect((await as(admin, 'GET', `/api/incidents/${db.id}`)).json().status).toBe('triggered');
    await fire('db-2', { service: 'db' }, 'resolved');
    const resolved = (await as(admin, 'GET', `/api/incidents/${db.id}`)).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.resolvedBy).toBeNull();
    expect(resolved.timeline.at(-1)).toMatchObject({
      kind: 'resolved',
      message: expect.stringMatching(/automatically/),
    });
    await as(manager, 'DELETE', `/api/teams/${team}/incident-grouping`);
  });

  it('acknowledging an alert acknowledges its incident and the incident its alerts; resolving resolves both', async () => {
    await fire('pair-a', { service: 'pair' });
    const incident = await incidentOf('pair-a');
    const alertId = (await as(admin, 'GET', `/api/incidents/${incident.id}`)).json().alerts[0].id;
    expect((await as(member, 'POST', `/api/alerts/${alertId}/acknowledge`)).statusCode).toBe(200);
    expect((await as(member, 'GET', `/api/incidents/${incident.id}`)).json()).toMatchObject({
      status: 'acknowledged',
      acknowledgedBy: member.userId,
    });
    const resolved = await as(member, 'POST', `/api/incidents/${incident.id}/resolve`);
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: member.userId });
    expect((await as(member, 'GET', `/api/alerts/${alertId}`)).json()).toMatchObject({
      status: 'resolved',
      resolvedBy: member.userId,
    });
    expect((await as(member, 'POST', `/api/incidents/${incident.id}/acknowledge`)).statusCode).toBe(409);
    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${incident.id}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action)).toContain('incident.resolved');
  });

  it('notes and reassignment go on the timeline; other teams see nothing', async () => {
    await fire('noted', {});
    const { id } = await incidentOf('noted');
    expect((await as(member, 'POST', `/api/incidents/${id}/notes`, { text: 'looking into it' })).statusCode).toBe(201);
    const reassigned = await as(member, 'POST', `/api/incidents/${id}/reassign`, { userId: manager.userId });
    expect(reassigned.json().assigneeUserId).toBe(manager.userId);
    expect(
      (await as(member, 'POST', `/api/incidents/${id}/reassign`, { userId: '00000000-0000-7000-8000-000000000000' }))
        .statusCode,
    ).toBe(404);
    const timeline = (await as(member, 'GET', `/api/incidents/${id}`)).json().timeline;
    expect(timeline.slice(-2)).toMatchObject([
      { kind: 'note', userId: member.userId, message: 'looking into it' },
      { kind: 'reassigned', userId: member.userId, metadata: { to: manager.userId } },
    ]);
    expect(await incidents(outsider)).toEqual([]);
    for (const [method, path] of [
      ['GET', ''],
      ['POST', '/acknowledge'],
      ['POST', '/resolve'],
    ] as const) {
      expect((await as(outsider, method, `/api/incidents/${id}${path}`)).statusCode).toBe(404);
    }
    expect((await as(outsider, 'POST', `/api/incidents/${id}/notes`, { text: 'x' })).statusCode).toBe(404);
  });
});

describe('escalation policies', () => {
  it('managers and admins write, members read, outsiders see nothing; changes are audited; one default per team', async () => {
    const schedule = await as(admin, 'POST', '/api/schedules', {
      teamId: team,
      name: 'policy-target',
      timeZone: 'UTC',
    });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const body = {
      teamId: team,
      name: 'primary',
      isDefault: true,
      levels: [
        {
          delayMinutes: 5,
          targets: [
            { type: 'user', id: member.userId },
            { type: 'schedule', id: schedule.json().id as string },
          ],
        },
      ],
    };
    expect((await as(member, 'POST', '/api/escalation-policies', body)).statusCode).toBe(403);
    expect((await as(outsider, 'POST', '/api/escalation-policies', body)).statusCode).toBe(404);
    const created = await as(manager, 'POST', '/api/escalation-policies', body);
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ repeatCount: 0, isDefault: true, levels: body.levels });
    expect((await as(manager, 'POST', '/api/escalation-policies', body)).statusCode).toBe(409);
    const second = await as(admin, 'POST', '/api/escalation-policies', { ...body, name: 'secondary' });
    expect(second.json().isDefault).toBe(true);
    expect((await as(member, 'GET', `/api/escalation-policies/${created.json().id}`)).json().isDefault).toBe(false);
    expect((await as(member, 'GET', '/api/escalation-policies')).json().policies).toHaveLength(2);
    expect((await as(outsider, 'GET', '/api/escalation-policies')).json().policies).toEqual([]);
    expect((await as(outsider, 'GET', `/api/escalation-policies/${created.json().id}`)).statusCode).toBe(404);

    const badUser = await as(manager, 'POST', '/api/escalation-policies', {
      ...body,
      name: 'bad',
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: '00000000-0000-7000-8000-000000000000' }] }],
    });
    expect(badUser.statusCode).toBe(400);
    expect((await as(manager, 'POST', '/api/escalation-policies', { ...body, name: 'x', levels: [] })).statusCode).toBe(
      400,
    );

    const patched = await as(manager, 'PATCH', `/api/escalation-policies/${created.json().id}`, { repeatCount: 2 });
    expect(patched.json().repeatCount).toBe(2);
    expect((await as(manager, 'DELETE', `/api/escalation-policies/${created.json().id}`)).statusCode).toBe(204);
    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${created.json().id}`)).json().entries;
    expect(audit.map((e: { action: string }) => e.action).sort()).toEqual([
      'escalation_policy.created',
      'escalation_policy.deleted',
      'escalation_policy.updated',
    ]);

    // New incidents of the team follow its default policy.
    await fire('with-policy', {});
    expect(await incidentOf('with-policy')).toMatchObject({ escalationPolicyId: second.json().id, escalationLevel: 0 });
  });
});

describe('contact methods and rules', () => {
  it('are per person: own ones only, admins anyone; rules refer to own methods', async () => {
    const mine = await as(member, 'POST', '/api/contact-methods', { type: 'email', address: 'member@example.com' });
    expect(mine.statusCode, mine.body).toBe(201);
    expect(mine.json().signingSecret).toBeUndefined();
    expect((await as(member, 'POST', '/api/contact-methods', { type: 'slack', address: 'ftp://x' })).statusCode).toBe(
      400,
    );
    expect(
      (await as(member, 'POST', '/api/contact-methods', { type: 'email', address: 'x', userId: manager.userId }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await as(member, 'POST', '/api/contact-methods', {
          type: 'email',
          address: 'x@example.com',
          userId: manager.userId,
        })
      ).statusCode,
    ).toBe(403);
    const rule = await as(member, 'POST', '/api/notification-rules', {
      contactMethodId: mine.json().id,
      delayMinutes: 5,
    });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(
      (await as(member, 'POST', '/api/notification-rules', { contactMethodId: mine.json().id, delayMinutes: 5 }))
        .statusCode,
    ).toBe(409);
    expect(
      (await as(outsider, 'POST', '/api/notification-rules', { contactMethodId: mine.json().id, delayMinutes: 0 }))
        .statusCode,
    ).toBe(404);
    expect((await as(outsider, 'DELETE', `/api/contact-methods/${mine.json().id}`)).statusCode).toBe(404);
    expect((await as(admin, 'GET', `/api/contact-methods?userId=${member.userId}`)).json().contactMethods).toHaveLength(
      1,
    );
    // Without SMTP configured the test notification reports a permanent failure instead of pretending.
    const test = await as(member, 'POST', `/api/contact-methods/${mine.json().id}/test`);
    expect(test.json()).toEqual({ outcome: 'permanent_failure', detail: 'SMTP_URL is not configured' });
  });
});
