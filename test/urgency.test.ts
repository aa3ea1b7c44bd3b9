import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STEP_QUEUE, stepJobId } from '../src/modules/escalation/escalation-jobs.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Urgency and support hours on an injectable clock: low-urgency incidents outside support hours
 * wait for them (or are never paged), notification rules apply by urgency, and the trace and the
 * simulation name the decision. Steps are driven with `runStep` at the instant the job would run.
 */
let clock = new Date('2026-10-23T16:00:00.000Z');
let t: TestApp;
let admin: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
const teams: Record<'berlin' | 'newYork', string> = { berlin: '', newYork: '' };
let integration: Awaited<ReturnType<typeof createIntegration>>;
const methods = { email: '', webhook: '' };

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });
const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));

async function fire(team: string, dedupKey: string, severity: string) {
  const response = await sendSigned(t, integration, { title: dedupKey, dedupKey, severity, labels: { team } });
  expect(response.statusCode, response.body).toBe(202);
  const alertId = response.json().alerts[0].id as string;
  const incidents = (await as(admin, 'GET', '/api/incidents')).json().incidents as Array<Record<string, unknown>>;
  const incident = incidents.find((row) => row.title === dedupKey);
  if (incident === undefined) throw new Error('no incident opened');
  return { alertId, incident };
}

const simulate = async (team: string, severity: string) => {
  const response = await as(admin, 'POST', '/api/simulate', {
    integration: integration.name,
    payload: { title: 'simulated', dedupKey: `simulated-${clock.getTime()}`, severity, labels: { team } },
    at: clock.toISOString(),
  });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().alerts[0] as {
    entries: Array<{ kind: string; message: string }>;
    levels: Array<{ at: string; notifications: Array<{ contactMethodType: string }> }>;
  };
};
const traceOf = async (alertId: string) =>
  (await as(admin, 'GET', `/api/alerts/${alertId}/trace`)).json().entries as Array<{ kind: string; message: string }>;
const notificationsOf = async (incidentId: string) =>
  ((await as(admin, 'GET', '/api/notifications')).json().notifications as Array<Record<string, unknown>>).filter(
    (row) => row.incidentId === incidentId,
  );
const runStep = (incidentId: string) => t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 });

beforeAll(async () => {
  t = await createTestApp({ now: () => clock, incidents: allowLoopbackReceivers });
  admin = await t.createAdmin();
  member = await t.createUser(admin.apiKey);
  integration = await createIntegration(t, admin.apiKey, { name: 'urgency', type: 'generic' });
  for (const name of ['berlin', 'newYork'] as const) {
    const team = await as(admin, 'POST', '/api/teams', { name });
    expect(team.statusCode, team.body).toBe(201);
    teams[name] = team.json().id;
    await as(admin, 'POST', `/api/teams/${teams[name]}/members`, { userId: admin.userId, role: 'manager' });
    await as(admin, 'POST', `/api/teams/${teams[name]}/members`, { userId: member.userId });
    await as(admin, 'POST', '/api/routing-rules', {
      name,
      teamId: teams[name],
      matchers: [{ field: 'labels.team', op: 'equals', value: name }],
    });
    const policy = await as(admin, 'POST', '/api/escalation-policies', {
      teamId: teams[name],
      name: 'default',
      isDefault: true,
      levels: [{ delayMinutes: 30, targets: [{ type: 'user', id: admin.userId }] }],
    });
    expect(policy.statusCode, policy.body).toBe(201);
  }
  // High urgency: a webhook at once (to a closed loopback port: nothing is sent here). Low urgency: an email.
  methods.email = (
    await as(admin, 'POST', '/api/contact-methods', { type: 'email', address: 'oncall@example.com' })
  ).json().id;
  methods.webhook = (
    await as(admin, 'POST', '/api/contact-methods', { type: 'webhook', address: 'http://127.0.0.1:9/page' })
  ).json().id;
  for (const [contactMethodId, urgency] of [
    [methods.webhook, 'high'],
    [methods.email, 'low'],
  ]) {
    const rule = await as(admin, 'POST', '/api/notification-rules', { contactMethodId, delayMinutes: 0, urgency });
    expect(rule.statusCode, rule.body).toBe(201);
    expect(rule.json().urgency).toBe(urgency);
  }
});
afterAll(() => t?.close());

