import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestApp, type TestApp } from './helpers/app.js';
import { runCli } from './helpers/cli-run.js';
import { openEventStream } from './helpers/event-stream.js';
import { sendSigned } from './helpers/webhooks.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin('root@example.com');
});
afterAll(() => t.close());

/** The file a team would keep in git (docs/configuration-as-code.md shows the same shape). */
const KLAXON_YAML = `
version: 1
teams:
  - name: Payments
    description: Card processing
    members:
      - { email: alice@example.com, role: manager }
      - { email: bob@example.com }
  - name: Platform
integrations:
  - { name: prod-alertmanager, type: alertmanager, team: Platform }
  - { name: payments-api, type: generic, team: Payments, deduplicationWindowMinutes: 30 }
schedules:
  - name: Payments primary
    team: Payments
    timeZone: Europe/Berlin
    layers:
      - name: weekly
        startsAt: 2026-01-05T09:00:00+01:00
        turnUnit: weeks
        turnLength: 1
        participants: [alice@example.com, bob@example.com]
escalationPolicies:
  - name: Payments default
    team: Payments
    isDefault: true
    levels:
      - delayMinutes: 0
        targets: [{ schedule: Payments primary }]
      - delayMinutes: 15
        targets: [{ user: alice@example.com }, { team: Payments }]
routingRules:
  - name: payments alerts
    team: Payments
    matchers: [{ field: labels.service, op: equals, value: payments }]
  - name: everything from alertmanager
    team: Platform
    integration: prod-alertmanager
`;

function apply(document: unknown, options: { dryRun?: boolean; prune?: boolean } = {}) {
  return t.request({
    method: 'POST',
    url: '/api/config/apply',
    key: admin.apiKey,
    body: { document, ...options },
  });
}

