import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** Maintenance windows and inhibition rules around alerts, on an injectable clock. */
// A Saturday: 09:00 UTC is 10:00 in Berlin (winter time).
let clock = new Date('2026-12-05T08:00:00.000Z');
let t: TestApp;
let admin: { userId: string; apiKey: string };
let team = '';
let otherTeam = '';
let prom: Awaited<ReturnType<typeof createIntegration>>;
let other: Awaited<ReturnType<typeof createIntegration>>;

const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
const at = (minutes: number) => new Date(clock.getTime() + minutes * 60_000).toISOString();
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};
const send = async (
  via: { name: string; webhookSecret: string },
  dedupKey: string,
  labels: Record<string, string>,
  options: { severity?: string; status?: 'firing' | 'resolved'; team?: string } = {},
) => {
  const response = await sendSigned(t, via, {
    title: dedupKey,
    dedupKey,
    severity: options.severity ?? 'warning',
    status: options.status ?? 'firing',
    labels: { team: options.team ?? 'ops', ...labels },
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().alerts[0].id as string;
};
const incidentsTitled = async (title: string) =>
  ((await as('GET', '/api/incidents')).json().incidents as Array<{ title: string }>).filter(
    (incident) => incident.title === title,
  );
const alert = async (id: string) => (await as('GET', `/api/alerts/${id}`)).json();

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.createAdmin();
  team = (await as('POST', '/api/teams', { name: 'ops' })).json().id;
  otherTeam = (await as('POST', '/api/teams', { name: 'web' })).json().id;
  for (const [name, teamId] of [
    ['ops', team],
    ['web', otherTeam],
  ]) {
    await as('POST', '/api/routing-rules', {
      name,
      teamId,
      matchers: [{ field: 'labels.team', op: 'equals', value: name }],
    });
  }
  prom = await createIntegration(t, admin.apiKey, { name: 'prom', type: 'generic' });
  other = await createIntegration(t, admin.apiKey, { name: 'other', type: 'generic' });
});
afterAll(() => t.close());

describe('maintenance windows', () => {
  it('hold back alerts of their scope while in force, and only then', async () => {
    const created = await as('POST', '/api/maintenance-windows', {
      name: 'prom upgrade',
      startsAt: at(10),
      endsAt: at(70),
      integrationIds: [prom.id],
    });
    expect(created.statusCode, created.body).toBe(201);
    const window = created.json();
    expect(window.inProgress).toBeNull();

    await send(prom, 'before', {});
    expect(await incidentsTitled('before')).toHaveLength(1);
    advance(10);
    expect((await as('GET', `/api/maintenance-windows/${window.id}`)).json().inProgress).toEqual({
      start: clock.toISOString(),
      end: at(60),
    });
    const held = await send(prom, 'during', {});
    expect(await incidentsTitled('during')).toHaveLength(0);
    expect((await alert(held)).suppressedBy).toEqual({ kind: 'maintenance', id: window.id });
    // Another integration is outside the window's scope.
    await send(other, 'elsewhere', {});
    expect(await incidentsTitled('elsewhere')).toHaveLength(1);
    advance(60);
    await send(prom, 'after', {});
    expect(await incidentsTitled('after')).toHaveLength(1);
    // The window promised nothing on its end: the held alert stays without an incident.
    expect(await t.services.maintenanceService.handleEndings()).toBe(0);
    expect(await incidentsTitled('during')).toHaveLength(0);

    const audit = (await as('GET', `/api/audit-logs?resourceId=${window.id}`)).json().entries;
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual(['maintenance_window.created']);
  });

  it('with openIncidentsOnEnd, alerts still firing open incidents once when it ends; resolved ones do not', async () => {
    const window = (
      await as('POST', '/api/maintenance-windows', {
        name: 'ops work',
        startsAt: clock.toISOString(),
        endsAt: at(30),
        teamIds: [team],
        openIncidentsOnEnd: true,
      })
    ).json();
    await send(prom, 'still-firing', {});
    await send(prom, 'recovered', {});
    await send(prom, 'web-alert', {}, { team: 'web' });
    expect(await incidentsTitled('still-firing')).toHaveLength(0);
    expect(await incidentsTitled('web-alert')).toHaveLength(1);
    await send(prom, 'recovered', {}, { status: 'resolved' });

    expect(await t.services.maintenanceService.handleEndings()).toBe(0);
    advance(30);
    // Two sweeps at once (two processes): one ending, handled once.
    const handled = await Promise.all([
      t.services.maintenanceService.handleEndings(),
      t.services.maintenanceService.handleEndings(),
    ]);
    expect(handled.sort()).toEqual([0, 1]);
    expect(await t.services.maintenanceService.handleEndings()).toBe(0);
    expect(await incidentsTitled('still-firing')).toHaveLength(1);
    expect(await incidentsTitled('recovered')).toHaveLength(0);
    const released = (await as('GET', '/api/alerts?status=firing'))
      .json()
      .alerts.find((a: { title: string }) => a.title === 'still-firing');
    expect(released.suppressedBy).toBeNull();
    const trace = (await as('GET', `/api/alerts/${released.id}/trace`)).json();
    const kinds = trace.entries.map((entry: { kind: string }) => entry.kind);
    expect(kinds).toEqual(expect.arrayContaining(['in_maintenance', 'maintenance_ended', 'incident_opened']));
    expect(trace.entries.find((e: { kind: string }) => e.kind === 'in_maintenance').refs.windowId).toBe(window.id);
  });

  it('a weekly window recurs at local time in its time zone', async () => {
    clock = new Date('2026-12-05T09:30:00.000Z'); // Saturday 10:30 in Berlin
    await as('POST', '/api/maintenance-windows', {
      name: 'saturday patching',
      recurrence: { days: [6], startTime: '10:00', durationMinutes: 120, timeZone: 'Europe/Berlin' },
      matchers: [{ name: 'service', value: 'patchable' }],
    });
    await send(prom, 'sat-1', { service: 'patchable' });
    expect(await incidentsTitled('sat-1')).toHaveLength(0);
    clock = new Date('2026-12-05T11:00:00.000Z'); // 12:00 in Berlin: over
    await send(prom, 'sat-2', { service: 'patchable' });
    expect(await incidentsTitled('sat-2')).toHaveLength(1);
    clock = new Date('2026-12-12T09:59:00.000Z'); // next Saturday, 10:59 in Berlin
    await send(prom, 'sat-3', { service: 'patchable' });
    expect(await incidentsTitled('sat-3')).toHaveLength(0);
    clock = new Date('2026-12-13T09:30:00.000Z'); // Sunday
    await send(prom, 'sun-1', { service: 'patchable' });
    expect(await incidentsTitled('sun-1')).toHaveLength(1);
  });

  it('refuses a window that is neither a span nor a recurrence, or both', async () => {
    expect((await as('POST', '/api/maintenance-windows', { name: 'x' })).statusCode).toBe(400);
    const both = await as('POST', '/api/maintenance-windows', {
      name: 'x',
      startsAt: at(0),
      endsAt: at(10),
      recurrence: { days: [1], startTime: '10:00', durationMinutes: 10, timeZone: 'UTC' },
    });
    expect(both.statusCode).toBe(400);
    const badZone = await as('POST', '/api/maintenance-windows', {
      name: 'x',
      recurrence: { days: [1], startTime: '10:00', durationMinutes: 10, timeZone: 'Mars/Base' },
    });
    expect(badZone.statusCode).toBe(400);
  });
});