describe('team urgency settings', () => {
  it('default to critical and error as high urgency, without support hours', async () => {
    const response = await as(member, 'GET', `/api/teams/${teams.berlin}/urgency`);
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({
      teamId: teams.berlin,
      highUrgencySeverities: ['critical', 'error'],
      timeZone: null,
      windows: [],
      outsideHours: 'defer',
    });
  });

  it('are written by managers only, validated, and audited', async () => {
    const body = {
      highUrgencySeverities: ['critical', 'error'],
      timeZone: 'Europe/Berlin',
      windows: weekdays('09:00', '17:00'),
      outsideHours: 'defer',
    };
    expect((await as(member, 'PUT', `/api/teams/${teams.berlin}/urgency`, body)).statusCode).toBe(403);
    expect(
      (await as(admin, 'PUT', `/api/teams/${teams.berlin}/urgency`, { ...body, timeZone: 'Mars/Olympus' })).statusCode,
    ).toBe(400);
    expect(
      (
        await as(admin, 'PUT', `/api/teams/${teams.berlin}/urgency`, {
          ...body,
          windows: [{ day: 1, start: '17:00', end: '09:00' }],
        })
      ).statusCode,
    ).toBe(400);
    const saved = await as(admin, 'PUT', `/api/teams/${teams.berlin}/urgency`, body);
    expect(saved.statusCode, saved.body).toBe(200);
    expect((await as(member, 'GET', `/api/teams/${teams.berlin}/urgency`)).json().timeZone).toBe('Europe/Berlin');
    const newYork = await as(admin, 'PUT', `/api/teams/${teams.newYork}/urgency`, {
      ...body,
      timeZone: 'America/New_York',
      windows: weekdays('08:00', '18:00'),
      outsideHours: 'never',
    });
    expect(newYork.statusCode, newYork.body).toBe(200);
    const audit = await as(admin, 'GET', '/api/audit-logs');
    const entries = audit.json().entries as Array<{ action: string; resourceId: string }>;
    expect(entries.filter((entry) => entry.action === 'team_urgency.updated').map((entry) => entry.resourceId)).toEqual(
      expect.arrayContaining([teams.berlin, teams.newYork]),
    );
  });
});

