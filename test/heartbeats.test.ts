import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPostgres } from '../src/db/client.js';
import { createServices, type Services } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Heartbeats on the real database with an injected clock: the sweep is called directly, so a
 * "missed" ping needs no waiting. The missed alert goes through the ordinary ingest path.
 */
let clock = new Date('2026-03-01T12:00:00Z');
const now = () => clock;
const advance = (seconds: number) => {
  clock = new Date(clock.getTime() + seconds * 1000);
};

let t: TestApp;
let admin: { userId: string; apiKey: string };
let manager: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let outsider: { userId: string; apiKey: string };
let teamId: string;
const extra: Array<() => Promise<void>> = [];

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });

interface Created {
  id: string;
  token: string;
  pingUrl: string;
  status: string;
  expectedBy: string;
}

async function createHeartbeat(body: Record<string, unknown>, who = manager): Promise<Created> {
  const response = await as(who, 'POST', '/api/heartbeats', { teamId, intervalSeconds: 60, graceSeconds: 30, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const heartbeatAlerts = async (heartbeatId: string) =>
  ((await as(admin, 'GET', '/api/alerts?limit=100')).json().alerts as Array<Record<string, unknown>>).filter(
    (alert) => (alert.labels as Record<string, string>).heartbeat_id === heartbeatId,
  );

/** Another process's services on the same database (its own pool on PostgreSQL). */
function secondProcess(): Services {
  const url = (t.database as { url?: string }).url;
  const database = testDatabaseKind() === 'postgres' && url !== undefined ? openPostgres(url, 4) : t.database;
  const services = createServices({ database, masterKey: t.masterKey, now });
  extra.push(async () => {
    services.heartbeatMonitor.stop();
    if (database !== t.database) await database.close();
  });
  return services;
}

beforeAll(async () => {
  t = await createTestApp({ now });
  admin = await t.createAdmin();
  manager = await t.createUser(admin.apiKey);
  member = await t.createUser(admin.apiKey);
  outsider = await t.createUser(admin.apiKey);
  teamId = (await as(admin, 'POST', '/api/teams', { name: 'Platform' })).json().id;
  await as(admin, 'POST', `/api/teams/${teamId}/members`, { userId: manager.userId, role: 'manager' });
  await as(admin, 'POST', `/api/teams/${teamId}/members`, { userId: member.userId });
});

afterAll(async () => {
  for (const close of extra) await close();
  await t?.close();
});

describe('heartbeat monitors: API', () => {
  it('a team manager creates one; the ping token is shown once and only its prefix afterwards', async () => {
    const created = await createHeartbeat({ name: 'nightly-backup' });
    expect(created.token).toMatch(/^hb_[A-Za-z0-9_-]{43}$/);
    expect(created.pingUrl).toBe(`/api/heartbeats/ping/${created.token}`);
    expect(created.status).toBe('up');
    expect(created.expectedBy).toBe(new Date(clock.getTime() + 90_000).toISOString());

    const read = await as(member, 'GET', `/api/heartbeats/${created.id}`);
    expect(read.statusCode).toBe(200);
    expect(read.body).not.toContain(created.token);
    expect(read.json().tokenPrefix).toBe(`${created.token.slice(0, 10)}...`);
    const listed = await as(member, 'GET', '/api/heartbeats');
    expect(listed.json().heartbeats.map((h: { id: string }) => h.id)).toContain(created.id);
    expect(listed.body).not.toContain(created.token);

    const audit = await as(admin, 'GET', `/api/audit-logs?resourceId=${created.id}`);
    expect(audit.json().entries[0]).toMatchObject({ action: 'heartbeat.created', userId: manager.userId });
    expect(audit.body).not.toContain(created.token);
  });

  it('members read, only managers and admins write, outsiders see nothing', async () => {
    const created = await createHeartbeat({ name: 'scoped' });
    const denied = await as(member, 'POST', '/api/heartbeats', { teamId, name: 'nope', intervalSeconds: 60 });
    expect(denied.statusCode).toBe(403);
    expect((await as(member, 'PATCH', `/api/heartbeats/${created.id}`, { graceSeconds: 5 })).statusCode).toBe(403);
    expect((await as(outsider, 'GET', `/api/heartbeats/${created.id}`)).statusCode).toBe(404);
    expect((await as(outsider, 'GET', '/api/heartbeats')).json().heartbeats).toEqual([]);
    expect((await as(outsider, 'DELETE', `/api/heartbeats/${created.id}`)).statusCode).toBe(404);

    const changed = await as(manager, 'PATCH', `/api/heartbeats/${created.id}`, { graceSeconds: 5 });
    expect(changed.json().graceSeconds).toBe(5);
    const duplicate = await as(manager, 'POST', '/api/heartbeats', { teamId, name: 'SCOPED', intervalSeconds: 60 });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().type).toMatch(/duplicate-heartbeat$/);
    expect((await as(manager, 'DELETE', `/api/heartbeats/${created.id}`)).statusCode).toBe(204);
    expect((await as(manager, 'GET', `/api/heartbeats/${created.id}`)).statusCode).toBe(404);
  });

  it('only platform admins may turn an integration’s alerts into pings; unknown fields are refused', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'hb-perm', type: 'generic' });
    const watchdog = {
      integrationId: integration.id,
      matchers: [{ field: 'labels.alertname', op: 'equals', value: 'Watchdog' }],
    };
    const denied = await as(manager, 'POST', '/api/heartbeats', { teamId, name: 'wd', intervalSeconds: 60, watchdog });
    expect(denied.statusCode).toBe(403);
    const everything = await as(admin, 'POST', '/api/heartbeats', {
      teamId,
      name: 'wd',
      intervalSeconds: 60,
      watchdog: { integrationId: integration.id, matchers: [] },
    });
    expect(everything.statusCode).toBe(400);
    const unknown = await as(manager, 'POST', '/api/heartbeats', { teamId, name: 'x', intervalSeconds: 60, cron: 1 });
    expect(unknown.statusCode).toBe(400);
    const noIntegration = await as(manager, 'POST', '/api/heartbeats', {
      teamId,
      name: 'x',
      intervalSeconds: 60,
      integrationId: '00000000-0000-7000-8000-000000000000',
    });
    expect(noIntegration.statusCode).toBe(404);
  });

  it('pings by path and by header; unknown and malformed tokens are 404; the token never reaches the log', async () => {
    const created = await createHeartbeat({ name: 'pinged' });
    for (const method of ['GET', 'POST']) {
      const byPath = await t.request({ method, url: created.pingUrl });
      expect(byPath.statusCode, byPath.body).toBe(200);
      expect(byPath.json()).toEqual({ status: 'up' });
      const byHeader = await t.request({
        method,
        url: '/api/heartbeats/ping',
        headers: { 'x-heartbeat-token': created.token },
      });
      expect(byHeader.statusCode).toBe(200);
    }
    const unknown = await t.request({ method: 'POST', url: `/api/heartbeats/ping/hb_${'A'.repeat(43)}` });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    expect((await t.request({ method: 'GET', url: '/api/heartbeats/ping/%27%20or%201=1' })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/api/heartbeats/ping' })).statusCode).toBe(404);
    const read = (await as(manager, 'GET', `/api/heartbeats/${created.id}`)).json();
    expect(read.lastPingAt).toBe(clock.toISOString());
    expect(t.logs.join('\n')).not.toContain(created.token);
  });

  it('a rotated token replaces the old one at once', async () => {
    const created = await createHeartbeat({ name: 'rotated' });
    const rotated = await as(manager, 'POST', `/api/heartbeats/${created.id}/rotate-token`);
    expect(rotated.statusCode).toBe(200);
    expect((await t.request({ method: 'POST', url: created.pingUrl })).statusCode).toBe(404);
    expect((await t.request({ method: 'POST', url: rotated.json().pingUrl })).statusCode).toBe(200);
  });

  it('pings are rate limited per client address, guessed tokens included', async () => {
    const created = await createHeartbeat({ name: 'flooded' });
    const ping = (url: string, remoteAddress: string) => t.app.inject({ method: 'POST', url, remoteAddress });
    let answered = 0;
    while ((await ping('/api/heartbeats/ping/guess', '203.0.113.9')).statusCode === 404) answered++;
    expect(answered).toBe(300);
    const limited = await ping(created.pingUrl, '203.0.113.9');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await ping(created.pingUrl, '203.0.113.10')).statusCode).toBe(200);
  });
});