describe('inhibition rules', () => {
  it('a firing source alert inhibits matching targets with equal labels, until it resolves', async () => {
    clock = new Date('2026-12-20T12:00:00.000Z');
    const rule = (
      await as('POST', '/api/inhibition-rules', {
        name: 'node down hides its warnings',
        sourceMatchers: [{ name: 'alertname', value: 'NodeDown' }],
        targetMatchers: [{ name: 'severity', value: 'warning' }],
        equal: ['instance'],
      })
    ).json();
    const source = await send(prom, 'node-a-down', { alertname: 'NodeDown', instance: 'a' }, { severity: 'critical' });
    expect(await incidentsTitled('node-a-down')).toHaveLength(1);

    const target = await send(prom, 'disk-a', { alertname: 'DiskSlow', instance: 'a' });
    expect(await incidentsTitled('disk-a')).toHaveLength(0);
    expect((await alert(target)).suppressedBy).toEqual({ kind: 'inhibition', id: rule.id, sourceAlertId: source });
    // Another instance: not equal, not inhibited.
    await send(prom, 'disk-b', { alertname: 'DiskSlow', instance: 'b' });
    expect(await incidentsTitled('disk-b')).toHaveLength(1);
    // Critical targets are outside the target matchers.
    await send(prom, 'cpu-a', { alertname: 'CpuHot', instance: 'a' }, { severity: 'critical' });
    expect(await incidentsTitled('cpu-a')).toHaveLength(1);

    await send(prom, 'node-a-down', { alertname: 'NodeDown', instance: 'a' }, { status: 'resolved' });
    await send(prom, 'mem-a', { alertname: 'MemLow', instance: 'a' });
    expect(await incidentsTitled('mem-a')).toHaveLength(1);

    const trace = (await as('GET', `/api/alerts/${target}/trace`)).json();
    const inhibited = trace.entries.find((entry: { kind: string }) => entry.kind === 'inhibited');
    expect(inhibited.refs).toEqual({ inhibitionRuleId: rule.id, sourceAlertId: source });
    expect(trace.entries.map((entry: { kind: string }) => entry.kind)).not.toContain('incident_opened');
  });

  it('rules are admin-only and audited', async () => {
    const user = await t.createUser(admin.apiKey);
    const forbidden = await t.request({ method: 'GET', url: '/api/inhibition-rules', key: user.apiKey });
    expect(forbidden.statusCode).toBe(403);
    const rule = (
      await as('POST', '/api/inhibition-rules', {
        name: 'temp',
        sourceMatchers: [{ name: 'a', value: 'b' }],
        targetMatchers: [{ name: 'c', value: 'd' }],
      })
    ).json();
    expect((await as('DELETE', `/api/inhibition-rules/${rule.id}`)).statusCode).toBe(204);
    const audit = (await as('GET', `/api/audit-logs?resourceId=${rule.id}`)).json().entries;
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual([
      'inhibition_rule.deleted',
      'inhibition_rule.created',
    ]);
  });
});