describe('paging by urgency and support hours', () => {
  it('defers a low-urgency incident outside support hours across the Berlin DST change, then pages it', async () => {
    // Friday 2026-10-23 18:00 CEST; support hours begin Monday 09:00 CET, after the change back.
    clock = new Date('2026-10-23T16:00:00.000Z');
    const predicted = await simulate('berlin', 'warning');
    const { alertId, incident } = await fire('berlin', 'berlin-disk', 'warning');
    expect(incident.urgency).toBe('low');
    expect(incident.nextEscalationAt).toBe('2026-10-26T08:00:00.000Z');
    const decision = 'Low urgency outside support hours: deferred until 2026-10-26T09:00 Europe/Berlin';
    expect(await traceOf(alertId)).toContainEqual(
      expect.objectContaining({ kind: 'paging_deferred', message: decision }),
    );
    expect(predicted.entries).toContainEqual(expect.objectContaining({ kind: 'paging_deferred', message: decision }));
    expect(predicted.levels[0]?.at).toBe('2026-10-26T08:00:00.000Z');
    expect(predicted.levels[0]?.notifications.map((n) => n.contactMethodType)).toEqual(['email']);
    expect(await notificationsOf(incident.id as string)).toEqual([]);

    clock = new Date('2026-10-26T08:00:00.000Z');
    expect(await runStep(incident.id as string)).toBe('ran');
    const sent = await notificationsOf(incident.id as string);
    expect(sent.map((row) => [row.contactMethodType, row.scheduledAt])).toEqual([
      ['email', '2026-10-26T08:00:00.000Z'],
    ]);
  });

  it('pages a high-urgency incident at once, on the high-urgency rules', async () => {
    clock = new Date('2026-10-23T16:00:00.000Z');
    const predicted = await simulate('berlin', 'critical');
    const { alertId, incident } = await fire('berlin', 'berlin-down', 'critical');
    expect(incident.urgency).toBe('high');
    expect(incident.nextEscalationAt).toBe(clock.toISOString());
    expect(await runStep(incident.id as string)).toBe('ran');
    expect((await notificationsOf(incident.id as string)).map((row) => row.contactMethodType)).toEqual(['webhook']);
    expect(predicted.levels[0]?.notifications.map((n) => n.contactMethodType)).toEqual(['webhook']);
    expect((await traceOf(alertId)).map((entry) => entry.kind)).not.toContain('paging_deferred');
  });

  it('pages a low-urgency incident inside support hours at once', async () => {
    clock = new Date('2026-10-26T08:00:00.000Z');
    const { incident } = await fire('berlin', 'berlin-slow', 'info');
    expect(incident.urgency).toBe('low');
    expect(incident.nextEscalationAt).toBe(clock.toISOString());
  });

  it('never pages a low-urgency incident outside New York support hours when the team chose so, across its DST change', async () => {
    // Friday 2026-10-30 18:30 EDT: just after hours (18:00 EDT is 22:00Z).
    clock = new Date('2026-10-30T22:30:00.000Z');
    const predicted = await simulate('newYork', 'warning');
    const { alertId, incident } = await fire('newYork', 'ny-queue', 'warning');
    expect(incident.urgency).toBe('low');
    expect(incident.escalationLevel).toBeNull();
    const decision = 'Low urgency outside support hours: nobody is paged (the team never pages those)';
    expect(await traceOf(alertId)).toContainEqual(
      expect.objectContaining({ kind: 'not_paged_outside_support_hours', message: decision }),
    );
    expect(predicted.entries).toContainEqual(
      expect.objectContaining({ kind: 'not_paged_outside_support_hours', message: decision }),
    );
    expect(predicted.levels).toEqual([]);

    // Monday 2026-11-02 08:00 EST is 13:00Z after the change: 12:30Z is still outside, 13:00Z inside.
    clock = new Date('2026-11-02T12:30:00.000Z');
    expect((await fire('newYork', 'ny-early', 'warning')).incident.escalationLevel).toBeNull();
    clock = new Date('2026-11-02T13:00:00.000Z');
    const inside = await fire('newYork', 'ny-inside', 'warning');
    expect(inside.incident.escalationLevel).toBe(0);
    expect((await simulate('newYork', 'warning')).levels).toHaveLength(1);
  });
});

