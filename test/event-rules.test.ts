import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** Event rules at ingest: through real webhooks on the real database, and the dry-run. */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let user: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;
let teamId: string;

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });
const createRule = async (body: Record<string, unknown>) => {
  const response = await as(admin, 'POST', '/api/event-rules', { integrationId: integration.id, ...body });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string };
};
const alertById = async (id: string) => (await as(admin, 'GET', `/api/alerts/${id}`)).json();

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  user = await t.createUser(admin.apiKey);
  teamId = (await as(admin, 'POST', '/api/teams', { name: 'Web' })).json().id;
  integration = await createIntegration(t, admin.apiKey, { name: 'rules', type: 'generic' });
  await as(admin, 'PATCH', `/api/integrations/${integration.id}`, { defaultTeamId: teamId });
  await as(admin, 'POST', '/api/routing-rules', { name: 'all to web', teamId, integrationId: integration.id });
});

afterAll(async () => {
  await t?.close();
});

describe('event rules at ingest', () => {
  it('only platform admins manage them; bad templates and unknown fields are 400', async () => {
    expect((await as(user, 'GET', '/api/event-rules')).statusCode).toBe(403);
    const badTemplate = await as(admin, 'POST', '/api/event-rules', {
      name: 'x',
      actions: { title: '{{#if labels.a}}y{{/if}}' },
    });
    expect(badTemplate.statusCode).toBe(400);
    expect((await as(admin, 'POST', '/api/event-rules', { name: 'x', actions: {} })).statusCode).toBe(400);
    expect((await as(admin, 'POST', '/api/event-rules', { name: 'x', actions: { exec: 'rm' } })).statusCode).toBe(400);
  });

  it('rewrites severity, labels, title and dedup key from templates; drops; suppresses', async () => {
    const rewrite = await createRule({
      name: 'rewrite',
      matchers: [{ field: 'labels.env', op: 'equals', value: 'staging' }],
      actions: {
        severity: 'warning',
        setLabels: { owner: '{{payload.labels.owner}}' },
        removeLabels: ['noise'],
        title: '[{{labels.env}}] {{title}}',
        dedupKey: '{{labels.service}}',
      },
    });
    await createRule({
      name: 'drop tests',
      matchers: [{ field: 'labels.test', op: 'exists' }],
      actions: { drop: true },
    });
    await createRule({
      name: 'suppress info',
      matchers: [{ field: 'severity', op: 'equals', value: 'info' }],
      actions: { suppress: true },
    });

    const rewritten = await sendSigned(t, integration, {
      title: 'Slow',
      severity: 'critical',
      labels: { env: 'staging', service: 'checkout', noise: '1', owner: '{{payload.description}}' },
      description: 'not to be expanded',
    });
    expect(rewritten.statusCode).toBe(202);
    const [created] = rewritten.json().alerts;
    expect(created).toMatchObject({ action: 'created', dedupKey: 'checkout' });
    expect(await alertById(created.id)).toMatchObject({
      title: '[staging] Slow',
      severity: 'warning',
      labels: { env: 'staging', service: 'checkout', owner: '{{payload.description}}' },
    });

    const dropped = await sendSigned(t, integration, { title: 'Test', labels: { test: 'yes' } });
    expect(dropped.json().alerts).toEqual([{ id: null, dedupKey: expect.any(String), action: 'ignored' }]);
    const deliveries = (await as(admin, 'GET', `/api/integrations/${integration.id}/deliveries`)).json().deliveries;
    expect(deliveries[0]).toMatchObject({ id: dropped.json().deliveryId, status: 'accepted', alertIds: [] });

    const incidentsBefore = (await as(admin, 'GET', '/api/incidents')).json().incidents.length;
    const suppressed = await sendSigned(t, integration, { title: 'FYI', severity: 'info', dedupKey: 'fyi' });
    const [quiet] = suppressed.json().alerts;
    expect(quiet.action).toBe('created');
    expect((await alertById(quiet.id)).status).toBe('firing');
    expect((await as(admin, 'GET', '/api/incidents')).json().incidents.length).toBe(incidentsBefore);

    const dryRun = await as(admin, 'POST', '/api/event-rules/dry-run', {
      integrationId: integration.id,
      payload: { title: 'Slow', labels: { env: 'staging', service: 'cart', owner: 'ops' } },
    });
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    const [sample] = dryRun.json().alerts;
    expect(sample.after).toMatchObject({ title: '[staging] Slow', dedupKey: 'cart', labels: { owner: 'ops' } });
    expect(sample.rules[0]).toMatchObject({ ruleId: rewrite.id, matched: true });
    expect(sample.rules.slice(1).map((r: { matched: boolean }) => r.matched)).toEqual([false, false]);
    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${rewrite.id}`)).json().entries;
    expect(audit[0].action).toBe('event_rule.created');
  });

  it('a rule change applies to the very next webhook (the cache is dropped)', async () => {
    const rule = await createRule({
      name: 'later',
      matchers: [{ field: 'title', op: 'equals', value: 'Later' }],
      actions: { drop: true },
    });
    expect((await sendSigned(t, integration, { title: 'Later' })).json().alerts[0].action).toBe('ignored');
    await as(admin, 'PATCH', `/api/event-rules/${rule.id}`, { isActive: false });
    expect((await sendSigned(t, integration, { title: 'Later' })).json().alerts[0].action).toBe('created');
    expect((await as(admin, 'DELETE', `/api/event-rules/${rule.id}`)).statusCode).toBe(204);
    expect((await as(admin, 'GET', `/api/event-rules/${rule.id}`)).statusCode).toBe(404);
  });

  it('hostile payloads: huge fields and deep nesting give bounded output and never a 500', async () => {
    const prometheus = await createIntegration(t, admin.apiKey, { name: 'rules-am', type: 'alertmanager' });
    const created = await as(admin, 'POST', '/api/event-rules', {
      name: 'big',
      integrationId: prometheus.id,
      actions: {
        title: '{{payload.huge}}{{payload.huge}}',
        setLabels: { deep: '{{payload.d.a.a.a.a.a.a.a.a.a.a.a.a.a.a}}', echo: '{{payload.echo}}' },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    let deep: unknown = 'bottom';
    for (let i = 0; i < 50; i++) deep = { a: deep };
    const body = JSON.stringify({
      version: '4',
      status: 'firing',
      alerts: [{ status: 'firing', labels: { alertname: 'Big' } }],
      huge: 'y'.repeat(200_000),
      echo: '{{payload.huge}}',
      d: deep,
    });
    const response = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/rules-am',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${prometheus.webhookSecret}` },
    });
    expect(response.statusCode, response.body).toBe(202);
    const stored = await alertById(response.json().alerts[0].id);
    expect(stored.title).toHaveLength(1000);
    expect(stored.labels).toMatchObject({ deep: '', echo: '{{payload.huge}}' });
  });
});
