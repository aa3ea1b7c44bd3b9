import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
});
afterAll(() => t.close());

const api = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });

async function createTeam(name: string): Promise<string> {
  const response = await api('POST', '/api/teams', { name });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id;
}

async function createRule(body: Record<string, unknown>) {
  const response = await api('POST', '/api/routing-rules', body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; position: number; name: string };
}

async function clearRules() {
  const { rules } = (await api('GET', '/api/routing-rules')).json();
  for (const rule of rules) expect((await api('DELETE', `/api/routing-rules/${rule.id}`)).statusCode).toBe(204);
}

const auditActions = async (resourceType: string) =>
  (
    (await api('GET', `/api/audit-logs?resourceType=${resourceType}&limit=200`)).json().entries as Array<{
      action: string;
      resourceId: string | null;
      metadata: Record<string, unknown>;
    }>
  ).map((e) => e.action);

describe('teams', () => {
  it('creates, lists, renames and deletes a team, audited; names are unique case-insensitively', async () => {
    const created = await api('POST', '/api/teams', { name: 'Storage', description: 'disks and databases' });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ name: 'Storage', description: 'disks and databases', memberCount: 0 });
    const id = created.json().id;

    const duplicate = await api('POST', '/api/teams', { name: 'storage' });
    expect(duplicate.statusCode).toBe(409);
    expect(duplicate.json().type).toMatch(/\/duplicate-team$/);

    const renamed = await api('PATCH', `/api/teams/${id}`, { name: 'Storage SRE' });
    expect(renamed.json()).toMatchObject({ name: 'Storage SRE' });
    expect((await api('GET', '/api/teams')).json().teams.map((team: { id: string }) => team.id)).toContain(id);

    expect((await api('DELETE', `/api/teams/${id}`)).statusCode).toBe(204);
    const gone = await api('GET', `/api/teams/${id}`);
    expect(gone.statusCode).toBe(404);
    expect(gone.json().type).toMatch(/\/team-not-found$/);
    expect(await auditActions('team')).toEqual(
      expect.arrayContaining(['team.created', 'team.updated', 'team.deleted']),
    );
  });

  it('rejects unknown fields and empty names', async () => {
    expect((await api('POST', '/api/teams', { name: 'x', extra: 1 })).statusCode).toBe(400);
    expect((await api('POST', '/api/teams', { name: '   ' })).statusCode).toBe(400);
  });

  it('manages members with roles; a user can be in several teams', async () => {
    const a = await createTeam('members-a');
    const b = await createTeam('members-b');
    const user = await t.createUser(admin.apiKey);
    const added = await api('POST', `/api/teams/${a}/members`, { userId: user.userId, role: 'manager' });
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ userId: user.userId, role: 'manager' });
    expect((await api('POST', `/api/teams/${b}/members`, { userId: user.userId })).json().role).toBe('member');

    const again = await api('POST', `/api/teams/${a}/members`, { userId: user.userId });
    expect(again.statusCode).toBe(409);
    expect(again.json().type).toMatch(/\/duplicate-team-member$/);
    const nobody = await api('POST', `/api/teams/${a}/members`, { userId: '00000000-0000-7000-8000-000000000000' });
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().type).toMatch(/\/user-not-found$/);

    const changed = await api('PATCH', `/api/teams/${a}/members/${user.userId}`, { role: 'member' });
    expect(changed.json().role).toBe('member');
    expect((await api('GET', `/api/teams/${a}/members`)).json().members).toHaveLength(1);
    expect((await api('GET', `/api/teams/${a}`)).json().memberCount).toBe(1);

    expect((await api('DELETE', `/api/teams/${a}/members/${user.userId}`)).statusCode).toBe(204);
    const missing = await api('DELETE', `/api/teams/${a}/members/${user.userId}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/\/team-member-not-found$/);
    expect(await auditActions('team')).toEqual(
      expect.arrayContaining(['team.member_added', 'team.member_role_changed', 'team.member_removed']),
    );
  });

  it('refuses to delete a team that routing still uses (409 team-in-use)', async () => {
    const team = await createTeam('in-use');
    const rule = await createRule({ name: 'to in-use', teamId: team });
    const blocked = await api('DELETE', `/api/teams/${team}`);
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().type).toMatch(/\/team-in-use$/);
    await api('DELETE', `/api/routing-rules/${rule.id}`);

    const integration = await createIntegration(t, admin.apiKey, {
      name: 'in-use',
      type: 'generic',
      defaultTeamId: team,
    });
    expect((await api('DELETE', `/api/teams/${team}`)).statusCode).toBe(409);
    await api('PATCH', `/api/integrations/${integration.id}`, { defaultTeamId: null });
    expect((await api('DELETE', `/api/teams/${team}`)).statusCode).toBe(204);
  });
});

describe('routing rules API', () => {
  it('keeps a dense order: append, insert at a position, move, delete, reorder — all audited', async () => {
    await clearRules();
    const team = await createTeam('order');
    const a = await createRule({ name: 'a', teamId: team });
    const b = await createRule({ name: 'b', teamId: team });
    const c = await createRule({ name: 'c', teamId: team, position: 1 });
    const order = async () =>
      (await api('GET', '/api/routing-rules'))
        .json()
        .rules.map((r: { name: string; position: number }) => [r.name, r.position]);
    expect(await order()).toEqual([
      ['c', 1],
      ['a', 2],
      ['b', 3],
    ]);

    await api('PATCH', `/api/routing-rules/${c.id}`, { position: 3 });
    expect(await order()).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    await api('PATCH', `/api/routing-rules/${c.id}`, { position: 99 });
    expect(await order()).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);

    await api('DELETE', `/api/routing-rules/${a.id}`);
    expect(await order()).toEqual([
      ['b', 1],
      ['c', 2],
    ]);

    const reordered = await api('POST', '/api/routing-rules/reorder', { ruleIds: [c.id, b.id] });
    expect(reordered.statusCode).toBe(200);
    expect(reordered.json().rules.map((r: { name: string }) => r.name)).toEqual(['c', 'b']);
    const incomplete = await api('POST', '/api/routing-rules/reorder', { ruleIds: [c.id] });
    expect(incomplete.statusCode).toBe(409);
    expect((await api('POST', '/api/routing-rules/reorder', { ruleIds: [c.id, c.id] })).statusCode).toBe(400);

    expect(await auditActions('routing_rule')).toEqual(
      expect.arrayContaining([
        'routing_rule.created',
        'routing_rule.updated',
        'routing_rule.deleted',
        'routing_rules.reordered',
      ]),
    );
  });

  it('concurrent creations still get distinct, dense positions', async () => {
    await clearRules();
    const team = await createTeam('concurrent');
    await Promise.all(Array.from({ length: 8 }, (_, i) => createRule({ name: `c${i}`, teamId: team, position: 1 })));
    const positions = (await api('GET', '/api/routing-rules'))
      .json()
      .rules.map((r: { position: number }) => r.position);
    expect(positions).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    await clearRules();
  });

  it('is described in the OpenAPI document', async () => {
    const document = (await t.request({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/teams', '/api/teams/{id}/members', '/api/routing-rules', '/api/routing-rules/test']) {
      expect(document.paths[path], path).toBeDefined();
    }
  });

  it('404 for an unknown rule, team or integration', async () => {
    const missing = '00000000-0000-7000-8000-000000000000';
    const rule = await api('GET', `/api/routing-rules/${missing}`);
    expect(rule.statusCode).toBe(404);
    expect(rule.json().type).toMatch(/\/routing-rule-not-found$/);
    const team = await api('POST', '/api/routing-rules', { name: 'x', teamId: missing });
    expect(team.statusCode).toBe(404);
    expect(team.json().type).toMatch(/\/team-not-found$/);
    const integration = await api('POST', '/api/routing-rules', {
      name: 'x',
      teamId: await createTeam('exists'),
      integrationId: missing,
    });
    expect(integration.statusCode).toBe(404);
    expect(integration.json().type).toMatch(/\/integration-not-found$/);
  });

  it.each(['(a+)+$', '(a|aa)*b', '^(\\w+\\s?)*$', '(.*a){12}', '(x)\\1', '(?=lookahead)'])(
    'rejects the hostile or unsupported regex %s with a 400 naming the field',
    async (pattern) => {
      const team = await createTeam(`regex-${Math.random()}`);
      const response = await api('POST', '/api/routing-rules', {
        name: 'hostile',
        teamId: team,
        matchers: [
          { field: 'title', op: 'equals', value: 'ok' },
          { field: 'title', op: 'regex', value: pattern },
        ],
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      expect(response.json().errors).toEqual([expect.objectContaining({ path: 'matchers.1.value' })]);
    },
  );

  it('validates matchers: known fields, value types per operator, no unknown keys', async () => {
    const team = await createTeam('validation');
    const bad = [
      { field: 'hostname', op: 'equals', value: 'x' },
      { field: 'labels.', op: 'equals', value: 'x' },
      { field: 'title', op: 'in', value: 'not-a-list' },
      { field: 'title', op: 'equals', value: ['x'] },
      { field: 'title', op: 'contains', value: 'x' },
      { field: 'title', op: 'exists', value: 'yes' },
      { field: 'title', op: 'equals', value: 'x', extra: true },
    ];
    for (const matcher of bad) {
      const response = await api('POST', '/api/routing-rules', { name: 'bad', teamId: team, matchers: [matcher] });
      expect(response.statusCode, JSON.stringify(matcher)).toBe(400);
    }
  });
});

describe('routing at ingest', () => {
  let payments = '';
  let oncall = '';
  let dba = '';
  let fallback = '';
  let generic: Awaited<ReturnType<typeof createIntegration>>;
  let other: Awaited<ReturnType<typeof createIntegration>>;

  beforeAll(async () => {
    await clearRules();
    payments = await createTeam('ingest-Payments');
    oncall = await createTeam('ingest-On-call');
    dba = await createTeam('ingest-DBA');
    fallback = await createTeam('ingest-Fallback');
    generic = await createIntegration(t, admin.apiKey, { name: 'ingest-generic', type: 'generic' });
    other = await createIntegration(t, admin.apiKey, {
      name: 'ingest-other',
      type: 'generic',
      defaultTeamId: fallback,
    });
    await createRule({
      name: 'payments by label',
      teamId: payments,
      matchers: [{ field: 'labels.team', op: 'equals', value: 'payments' }],
      continue: true,
    });
    await createRule({
      name: 'critical to on-call',
      teamId: oncall,
      matchers: [{ field: 'severity', op: 'in', value: ['critical', 'error'] }],
    });
    await createRule({
      name: 'disk titles to DBA, only from ingest-other',
      teamId: dba,
      integrationId: other.id,
      matchers: [{ field: 'title', op: 'regex', value: '(?:^|\\W)[Dd]isk\\b' }],
    });
  });

  const fire = async (integration: typeof generic, body: Record<string, unknown>) => {
    const response = await sendSigned(t, integration, body);
    expect(response.statusCode, response.body).toBe(202);
    const { id } = response.json().alerts[0];
    return (await api('GET', `/api/alerts/${id}`)).json() as { teamId: string | null; teamIds: string[] };
  };

  it('a labels match with continue, then a severity match: both teams, in rule order', async () => {
    const alert = await fire(generic, { title: 'Checkout errors', severity: 'critical', labels: { team: 'payments' } });
    expect(alert.teamIds).toEqual([payments, oncall]);
    expect(alert.teamId).toBe(payments);
  });

  it('first match wins without continue', async () => {
    const alert = await fire(other, { title: 'Disk full on db-1', severity: 'error' });
    expect(alert.teamIds).toEqual([oncall]);
  });

  it('a scoped rule applies only to its integration', async () => {
    expect((await fire(other, { title: 'Disk full on db-2', severity: 'warning' })).teamIds).toEqual([dba]);
    expect((await fire(generic, { title: 'Disk full on db-3', severity: 'warning' })).teamIds).toEqual([]);
  });

  it("no match: the integration's default team, or no team", async () => {
    expect((await fire(other, { title: 'Latency', severity: 'info' })).teamIds).toEqual([fallback]);
    const unrouted = await fire(generic, { title: 'Latency', severity: 'info' });
    expect(unrouted).toMatchObject({ teamIds: [], teamId: null });
  });

  it('deduplication keeps the routing of the open alert even after rules change; re-route applies the new rules, audited', async () => {
    const first = await sendSigned(t, generic, { title: 'Queue depth', severity: 'info', dedupKey: 'queue' });
    const id = first.json().alerts[0].id;
    expect((await api('GET', `/api/alerts/${id}`)).json().teamIds).toEqual([]);

    const rule = await createRule({
      name: 'queues',
      teamId: dba,
      position: 1,
      matchers: [{ field: 'title', op: 'regex', value: '^Queue' }],
    });
    const again = await sendSigned(t, generic, { title: 'Queue depth', severity: 'info', dedupKey: 'queue' });
    expect(again.json().alerts[0]).toMatchObject({ id, action: 'deduplicated' });
    expect((await api('GET', `/api/alerts/${id}`)).json().teamIds).toEqual([]);

    const rerouted = await api('POST', `/api/alerts/${id}/reroute`);
    expect(rerouted.statusCode).toBe(200);
    expect(rerouted.json()).toMatchObject({
      id,
      teamIds: [dba],
      teamId: dba,
      routing: { teamIds: [dba], matched: [{ ruleId: rule.id, ruleName: 'queues', teamId: dba }] },
    });
    const audit = (await api('GET', `/api/audit-logs?action=alert.rerouted&resourceId=${id}`)).json().entries;
    expect(audit).toEqual([
      expect.objectContaining({
        action: 'alert.rerouted',
        userId: admin.userId,
        metadata: expect.objectContaining({ from: [], to: [dba] }),
      }),
    ]);

    await api('POST', `/api/alerts/${id}/resolve`);
    const closed = await api('POST', `/api/alerts/${id}/reroute`);
    expect(closed.statusCode).toBe(409);
    expect((await api('POST', '/api/alerts/00000000-0000-7000-8000-000000000000/reroute')).statusCode).toBe(404);
    await api('DELETE', `/api/routing-rules/${rule.id}`);
  });

  it('inactive rules do not route', async () => {
    const rule = await createRule({ name: 'inactive', teamId: dba, position: 1, isActive: false });
    expect((await fire(generic, { title: 'Latency 2', severity: 'info' })).teamIds).toEqual([]);
    await api('DELETE', `/api/routing-rules/${rule.id}`);
  });

  describe('dry-run', () => {
    it('explains a sample alert: matched rules, teams with names, the rules looked at and why they failed', async () => {
      const response = await api('POST', '/api/routing-rules/test', {
        integrationId: other.id,
        alert: { title: 'Disk full', severity: 'warning', labels: { team: 'search' } },
      });
      expect(response.statusCode, response.body).toBe(200);
      const [result] = response.json().results;
      expect(result).toMatchObject({
        teamIds: [dba],
        teams: [{ id: dba, name: 'ingest-DBA' }],
        matched: [{ teamId: dba, ruleName: 'disk titles to DBA, only from ingest-other' }],
        defaultTeamUsed: false,
        routedAtIngest: true,
      });
      expect(result.evaluated.map((e: { ruleName: string; matched: boolean }) => [e.ruleName, e.matched])).toEqual([
        ['payments by label', false],
        ['critical to on-call', false],
        ['disk titles to DBA, only from ingest-other', true],
      ]);
      expect(result.evaluated[0].failedMatcher).toEqual({ index: 0, field: 'labels.team', op: 'equals' });
    });

    it('without an integration only global rules apply', async () => {
      const response = await api('POST', '/api/routing-rules/test', {
        alert: { title: 'Disk full', severity: 'info' },
      });
      expect(response.json()).toMatchObject({ integration: null, results: [{ teamIds: [], defaultTeamUsed: false }] });
    });

    it('equals real routing for the same raw payload, and stores nothing', async () => {
      const samples = [
        { title: 'Checkout errors', severity: 'critical', labels: { team: 'payments' } },
        { title: 'Disk full on db-9', severity: 'warning' },
        { title: 'Nothing matches', severity: 'info', labels: { team: 'nobody' } },
        { title: 'Ünïcødé 🔥 disk', severity: 'error', labels: { team: 'payments' } },
      ];
      for (const integration of [generic, other]) {
        for (const payload of samples) {
          const alertsBefore = (await api('GET', '/api/alerts?limit=200')).json().alerts.length;
          const dry = await api('POST', '/api/routing-rules/test', { integrationId: integration.id, payload });
          expect(dry.statusCode, dry.body).toBe(200);
          expect((await api('GET', '/api/alerts?limit=200')).json().alerts.length).toBe(alertsBefore);
          const real = await fire(integration, payload);
          expect(dry.json().results[0].teamIds).toEqual(real.teamIds);
        }
      }
    });

    it('normalizes a multi-alert Alertmanager payload and routes each alert like ingest does', async () => {
      const alertmanager = await createIntegration(t, admin.apiKey, { name: 'ingest-am', type: 'alertmanager' });
      const payload = {
        version: '4',
        groupKey: '{}:{alertname="x"}',
        status: 'firing',
        receiver: 'klaxon',
        groupLabels: {},
        commonLabels: {},
        commonAnnotations: {},
        externalURL: 'http://alertmanager:9093',
        alerts: [
          {
            status: 'firing',
            labels: { alertname: 'HighErrorRate', team: 'payments', severity: 'warning' },
            annotations: { summary: 'High error rate' },
            startsAt: '2026-03-01T12:00:00Z',
            endsAt: '0001-01-01T00:00:00Z',
            fingerprint: 'aaa',
          },
          {
            status: 'resolved',
            labels: { alertname: 'Other', severity: 'critical' },
            annotations: {},
            startsAt: '2026-03-01T12:00:00Z',
            endsAt: '2026-03-01T12:05:00Z',
            fingerprint: 'bbb',
          },
        ],
      };
      const dry = await api('POST', '/api/routing-rules/test', { integrationId: alertmanager.id, payload });
      expect(dry.statusCode, dry.body).toBe(200);
      const results = dry.json().results;
      expect(results).toHaveLength(2);
      expect(results[0]).toMatchObject({ teamIds: [payments], routedAtIngest: true });
      expect(results[1]).toMatchObject({ routedAtIngest: false });

      const real = await t.request({
        method: 'POST',
        url: '/webhooks/alerts/ingest-am',
        body: JSON.stringify(payload),
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alertmanager.webhookSecret}` },
      });
      expect(real.statusCode, real.body).toBe(202);
      const created = real.json().alerts.find((a: { action: string }) => a.action === 'created');
      expect((await api('GET', `/api/alerts/${created.id}`)).json().teamIds).toEqual(results[0].teamIds);
    });

    it('400 for a payload the integration type does not understand, or a missing integrationId', async () => {
      const invalid = await api('POST', '/api/routing-rules/test', { integrationId: generic.id, payload: { nope: 1 } });
      expect(invalid.statusCode).toBe(400);
      expect(invalid.json().type).toMatch(/\/invalid-payload$/);
      expect((await api('POST', '/api/routing-rules/test', { payload: { title: 'x' } })).statusCode).toBe(400);
      expect((await api('POST', '/api/routing-rules/test', {})).statusCode).toBe(400);
    });
  });
});

describe('integration default team', () => {
  it('is settable on create and update, shown in responses, audited, and must exist', async () => {
    const team = await createTeam('default-team');
    const created = await createIntegration(t, admin.apiKey, {
      name: 'with-default',
      type: 'generic',
      defaultTeamId: team,
    });
    expect((await api('GET', `/api/integrations/${created.id}`)).json().defaultTeamId).toBe(team);
    const cleared = await api('PATCH', `/api/integrations/${created.id}`, { defaultTeamId: null });
    expect(cleared.json().defaultTeamId).toBeNull();
    const missing = await api('PATCH', `/api/integrations/${created.id}`, {
      defaultTeamId: '00000000-0000-7000-8000-000000000000',
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/\/team-not-found$/);
    const updates = (await api('GET', `/api/audit-logs?action=integration.updated&resourceId=${created.id}`)).json();
    expect(updates.entries[0].metadata.changes).toEqual({ defaultTeamId: { from: team, to: null } });
  });
});