describe('a more severe alert grouped into a low-urgency incident', () => {
  const groupByService = (team: 'berlin' | 'newYork') =>
    as(admin, 'PUT', `/api/teams/${teams[team]}/incident-grouping`, { groupBy: ['service'], windowMinutes: 120 });
  const ungroup = (team: 'berlin' | 'newYork') => as(admin, 'DELETE', `/api/teams/${teams[team]}/incident-grouping`);
  async function send(team: string, dedupKey: string, severity: string) {
    const response = await sendSigned(t, integration, {
      title: dedupKey,
      dedupKey,
      severity,
      labels: { team, service: `${team}-db` },
    });
    expect(response.statusCode, response.body).toBe(202);
    return response.json().alerts[0].id as string;
  }
  const incidentOfAlert = async (alertId: string) => {
    const [incident] = (await as(admin, 'GET', `/api/alerts/${alertId}`)).json().incidents as Array<{ id: string }>;
    return (await as(admin, 'GET', `/api/incidents/${incident?.id}`)).json() as Record<string, unknown>;
  };

  it('pages at once when a critical alert joins an incident deferred until support hours; a warning does not', async () => {
    expect((await groupByService('berlin')).statusCode).toBe(200);
    try {
      clock = new Date('2026-10-24T10:00:00.000Z'); // Saturday, outside Berlin's support hours
      const deferred = await incidentOfAlert(await send('berlin', 'db-slow', 'warning'));
      expect(deferred.nextEscalationAt).toBe('2026-10-26T08:00:00.000Z');

      clock = new Date('2026-10-24T10:05:00.000Z');
      expect((await incidentOfAlert(await send('berlin', 'db-slower', 'warning'))).id).toBe(deferred.id);
      const stillDeferred = await as(admin, 'GET', `/api/incidents/${deferred.id}`);
      expect(stillDeferred.json()).toMatchObject({ urgency: 'low', nextEscalationAt: '2026-10-26T08:00:00.000Z' });

      clock = new Date('2026-10-24T10:10:00.000Z');
      const joined = await incidentOfAlert(await send('berlin', 'db-down', 'critical'));
      expect(joined).toMatchObject({
        id: deferred.id,
        severity: 'critical',
        urgency: 'high',
        escalationLevel: 0,
        nextEscalationAt: clock.toISOString(),
      });
      const id = deferred.id as string;
      // The deferred first step (round 0) is stale; the new round pages on the high-urgency rules now.
      expect(await t.services.escalationEngine.runStep({ incidentId: id, level: 0, repetition: 0 })).toBe('stale');
      expect(await t.services.escalationEngine.runStep({ incidentId: id, level: 0, repetition: 1 })).toBe('ran');
      expect((await notificationsOf(id)).map((row) => row.contactMethodType)).toEqual(['webhook']);
    } finally {
      await ungroup('berlin');
    }
  });

  it('pages at once when a critical alert joins an incident the team never pages outside support hours', async () => {
    expect((await groupByService('newYork')).statusCode).toBe(200);
    try {
      clock = new Date('2026-10-31T15:00:00.000Z'); // Saturday in New York
      const quiet = await incidentOfAlert(await send('newYork', 'ny-db-slow', 'warning'));
      expect(quiet.escalationLevel).toBeNull();

      clock = new Date('2026-10-31T15:10:00.000Z');
      const joined = await incidentOfAlert(await send('newYork', 'ny-db-down', 'critical'));
      expect(joined).toMatchObject({ id: quiet.id, urgency: 'high', escalationLevel: 0 });
      const id = quiet.id as string;
      expect(await t.services.escalationEngine.runStep({ incidentId: id, level: 0, repetition: 0 })).toBe('ran');
      expect((await notificationsOf(id)).map((row) => row.contactMethodType)).toEqual(['webhook']);
    } finally {
      await ungroup('newYork');
    }
  });
});

describe('deferred paging is a durable job', () => {
  it('is scheduled in pg-boss at the start of support hours and kept across a restart', async () => {
    // A Saturday in 2030, so pg-boss (which runs on the real clock) holds the job instead of running it.
    clock = new Date('2030-01-05T12:00:00.000Z');
    // Earlier incidents are due by now: resolved, so the workers do not page them.
    const open = (await as(admin, 'GET', '/api/incidents?status=triggered')).json().incidents as Array<{ id: string }>;
    for (const { id } of open) expect((await as(admin, 'POST', `/api/incidents/${id}/resolve`)).statusCode).toBe(200);
    await t.services.escalationEngine.start();
    const { incident } = await fire('berlin', 'berlin-weekend', 'warning');
    expect(incident.nextEscalationAt).toBe('2030-01-07T08:00:00.000Z');
    const jobId = stepJobId({ incidentId: incident.id as string, level: 0, repetition: 0 });
    const job = async () =>
      (
        await t.database.executeSql('select state, start_after from pgboss.job where name = $1 and id = $2', [
          STEP_QUEUE,
          jobId,
        ])
      ).rows as Array<{ state: string; start_after: Date | string }>;
    const [scheduled] = await job();
    expect(scheduled?.state).toBe('created');
    expect(new Date(scheduled?.start_after ?? 0).toISOString()).toBe('2030-01-07T08:00:00.000Z');

    await t.services.escalationEngine.stop();
    await t.services.escalationEngine.start();
    await t.services.escalationEngine.reconcile();
    expect(await job()).toHaveLength(1);
    await t.services.escalationEngine.stop();
  });
});
