import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

const run = promisify(execFile);

/** Silences: Klaxon's API, Alertmanager's API v2 driven by the real amtool, and what they mute. */
// amtool decides what is expired by its own clock: its tests run on the real time, the rest
// on a fixed clock that they move.
let fixedClock: Date | undefined;
let clock = new Date();
let t: TestApp;
let admin: { userId: string; apiKey: string };
let user: { userId: string; apiKey: string };
let team = '';
let integration: Awaited<ReturnType<typeof createIntegration>>;
let baseUrl = '';
let workDir = '';
let httpConfig = '';

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });
const minutes = (n: number) => new Date(clock.getTime() + n * 60_000).toISOString();
const fire = async (dedupKey: string, labels: Record<string, string>, severity = 'warning') => {
  const response = await sendSigned(t, integration, {
    title: dedupKey,
    dedupKey,
    severity,
    labels: { team: 'db', ...labels },
  });
  expect(response.statusCode, response.body).toBe(202);
  return response.json().alerts[0].id as string;
};
const incidentsTitled = async (title: string) =>
  ((await as(admin, 'GET', '/api/incidents')).json().incidents as Array<{ title: string }>).filter(
    (incident) => incident.title === title,
  );
const amtool = (...args: string[]) =>
  run('amtool', [...args, `--alertmanager.url=${baseUrl}`, `--http.config.file=${httpConfig}`], {
    timeout: 20_000,
  });

beforeAll(async () => {
  t = await createTestApp({ now: () => fixedClock ?? new Date() });
  admin = await t.createAdmin();
  user = await t.createUser(admin.apiKey);
  team = (await as(admin, 'POST', '/api/teams', { name: 'db' })).json().id;
  await as(admin, 'POST', '/api/routing-rules', {
    name: 'db',
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: 'db' }],
  });
  integration = await createIntegration(t, admin.apiKey, { name: 'prom', type: 'generic' });
  baseUrl = await t.app.listen({ port: 0, host: '127.0.0.1' });
  workDir = await mkdtemp(join(tmpdir(), 'klaxon-amtool-'));
  httpConfig = join(workDir, 'http.yml');
  await writeFile(httpConfig, `authorization:\n  type: Bearer\n  credentials: ${admin.apiKey}\n`, { mode: 0o600 });
});
afterAll(async () => {
  await t.close();
  await rm(workDir, { recursive: true, force: true });
});

describe("Alertmanager's silence API with amtool", () => {
  it('amtool adds, queries and expires a silence; the silence mutes matching alerts', async () => {
    const added = await amtool(
      'silence',
      'add',
      'alertname=DiskFull',
      'instance=~"db-.*"',
      '--comment=disk cleanup',
      '--author=ops',
      '--duration=2h',
    );
    const id = added.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const json = JSON.parse((await amtool('silence', 'query', '-o', 'json')).stdout);
    const mine = json.find((silence: { id: string }) => silence.id === id);
    expect(mine).toMatchObject({
      status: { state: 'active' },
      createdBy: 'ops',
      comment: 'disk cleanup',
      matchers: [
        { name: 'alertname', value: 'DiskFull', isRegex: false, isEqual: true },
        { name: 'instance', value: 'db-.*', isRegex: true, isEqual: true },
      ],
    });
    const simple = (await amtool('silence', 'query', 'alertname=DiskFull')).stdout;
    expect(simple).toContain(id);
    expect(simple).toContain('disk cleanup');
    expect((await amtool('silence', 'query', 'alertname=Other')).stdout).not.toContain(id);

    await fire('disk-db-1', { alertname: 'DiskFull', instance: 'db-1' });
    expect(await incidentsTitled('disk-db-1')).toHaveLength(0);
    await fire('disk-web-1', { alertname: 'DiskFull', instance: 'web-1' });
    expect(await incidentsTitled('disk-web-1')).toHaveLength(1);

    await amtool('silence', 'expire', id);
    const after = (await as(user, 'GET', `/api/v2/silence/${id}`)).json();
    expect(after.status.state).toBe('expired');
    expect((await amtool('silence', 'query')).stdout).not.toContain(id);
    expect((await amtool('silence', 'query', '--expired')).stdout).toContain(id);
    await fire('disk-db-2', { alertname: 'DiskFull', instance: 'db-2' });
    expect(await incidentsTitled('disk-db-2')).toHaveLength(1);
  });

  it('speaks Alertmanager JSON: POST answers silenceID, updates by id, errors are plain JSON', async () => {
    clock = new Date();
    const body = {
      matchers: [{ name: 'job', value: 'node', isRegex: false, isEqual: true }],
      startsAt: clock.toISOString(),
      endsAt: minutes(60),
      createdBy: 'script',
      comment: 'via curl',
    };
    const created = await as(admin, 'POST', '/api/v2/silences', body);
    expect(created.statusCode, created.body).toBe(200);
    const { silenceID } = created.json();
    const updated = await as(admin, 'POST', '/api/v2/silences', {
      ...body,
      id: silenceID,
      comment: 'longer',
      endsAt: minutes(120),
    });
    expect(updated.json()).toEqual({ silenceID });
    const got = (await as(user, 'GET', `/api/v2/silence/${silenceID}`)).json();
    expect(Object.keys(got).sort()).toEqual(
      ['comment', 'createdBy', 'endsAt', 'id', 'matchers', 'startsAt', 'status', 'updatedAt'].sort(),
    );
    expect(got).toMatchObject({ comment: 'longer', endsAt: minutes(120), status: { state: 'active' } });

    const filtered = (await as(user, 'GET', '/api/v2/silences?filter=job%3D%22node%22')).json();
    expect(filtered.map((s: { id: string }) => s.id)).toEqual([silenceID]);

    const missing = await as(user, 'GET', '/api/v2/silence/0190e0a4-0000-7000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.headers['content-type']).toMatch(/^application\/json/);
    expect(typeof missing.json()).toBe('string');
    const bad = await as(admin, 'POST', '/api/v2/silences', { ...body, endsAt: minutes(-5) });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/^application\/json/);
    const unauthenticated = await t.request({ method: 'GET', url: '/api/v2/silences' });
    expect(unauthenticated.statusCode).toBe(401);
    expect(unauthenticated.headers['content-type']).toMatch(/^application\/json/);
    const forbidden = await as(user, 'DELETE', `/api/v2/silence/${silenceID}`);
    expect(forbidden.statusCode).toBe(403);
    expect((await as(admin, 'DELETE', `/api/v2/silence/${silenceID}`)).statusCode).toBe(200);
  });
});