describe('heartbeat monitors: missed pings', () => {
  it('a missed ping opens one routed alert and incident; the next ping resolves them', async () => {
    const created = await createHeartbeat({ name: 'cron-report', intervalSeconds: 60, graceSeconds: 30 });
    advance(89);
    await t.services.heartbeatMonitor.sweep();
    expect(await heartbeatAlerts(created.id)).toEqual([]);

    advance(1);
    await t.services.heartbeatMonitor.sweep();
    await t.services.heartbeatMonitor.sweep();
    const [alert, ...others] = await heartbeatAlerts(created.id);
    expect(others).toEqual([]);
    expect(alert).toMatchObject({
      status: 'firing',
      severity: 'critical',
      title: 'Heartbeat "cron-report" missed',
      source: 'klaxon-heartbeat',
      teamIds: [teamId],
      occurrenceCount: 1,
    });
    const heartbeat = (await as(member, 'GET', `/api/heartbeats/${created.id}`)).json();
    expect(heartbeat).toMatchObject({ status: 'down', alertId: alert?.id, missedAt: heartbeat.missedAt });
    expect(heartbeat.missedAt).toBe(created.expectedBy);
    const incidents = (await as(member, 'GET', '/api/incidents')).json().incidents as Array<{
      id: string;
      status: string;
      title: string;
    }>;
    const incident = incidents.find((i) => i.title.includes('cron-report'));
    expect(incident?.status).toBe('triggered');

    advance(600);
    await t.services.heartbeatMonitor.sweep();
    expect(await heartbeatAlerts(created.id)).toHaveLength(1);

    expect((await t.request({ method: 'POST', url: created.pingUrl })).statusCode).toBe(200);
    const [resolved] = await heartbeatAlerts(created.id);
    expect(resolved?.status).toBe('resolved');
    const after = (await as(member, 'GET', `/api/heartbeats/${created.id}`)).json();
    expect(after).toMatchObject({ status: 'up', alertId: null, missedAt: null });
    expect((await as(member, 'GET', `/api/incidents/${incident?.id}`)).json().status).toBe('resolved');
  });

  it("uses the integration's routing when it has one", async () => {
    const otherTeam = (await as(admin, 'POST', '/api/teams', { name: 'Databases' })).json().id;
    const integration = await createIntegration(t, admin.apiKey, { name: 'hb-routed', type: 'generic' });
    await as(admin, 'POST', '/api/routing-rules', {
      name: 'heartbeats to databases',
      teamId: otherTeam,
      integrationId: integration.id,
      matchers: [{ field: 'labels.heartbeat', op: 'equals', value: 'db-backup' }],
    });
    const created = await createHeartbeat({ name: 'db-backup', integrationId: integration.id });
    advance(91);
    await t.services.heartbeatMonitor.sweep();
    const [alert] = await heartbeatAlerts(created.id);
    expect(alert).toMatchObject({ integrationId: integration.id, teamIds: [otherTeam], status: 'firing' });
    const deliveries = await as(admin, 'GET', `/api/integrations/${integration.id}/deliveries`);
    expect(deliveries.json().deliveries[0]).toMatchObject({ status: 'accepted', alertIds: [alert?.id] });
  });

  it('a paused heartbeat is never missed', async () => {
    const created = await createHeartbeat({ name: 'paused', isActive: false });
    advance(10_000);
    await t.services.heartbeatMonitor.sweep();
    expect(await heartbeatAlerts(created.id)).toEqual([]);
    expect((await as(member, 'GET', `/api/heartbeats/${created.id}`)).json().status).toBe('paused');
  });

  it('a heartbeat that expired while no process ran fires when one starts', async () => {
    const created = await createHeartbeat({ name: 'while-down' });
    advance(3600);
    const restarted = secondProcess();
    await restarted.heartbeatMonitor.start();
    const alerts = await heartbeatAlerts(created.id);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.status).toBe('firing');
  });

  it('several processes sweeping the same expired heartbeats open exactly one alert each', async () => {
    const processes = [t.services, secondProcess(), secondProcess()];
    const created = await Promise.all([1, 2, 3].map((n) => createHeartbeat({ name: `raced-${n}` })));
    advance(91);
    await Promise.all(processes.flatMap((p) => [p.heartbeatMonitor.sweep(), p.heartbeatMonitor.sweep()]));
    for (const heartbeat of created) {
      const alerts = await heartbeatAlerts(heartbeat.id);
      expect(alerts).toHaveLength(1);
      expect(alerts[0]?.occurrenceCount).toBe(1);
    }
  });
});

