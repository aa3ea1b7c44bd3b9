import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration } from './helpers/webhooks.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  integration = await createIntegration(t, admin.apiKey, { name: 'pd-events', type: 'datadog' });
});
afterAll(() => t.close());

const enqueue = (body: unknown) =>
  t.request({
    method: 'POST',
    url: '/v2/enqueue',
    body: typeof body === 'string' ? body : JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const trigger = (extra: Record<string, unknown> = {}) => ({
  routing_key: integration.webhookSecret,
  event_action: 'trigger',
  payload: { summary: 'CPU high on web-1', source: 'web-1', severity: 'critical' },
  ...extra,
});

const alertByKey = async (dedupKey: string) => {
  const list = await t.request({
    method: 'GET',
    url: `/api/alerts?integrationId=${integration.id}`,
    key: admin.apiKey,
  });
  return list.json().alerts.find((a: { dedupKey: string }) => a.dedupKey === dedupKey);
};

describe('PagerDuty Events API v2', () => {
  it('trigger → 202 success with the dedup_key; again deduplicates; acknowledge; resolve', async () => {
    const first = await enqueue(trigger({ dedup_key: 'cpu-web-1' }));
    expect(first.statusCode).toBe(202);
    expect(first.json()).toEqual({ status: 'success', message: 'Event processed', dedup_key: 'cpu-web-1' });
    await enqueue(trigger({ dedup_key: 'cpu-web-1' }));
    expect(await alertByKey('cpu-web-1')).toMatchObject({
      title: 'CPU high on web-1',
      severity: 'critical',
      source: 'web-1',
      status: 'firing',
      occurrenceCount: 2,
    });
    const ack = await enqueue({
      routing_key: integration.webhookSecret,
      event_action: 'acknowledge',
      dedup_key: 'cpu-web-1',
    });
    expect(ack.statusCode).toBe(202);
    expect((await alertByKey('cpu-web-1')).status).toBe('acknowledged');
    const resolved = await enqueue({
      routing_key: integration.webhookSecret,
      event_action: 'resolve',
      dedup_key: 'cpu-web-1',
    });
    expect(resolved.statusCode).toBe(202);
    expect((await alertByKey('cpu-web-1')).status).toBe('resolved');
  });

  it('generates a dedup_key when a trigger has none, and that key resolves it', async () => {
    const response = await enqueue(trigger());
    const key = response.json().dedup_key;
    expect(key).toMatch(/^[0-9a-f]{32}$/);
    await enqueue({ routing_key: integration.webhookSecret, event_action: 'resolve', dedup_key: key });
    expect((await alertByKey(key)).status).toBe('resolved');
  });

  it('accepts what a stock Alertmanager pagerduty_configs sends', async () => {
    const response = await enqueue({
      routing_key: integration.webhookSecret,
      event_action: 'trigger',
      dedup_key: 'a3f1c0b5d2e4f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1',
      payload: {
        summary: '[FIRING:1] HighLatency api',
        source: 'Alertmanager',
        severity: 'error',
        custom_details: {
          firing: 'Labels:\n - alertname = HighLatency\n',
          num_firing: '1',
          num_resolved: '0',
          resolved: '',
        },
      },
      images: [],
      links: [],
      client: 'Alertmanager',
      client_url: 'http://alertmanager.example.com/#/alerts?receiver=klaxon',
    });
    expect(response.statusCode).toBe(202);
    const alert = await alertByKey('a3f1c0b5d2e4f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d2e3f4a5b6c7d8e9f0a1');
    expect(alert).toMatchObject({
      title: '[FIRING:1] HighLatency api',
      severity: 'error',
      labels: { num_firing: '1' },
    });
    expect(alert.links).toEqual([
      { href: 'http://alertmanager.example.com/#/alerts?receiver=klaxon', text: 'Alertmanager' },
    ]);
  });

  it.each<[string, () => unknown, string]>([
    ['no routing_key', () => ({ event_action: 'trigger' }), "'routing_key'"],
    ['an unknown routing_key', () => trigger({ routing_key: 'f'.repeat(64) }), "'routing_key'"],
    ['an unknown event_action', () => trigger({ event_action: 'explode' }), "'event_action'"],
    ['no summary', () => trigger({ payload: { source: 'x', severity: 'critical' } }), "'payload.summary'"],
    [
      'an unknown severity',
      () => trigger({ payload: { summary: 'x', source: 'x', severity: 'urgent' } }),
      "'payload.severity'",
    ],
    ['a trigger without payload', () => trigger({ payload: undefined }), "'payload'"],
    [
      'a resolve without dedup_key',
      () => ({ routing_key: integration.webhookSecret, event_action: 'resolve' }),
      "'dedup_key'",
    ],
  ])('answers 400 invalid event for %s', async (_case, body, fieldMention) => {
    const response = await enqueue(body());
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 'invalid event', message: 'Event object is invalid' });
    expect(response.json().errors.join(' ')).toContain(fieldMention);
  });

  it('answers 400 invalid event for malformed JSON', async () => {
    const response = await enqueue('{"routing_key": ');
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ status: 'invalid event' });
  });

  it('refuses a disabled integration and records the rejection', async () => {
    const disabled = await createIntegration(t, admin.apiKey, { name: 'pd-disabled', type: 'generic' });
    await t.request({
      method: 'PATCH',
      url: `/api/integrations/${disabled.id}`,
      key: admin.apiKey,
      body: { isActive: false },
    });
    const response = await enqueue(trigger({ routing_key: disabled.webhookSecret }));
    expect(response.statusCode).toBe(400);
    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${disabled.id}/deliveries`,
      key: admin.apiKey,
    });
    expect(deliveries.json().deliveries[0]).toMatchObject({ status: 'rejected', reason: 'integration is disabled' });
  });

  it('keeps the body of a rejected event, without the routing key', async () => {
    const response = await enqueue(trigger({ dedup_key: 'kept-rejected', payload: { summary: 'x', source: 'x' } }));
    expect(response.statusCode).toBe(400);
    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${integration.id}/deliveries?status=rejected`,
      key: admin.apiKey,
    });
    const [rejected] = deliveries.json().deliveries;
    expect(rejected).toMatchObject({ httpStatus: 400, payload: null });
    expect(rejected.payloadText).toBe(
      JSON.stringify({ event_action: 'trigger', payload: { summary: 'x', source: 'x' }, dedup_key: 'kept-rejected' }),
    );
  });

  it('records accepted events as deliveries without the routing key', async () => {
    await enqueue(trigger({ dedup_key: 'logged' }));
    const rows = await t.database.db.execute(sql`select payload, headers from webhook_deliveries`);
    expect(JSON.stringify(rows)).not.toContain(integration.webhookSecret);
    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${integration.id}/deliveries?status=accepted`,
      key: admin.apiKey,
    });
    expect(deliveries.json().deliveries[0].payload).toMatchObject({ dedup_key: 'logged', event_action: 'trigger' });
    for (const line of t.logs) expect(line).not.toContain(integration.webhookSecret);
  });
});