describe('silences through the Klaxon API', () => {
  beforeAll(() => {
    fixedClock = clock = new Date();
  });
  it('an active silence keeps a matching new alert from opening an incident, and records which one', async () => {
    const created = await as(admin, 'POST', '/api/silences', {
      matchers: [
        { name: 'service', value: 'postgres' },
        { name: 'severity', value: 'warning|info', isRegex: true },
      ],
      durationMinutes: 60,
      comment: 'failover drill',
    });
    expect(created.statusCode, created.body).toBe(201);
    const silence = created.json();
    expect(silence).toMatchObject({
      state: 'active',
      createdBy: expect.stringContaining('@'),
      comment: 'failover drill',
    });

    const muted = await fire('pg-lag', { service: 'postgres' });
    expect(await incidentsTitled('pg-lag')).toHaveLength(0);
    const alert = (await as(admin, 'GET', `/api/alerts/${muted}`)).json();
    expect(alert.suppressedBy).toEqual({ kind: 'silence', id: silence.id });

    // Critical is outside the regex (anchored: "warning|info" does not match "critical").
    await fire('pg-down', { service: 'postgres' }, 'critical');
    expect(await incidentsTitled('pg-down')).toHaveLength(1);
    // Other services are not silenced.
    await fire('redis-lag', { service: 'redis' });
    expect(await incidentsTitled('redis-lag')).toHaveLength(1);
  });

  it('a pending silence mutes nothing until it starts; expiring it ends it, audited', async () => {
    const pending = (
      await as(admin, 'POST', '/api/silences', {
        matchers: [{ name: 'service', value: 'kafka' }],
        startsAt: minutes(30),
        endsAt: minutes(90),
        comment: 'upgrade',
      })
    ).json();
    expect(pending.state).toBe('pending');
    await fire('kafka-1', { service: 'kafka' });
    expect(await incidentsTitled('kafka-1')).toHaveLength(1);

    fixedClock = clock = new Date(clock.getTime() + 31 * 60_000);
    await fire('kafka-2', { service: 'kafka' });
    expect(await incidentsTitled('kafka-2')).toHaveLength(0);

    const expired = await as(admin, 'POST', `/api/silences/${pending.id}/expire`);
    expect(expired.json()).toMatchObject({ state: 'expired', endsAt: clock.toISOString() });
    await fire('kafka-3', { service: 'kafka' });
    expect(await incidentsTitled('kafka-3')).toHaveLength(1);

    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${pending.id}`)).json().entries;
    expect(audit.map((entry: { action: string }) => entry.action)).toEqual(['silence.expired', 'silence.created']);
  });

  it('the silence window ends on its own: an alert after endsAt opens an incident', async () => {
    const silence = (
      await as(admin, 'POST', '/api/silences', {
        matchers: [{ name: 'service', value: 'etcd' }],
        durationMinutes: 10,
        comment: 'short',
      })
    ).json();
    await fire('etcd-1', { service: 'etcd' });
    expect(await incidentsTitled('etcd-1')).toHaveLength(0);
    fixedClock = clock = new Date(clock.getTime() + 10 * 60_000);
    await fire('etcd-2', { service: 'etcd' });
    expect(await incidentsTitled('etcd-2')).toHaveLength(1);
    expect((await as(user, 'GET', `/api/silences/${silence.id}`)).json().state).toBe('expired');
  });

  it('refuses what Alertmanager refuses, and only admins change silences', async () => {
    const everything = await as(admin, 'POST', '/api/silences', {
      matchers: [{ name: 'service', value: '.*', isRegex: true }],
      durationMinutes: 5,
      comment: 'all',
    });
    expect(everything.statusCode).toBe(400);
    const backwards = await as(admin, 'POST', '/api/silences', {
      matchers: [{ name: 'a', value: 'b' }],
      startsAt: minutes(10),
      endsAt: minutes(5),
      comment: 'x',
    });
    expect(backwards.statusCode).toBe(400);
    const hostile = await as(admin, 'POST', '/api/silences', {
      matchers: [{ name: 'a', value: '(a+)+$', isRegex: true }],
      durationMinutes: 5,
      comment: 'x',
    });
    expect(hostile.statusCode).toBe(400);
    const unknownField = await as(admin, 'POST', '/api/silences', {
      matchers: [{ name: 'a', value: 'b' }],
      durationMinutes: 5,
      comment: 'x',
      teamId: team,
    });
    expect(unknownField.statusCode).toBe(400);
    const forbidden = await as(user, 'POST', '/api/silences', {
      matchers: [{ name: 'a', value: 'b' }],
      durationMinutes: 5,
      comment: 'x',
    });
    expect(forbidden.statusCode).toBe(403);
    expect((await as(user, 'GET', '/api/silences?state=active')).statusCode).toBe(200);
  });
});