describe('watchdog alerts as pings', () => {
  it('a matching alert pings the heartbeat and is not stored; silence opens one alert; the next resolves it', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'hb-watchdog', type: 'generic' });
    const created = await createHeartbeat(
      {
        name: 'prometheus-watchdog',
        intervalSeconds: 120,
        graceSeconds: 0,
        watchdog: {
          integrationId: integration.id,
          matchers: [{ field: 'labels.alertname', op: 'equals', value: 'Watchdog' }],
        },
      },
      admin,
    );
    const watchdog = { title: 'Watchdog', dedupKey: 'watchdog', labels: { alertname: 'Watchdog' } };
    const sent = await sendSigned(t, integration, watchdog);
    expect(sent.statusCode).toBe(202);
    expect(sent.json().alerts).toEqual([{ id: null, dedupKey: 'watchdog', action: 'ignored' }]);
    const other = await sendSigned(t, integration, { title: 'Disk full', labels: { alertname: 'DiskFull' } });
    expect(other.json().alerts[0].action).toBe('created');
    const stored = (await as(admin, 'GET', `/api/alerts?integrationId=${integration.id}`)).json().alerts;
    expect(stored.map((a: { title: string }) => a.title)).toEqual(['Disk full']);
    expect((await as(member, 'GET', `/api/heartbeats/${created.id}`)).json().lastPingAt).toBe(clock.toISOString());

    advance(121);
    await t.services.heartbeatMonitor.sweep();
    expect((await heartbeatAlerts(created.id))[0]?.status).toBe('firing');

    await sendSigned(t, integration, watchdog);
    expect((await heartbeatAlerts(created.id))[0]?.status).toBe('resolved');
    expect((await as(member, 'GET', `/api/heartbeats/${created.id}`)).json().status).toBe('up');
  });
});