async function exported() {
  const response = await t.request({ method: 'GET', url: '/api/config', key: admin.apiKey });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('apply and export', () => {
  let secrets: { integration: string; webhookSecret: string }[];

  it('a dry run plans every object and changes nothing', async () => {
    const response = await apply(parse(KLAXON_YAML), { dryRun: true });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.applied).toBe(false);
    expect(body.secrets).toEqual([]);
    expect(body.changes).toEqual(
      expect.arrayContaining([
        { kind: 'users', name: 'alice@example.com', action: 'create' },
        { kind: 'teams', name: 'Payments', action: 'create' },
        { kind: 'integrations', name: 'payments-api', action: 'create' },
        { kind: 'schedules', name: 'Payments/Payments primary', action: 'create' },
        { kind: 'escalationPolicies', name: 'Payments/Payments default', action: 'create' },
        { kind: 'routingRules', name: 'payments alerts', action: 'create' },
      ]),
    );
    expect((await exported()).teams).toEqual([]);
  });

  it('creates everything, prints each new integration secret once, and the secret verifies', async () => {
    const response = await apply(parse(KLAXON_YAML));
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.applied).toBe(true);
    expect(body.changes.filter((c: { action: string }) => c.action === 'create')).toHaveLength(10);
    secrets = body.secrets;
    expect(secrets.map((s) => s.integration).sort()).toEqual(['payments-api', 'prod-alertmanager']);
    const secret = secrets.find((s) => s.integration === 'payments-api')?.webhookSecret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    const delivered = await sendSigned(t, { name: 'payments-api', webhookSecret: secret }, { title: 'card declines' });
    expect(delivered.statusCode).toBe(202);
  });

  it('a second apply changes nothing and prints no secret', async () => {
    const body = (await apply(parse(KLAXON_YAML))).json();
    expect(body).toEqual({ applied: false, changes: [], secrets: [] });
  });

  it('the CLI applies the YAML file remotely and prints the diff', async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const work = mkdtempSync(join(tmpdir(), 'klaxon-yaml-'));
    const file = join(work, 'klaxon.yaml');
    writeFileSync(file, KLAXON_YAML.replace('deduplicationWindowMinutes: 30', 'deduplicationWindowMinutes: 45'));
    try {
      const run = await runCli(['apply', '-f', file, '--dry-run', '--url', address], { KLAXON_API_KEY: admin.apiKey });
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(
        '~ update integration payments-api (deduplicationWindowMinutes)\n\n' +
          '0 to create, 1 to update, 0 to delete (dry run: nothing was changed).\n',
      );
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it('export writes the same configuration, and applying the export is a no-op', async () => {
    const document = await exported();
    expect(document.teams).toEqual([
      {
        name: 'Payments',
        description: 'Card processing',
        members: [
          { email: 'alice@example.com', role: 'manager' },
          { email: 'bob@example.com', role: 'member' },
        ],
      },
      { name: 'Platform', description: null, members: [] },
    ]);
    expect(document.integrations).toContainEqual({
      name: 'payments-api',
      type: 'generic',
      team: 'Payments',
      deduplicationWindowMinutes: 30,
      isActive: true,
    });
    expect(document.schedules[0].layers[0]).toMatchObject({
      startsAt: '2026-01-05T08:00:00.000Z',
      participants: ['alice@example.com', 'bob@example.com'],
    });
    expect(document.escalationPolicies[0].levels[1].targets).toEqual([
      { user: 'alice@example.com' },
      { team: 'Payments' },
    ]);
    expect(document.routingRules.map((r: { name: string }) => r.name)).toEqual([
      'payments alerts',
      'everything from alertmanager',
    ]);
    expect((await apply(document, { prune: true })).json().changes).toEqual([]);
  });

  it('updates what changed, deletes with --prune only the kinds the file names, and reorders rules', async () => {
    const document = parse(KLAXON_YAML);
    document.integrations[1].deduplicationWindowMinutes = 60;
    document.teams[0].members = [{ email: 'alice@example.com', role: 'manager' }];
    document.schedules[0].layers[0].participants = ['alice@example.com'];
    document.routingRules = [{ ...document.routingRules[1] }, { name: 'db', team: 'Payments' }];
    delete document.escalationPolicies;
    const body = (await apply(document, { prune: true })).json();
    expect(body.changes).toEqual(
      expect.arrayContaining([
        { kind: 'teams', name: 'Payments', action: 'update', fields: ['members'] },
        { kind: 'integrations', name: 'payments-api', action: 'update', fields: ['deduplicationWindowMinutes'] },
        { kind: 'schedules', name: 'Payments/Payments primary', action: 'update', fields: ['layers'] },
        { kind: 'routingRules', name: 'db', action: 'create' },
        { kind: 'routingRules', name: 'payments alerts', action: 'delete' },
      ]),
    );
    expect(body.changes.some((c: { kind: string }) => c.kind === 'escalationPolicies')).toBe(false);
    const after = await exported();
    expect(after.routingRules.map((r: { name: string }) => r.name)).toEqual(['everything from alertmanager', 'db']);
    expect(after.escalationPolicies).toHaveLength(1);
    expect(after.teams[0].members).toEqual([{ email: 'alice@example.com', role: 'manager' }]);
    expect((await apply(document, { prune: true })).json().changes).toEqual([]);
  });

  it('refuses names that lead nowhere before changing anything, with the path of each', async () => {
    const response = await apply({
      version: 1,
      teams: [{ name: 'Ghosts' }],
      routingRules: [{ name: 'lost', team: 'Nobody', integration: 'nothing' }],
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors).toEqual([
      { path: 'routingRules.0.team', message: 'no team named "Nobody"' },
      { path: 'routingRules.0.integration', message: 'no integration named "nothing"' },
    ]);
    expect((await exported()).teams.map((team: { name: string }) => team.name)).not.toContain('Ghosts');
  });
});

describe('an apply is all or nothing, and a dry run meets the errors the apply would', () => {
  beforeAll(async () => {
    expect((await apply(parse(KLAXON_YAML), { prune: true })).statusCode).toBe(200);
  });

  /** Applies a broken file for real and as a dry run: both refuse it the same way, and nothing changes. */
  async function refusedWithoutAChange(document: unknown, options: { prune?: boolean } = {}) {
    const before = await exported();
    const dryRun = await apply(document, { ...options, dryRun: true });
    const real = await apply(document, options);
    expect(real.statusCode).toBeGreaterThanOrEqual(400);
    expect(real.headers['content-type']).toContain('application/problem+json');
    expect({ status: dryRun.statusCode, body: dryRun.json() }).toEqual({ status: real.statusCode, body: real.json() });
    expect(await exported()).toEqual(before);
    return real.json();
  }

  it('a renamed layer with a bad time zone leaves the old layer, and the team and integration changes before it', async () => {
    const document = parse(KLAXON_YAML);
    document.teams[0].description = 'Cards and refunds';
    document.integrations[1].deduplicationWindowMinutes = 90;
    Object.assign(document.schedules[0].layers[0], { name: 'weekly-2', timeZone: 'Europe/Berln' });
    const problem = await refusedWithoutAChange(document);
    expect(problem.errors).toEqual([
      { path: 'schedules.0.layers.0.timeZone', message: 'must be an IANA time zone name such as Europe/Berlin' },
    ]);
    expect((await exported()).schedules[0].layers.map((layer: { name: string }) => layer.name)).toEqual(['weekly']);
  });

  it('a replaced layer naming someone outside the team is refused before its old layer goes', async () => {
    const document = parse(KLAXON_YAML);
    Object.assign(document.schedules[0].layers[0], {
      startsAt: '2026-02-02T09:00:00+01:00',
      participants: ['alice@example.com', 'mallory@example.com'],
    });
    const problem = await refusedWithoutAChange(document);
    expect(problem.errors).toEqual([
      {
        path: 'schedules.0.layers.0.participants.1',
        message: 'mallory@example.com is not a member of team "Payments"',
      },
    ]);
  });

  it("escalation targets outside the policy's team are refused before teams and integrations change", async () => {
    const document = parse(KLAXON_YAML);
    document.teams[0].description = 'Cards and refunds';
    document.integrations[0].isActive = false;
    document.escalationPolicies[0].levels[1].targets = [
      { user: 'carol@example.com' },
      { team: 'Platform' },
      { teamChannel: 'Platform' },
    ];
    const problem = await refusedWithoutAChange(document);
    expect(problem.errors).toEqual([
      {
        path: 'escalationPolicies.0.levels.1.targets.0',
        message: 'carol@example.com is not a member of team "Payments"',
      },
      { path: 'escalationPolicies.0.levels.1.targets.1', message: '"Platform" is not the policy\'s team ("Payments")' },
      { path: 'escalationPolicies.0.levels.1.targets.2', message: '"Platform" is not the policy\'s team ("Payments")' },
    ]);
  });

  it('a failure only the database finds (pruning a team routing still uses) undoes every change before it', async () => {
    const document = parse(KLAXON_YAML);
    document.integrations[1].deduplicationWindowMinutes = 5;
    document.integrations[0].team = null;
    document.teams = document.teams.filter((team: { name: string }) => team.name !== 'Platform');
    delete document.routingRules;
    const problem = await refusedWithoutAChange(document, { prune: true });
    expect(problem.status).toBe(409);
    expect(problem.detail).toMatch(/^teams: Team "Platform" is still in use/);
  });

  it('a valid file still applies, in one go', async () => {
    const document = parse(KLAXON_YAML);
    document.schedules[0].layers[0].name = 'weekly-2';
    const response = await apply(document);
    expect(response.statusCode).toBe(200);
    expect(response.json().applied).toBe(true);
    expect((await exported()).schedules[0].layers.map((layer: { name: string }) => layer.name)).toEqual(['weekly-2']);
    expect((await apply(document)).json().changes).toEqual([]);
  });
});

describe('team channel targets', () => {
  it("export writes a policy's team_channel target as teamChannel, and applying the export changes nothing", async () => {
    const teams = (await t.request({ method: 'GET', url: '/api/teams', key: admin.apiKey })).json();
    const payments = teams.teams.find((team: { name: string }) => team.name === 'Payments');
    const created = await t.request({
      method: 'POST',
      url: '/api/escalation-policies',
      key: admin.apiKey,
      body: {
        teamId: payments.id,
        name: 'Channel first',
        levels: [{ delayMinutes: 0, targets: [{ type: 'team_channel', id: payments.id }] }],
      },
    });
    expect(created.statusCode).toBe(201);
    const document = await exported();
    const policy = document.escalationPolicies.find((spec: { name: string }) => spec.name === 'Channel first');
    expect(policy.levels[0].targets).toEqual([{ teamChannel: 'Payments' }]);
    expect((await apply(document, { prune: true })).json().changes).toEqual([]);
  });

  it('a teamChannel target in the file becomes a team_channel target', async () => {
    const document = parse(KLAXON_YAML);
    document.schedules[0].layers[0].name = 'weekly-2';
    document.escalationPolicies.push({
      name: 'Channel too',
      team: 'Payments',
      levels: [{ delayMinutes: 0, targets: [{ teamChannel: 'payments' }, { team: 'Payments' }] }],
    });
    const response = await apply(document);
    expect(response.statusCode).toBe(200);
    expect(response.json().changes).toEqual([
      { kind: 'escalationPolicies', name: 'Payments/Channel too', action: 'create' },
    ]);
    const policies = (await t.request({ method: 'GET', url: '/api/escalation-policies', key: admin.apiKey })).json();
    const stored = policies.policies.find((policy: { name: string }) => policy.name === 'Channel too');
    expect(stored.levels[0].targets.map((target: { type: string }) => target.type)).toEqual(['team_channel', 'team']);
  });
});

describe('people an apply removes from a team', () => {
  it('lose their live-update streams once it commits', async () => {
    expect((await apply(parse(KLAXON_YAML))).statusCode).toBe(200);
    const users = (await t.request({ method: 'GET', url: '/api/users', key: admin.apiKey })).json();
    const bob = users.users.find((user: { email: string }) => user.email === 'bob@example.com');
    const key = await t.request({
      method: 'POST',
      url: '/api/api-keys',
      key: admin.apiKey,
      body: { name: 'bob', userId: bob.id },
    });
    if (!t.app.server.listening) await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const stream = await openEventStream(`http://127.0.0.1:${port}/api/events/stream`, {
      authorization: `Bearer ${key.json().key}`,
    });
    try {
      await stream.next('ready');
      const document = parse(KLAXON_YAML);
      document.teams[0].members = [{ email: 'alice@example.com', role: 'manager' }];
      document.schedules[0].layers[0].participants = ['alice@example.com'];
      expect((await apply(document)).json().applied).toBe(true);
      await stream.untilEnded();
    } finally {
      stream.close();
    }
  });
});

describe('access and schema', () => {
  it('serves the JSON Schema of the file publicly, and it describes every kind', async () => {
    const response = await t.request({ method: 'GET', url: '/klaxon.schema.json' });
    expect(response.statusCode).toBe(200);
    const schema = response.json();
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(Object.keys(schema.properties)).toEqual([
      'version',
      'teams',
      'integrations',
      'routingRules',
      'schedules',
      'escalationPolicies',
    ]);
    const target = schema.properties.escalationPolicies.items.properties.levels.items.properties.targets.items;
    expect(target.anyOf.map((kind: { properties: object }) => Object.keys(kind.properties))).toEqual([
      ['user'],
      ['schedule'],
      ['team'],
      ['teamChannel'],
    ]);
  });

  it('export and apply are for platform admins only', async () => {
    const user = await t.createUser(admin.apiKey);
    expect((await t.request({ method: 'GET', url: '/api/config', key: user.apiKey })).statusCode).toBe(403);
    const applied = await t.request({
      method: 'POST',
      url: '/api/config/apply',
      key: user.apiKey,
      body: { document: { version: 1 } },
    });
    expect(applied.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/api/config' })).statusCode).toBe(401);
  });
});
