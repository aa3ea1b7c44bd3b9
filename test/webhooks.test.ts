import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { createIntegration, hmacHex, sendSigned, standardWebhookHeaders } from './helpers/webhooks.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };

beforeAll(async () => {
  t = await createTestApp({ bodyLimitBytes: 64 * 1024 });
  admin = await t.createAdmin();
});
afterAll(() => t.close());

async function deliveries(integrationId: string, query = '') {
  const response = await t.request({
    method: 'GET',
    url: `/api/integrations/${integrationId}/deliveries${query}`,
    key: admin.apiKey,
  });
  expect(response.statusCode).toBe(200);
  return response.json().deliveries as Array<Record<string, unknown>>;
}

describe('the contract status table', () => {
  it('202: accepted, stored, listed, with the delivery recorded', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'ok-generic', type: 'generic' });
    const response = await sendSigned(t, integration, {
      title: 'Disk full on db-1',
      severity: 'critical',
      source: 'db-1',
      labels: { team: 'storage' },
    });
    expect(response.statusCode).toBe(202);
    const body = response.json();
    expect(body.alerts).toHaveLength(1);
    expect(body.alerts[0]).toMatchObject({ action: 'created' });
    const alert = await t.request({ method: 'GET', url: `/api/alerts/${body.alerts[0].id}`, key: admin.apiKey });
    expect(alert.json()).toMatchObject({
      title: 'Disk full on db-1',
      severity: 'critical',
      status: 'firing',
      integrationId: integration.id,
      integrationName: 'ok-generic',
      occurrenceCount: 1,
      labels: { team: 'storage' },
      teamId: null,
      teamIds: [],
    });
    const [delivery] = await deliveries(integration.id);
    expect(delivery).toMatchObject({
      id: body.deliveryId,
      status: 'accepted',
      httpStatus: 202,
      alertIds: [body.alerts[0].id],
      payload: { title: 'Disk full on db-1' },
    });
    expect(JSON.stringify(delivery?.headers)).not.toContain(hmacHex(integration.webhookSecret, ''));
    expect(Object.keys(delivery?.headers as object)).not.toContain('x-webhook-signature');
  });

  it.runIf(testDatabaseKind() === 'pglite')(
    'on PGlite the ingest writes through its named prepared statements',
    async () => {
      const integration = await createIntegration(t, admin.apiKey, { name: 'prepared-generic', type: 'generic' });
      const response = await sendSigned(t, integration, { title: 'Prepared once', severity: 'warning' });
      expect(response.statusCode).toBe(202);
      const prepared = await t.database.executeSql(
        "SELECT name FROM pg_prepared_statements WHERE starts_with(name, 'klaxon_') ORDER BY name",
      );
      expect(prepared.rows).toContainEqual({ name: 'klaxon_alerts_upsert_firing_batch' });
    },
  );

  it('404 for an unknown integration, recording nothing', async () => {
    const response = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/nobody',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().type).toMatch(/integration-not-found$/);
  });

  it('401 for a missing, wrong or other-secret signature, each recorded as rejected with a reason', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'sig-check', type: 'generic' });
    const body = JSON.stringify({ title: 'x' });
    const missing = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/sig-check',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const wrong = await sendSigned(t, integration, { title: 'x' }, { secret: 'f'.repeat(64) });
    const tampered = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/sig-check',
      body: JSON.stringify({ title: 'y' }),
      headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(integration.webhookSecret, body) },
    });
    for (const response of [missing, wrong, tampered]) {
      expect(response.statusCode).toBe(401);
      expect(response.json().type).toMatch(/invalid-signature$/);
    }
    expect(missing.json().detail).toBe(wrong.json().detail);
    const rows = await deliveries(integration.id);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      expect(row).toMatchObject({ status: 'rejected', httpStatus: 401, payload: null });
      expect(typeof row.reason).toBe('string');
    }
    // What arrived is kept, so a signature mismatch can be compared with what was meant.
    expect(rows.map((row) => row.payloadText).sort()).toEqual([body, body, JSON.stringify({ title: 'y' })]);
  });

  it('403 for a disabled integration', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'disabled', type: 'generic' });
    await t.request({
      method: 'PATCH',
      url: `/api/integrations/${integration.id}`,
      key: admin.apiKey,
      body: { isActive: false },
    });
    const response = await sendSigned(t, integration, { title: 'x' });
    expect(response.statusCode).toBe(403);
    expect(response.json().type).toMatch(/integration-disabled$/);
  });

  it('415 for a signed non-JSON body, 400 for malformed JSON and for a payload the type does not understand', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'bodies', type: 'generic' });
    const text = 'title=x';
    const notJson = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/bodies',
      body: text,
      headers: { 'content-type': 'text/plain', 'x-webhook-signature': hmacHex(integration.webhookSecret, text) },
    });
    expect(notJson.statusCode).toBe(415);
    const malformed = await sendSigned(t, integration, '{"title": ');
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().type).toMatch(/malformed-json$/);
    const notUnderstood = await sendSigned(t, integration, { severity: 'critical' });
    expect(notUnderstood.statusCode).toBe(400);
    expect(notUnderstood.json().errors.map((e: { path: string }) => e.path)).toContain('title');
    const rows = await deliveries(integration.id, '?status=rejected');
    expect(rows.map((r) => r.httpStatus).sort()).toEqual([400, 400, 415]);
  });

  it('413 for a body over the limit, recorded as a rejected delivery', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'too-big', type: 'generic' });
    const response = await sendSigned(t, integration, { title: 'x', description: 'y'.repeat(70 * 1024) });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    const [row] = await deliveries(integration.id);
    expect(row).toMatchObject({ status: 'rejected', httpStatus: 413 });
  });

  it('429 with Retry-After once the integration rate limit is spent', async () => {
    const integration = await createIntegration(t, admin.apiKey, {
      name: 'limited',
      type: 'generic',
      rateLimitPerMinute: 2,
    });
    const codes = [];
    let last: Awaited<ReturnType<typeof sendSigned>> | undefined;
    for (let i = 0; i < 3; i++) {
      last = await sendSigned(t, integration, { title: `event ${i}` });
      codes.push(last.statusCode);
    }
    expect(codes).toEqual([202, 202, 429]);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  });
});

describe('rejected deliveries keep what arrived', () => {
  it('a body the type does not understand, malformed JSON and a non-JSON body are kept as sent', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'kept-bodies', type: 'generic' });
    // Key order as the sender wrote it, integer-like keys and spacing included: jsonb would reorder it.
    const notUnderstood = '{"zeta": "last?", "severity":"critical", "10":"ten", "2":"two"}';
    expect((await sendSigned(t, integration, notUnderstood)).statusCode).toBe(400);
    expect((await sendSigned(t, integration, '{"title": ')).statusCode).toBe(400);
    const text = 'title=x\u0000';
    const notJson = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/kept-bodies',
      body: text,
      headers: { 'content-type': 'text/plain', 'x-webhook-signature': hmacHex(integration.webhookSecret, text) },
    });
    expect(notJson.statusCode).toBe(415);
    const rows = await deliveries(integration.id);
    expect(rows.map((row) => [row.httpStatus, row.payloadText, row.payload, row.payloadTruncatedFrom])).toEqual([
      [415, 'title=x\uFFFD', null, null],
      [400, '{"title": ', null, null],
      [400, notUnderstood, null, null],
    ]);
  });

  it('an unauthenticated body keeps its first 4 KiB; a secret inside a kept body is redacted', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'kept-unsigned', type: 'generic' });
    const big = JSON.stringify({ title: 'x', description: 'é'.repeat(6000) });
    const unsigned = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/kept-unsigned',
      body: big,
      headers: { 'content-type': 'application/json' },
    });
    expect(unsigned.statusCode).toBe(401);
    const careless = { severity: 'critical', note: `my secret is ${integration.webhookSecret}` };
    expect((await sendSigned(t, integration, careless)).statusCode).toBe(400);
    const [withSecret, cut] = await deliveries(integration.id);
    expect(cut?.payloadTruncatedFrom).toBe(Buffer.byteLength(big));
    expect(Buffer.byteLength(cut?.payloadText as string)).toBeLessThanOrEqual(4096);
    expect(big.startsWith(cut?.payloadText as string)).toBe(true);
    expect(withSecret?.payloadText).toBe(JSON.stringify({ ...careless, note: 'my secret is [redacted]' }));
    const rows = await t.database.db.execute(sql`select payload from webhook_deliveries`);
    expect(JSON.stringify(rows)).not.toContain(integration.webhookSecret);
  });

  it('a rate-limited request keeps no body; an accepted one keeps its text as sent and its parsed payload', async () => {
    const integration = await createIntegration(t, admin.apiKey, {
      name: 'kept-limited',
      type: 'generic',
      rateLimitPerMinute: 1,
    });
    const sent = '{"title":"first","labels":{"zone":"b","10":"x","app":"a"}}';
    expect((await sendSigned(t, integration, sent)).statusCode).toBe(202);
    expect((await sendSigned(t, integration, { title: 'second' })).statusCode).toBe(429);
    const [limited, accepted] = await deliveries(integration.id);
    expect(limited).toMatchObject({ httpStatus: 429, payload: null, payloadText: null });
    expect(accepted).toMatchObject({ httpStatus: 202, payloadText: sent, payloadTruncatedFrom: null });
    expect(accepted?.payload).toEqual(JSON.parse(sent));
  });
});

describe('signature schemes over HTTP', () => {
  it('standard-webhooks: valid is accepted; a replayed webhook-id is answered 200 and not processed twice', async () => {
    const integration = await createIntegration(t, admin.apiKey, {
      name: 'std-hooks',
      type: 'generic',
      signatureScheme: 'standard-webhooks',
    });
    const body = JSON.stringify({ title: 'replayed', dedupKey: 'replay-1' });
    const headers = {
      'content-type': 'application/json',
      ...standardWebhookHeaders(integration.webhookSecret, body, 'msg_1'),
    };
    const first = await t.request({ method: 'POST', url: '/webhooks/alerts/std-hooks', body, headers });
    expect(first.statusCode).toBe(202);
    const second = await t.request({ method: 'POST', url: '/webhooks/alerts/std-hooks', body, headers });
    expect(second.statusCode).toBe(200);
    expect(second.json().duplicateOf).toBe(first.json().deliveryId);
    // The replay keeps no body of its own: it is its original's, which the log keeps.
    const [replay, original] = await deliveries(integration.id);
    expect(replay).toMatchObject({ httpStatus: 200, payloadText: null });
    expect(original).toMatchObject({ httpStatus: 202, payloadText: body });
    const alert = await t.request({
      method: 'GET',
      url: `/api/alerts/${first.json().alerts[0].id}`,
      key: admin.apiKey,
    });
    expect(alert.json().occurrenceCount).toBe(1);

    const stale = standardWebhookHeaders(integration.webhookSecret, body, 'msg_2', new Date(Date.now() - 10 * 60_000));
    const staleResponse = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/std-hooks',
      body,
      headers: { 'content-type': 'application/json', ...stale },
    });
    expect(staleResponse.statusCode).toBe(401);
  });

  it('token: Authorization: Bearer <secret> is accepted, anything else is 401', async () => {
    const integration = await createIntegration(t, admin.apiKey, {
      name: 'tokened',
      type: 'generic',
      signatureScheme: 'token',
    });
    const body = JSON.stringify({ title: 'token alert' });
    const ok = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/tokened',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${integration.webhookSecret}` },
    });
    expect(ok.statusCode).toBe(202);
    const bad = await t.request({
      method: 'POST',
      url: '/webhooks/alerts/tokened',
      body,
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'0'.repeat(64)}` },
    });
    expect(bad.statusCode).toBe(401);
    const [rejected] = await deliveries(integration.id, '?status=rejected');
    expect(JSON.stringify(rejected)).not.toContain('0'.repeat(64));
    expect(rejected?.headers).not.toHaveProperty('authorization');
  });

  it('a rotated secret with a grace period: both verify; without grace only the new one', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'rotating', type: 'generic' });
    const rotated = (
      await t.request({
        method: 'POST',
        url: `/api/integrations/${integration.id}/rotate-secret`,
        key: admin.apiKey,
        body: { gracePeriodMinutes: 10 },
      })
    ).json();
    expect((await sendSigned(t, integration, { title: 'old' })).statusCode).toBe(202);
    expect((await sendSigned(t, integration, { title: 'new' }, { secret: rotated.webhookSecret })).statusCode).toBe(
      202,
    );
    const again = (
      await t.request({ method: 'POST', url: `/api/integrations/${integration.id}/rotate-secret`, key: admin.apiKey })
    ).json();
    expect((await sendSigned(t, integration, { title: 'x' }, { secret: rotated.webhookSecret })).statusCode).toBe(401);
    expect((await sendSigned(t, integration, { title: 'x' }, { secret: again.webhookSecret })).statusCode).toBe(202);
  });
});

describe('alerts survive their integration', () => {
  it('deleting an integration keeps its alerts and deliveries readable with its name', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'short-lived', type: 'generic' });
    const sent = (await sendSigned(t, integration, { title: 'orphan?' })).json();
    await t.request({ method: 'DELETE', url: `/api/integrations/${integration.id}`, key: admin.apiKey });
    const alert = await t.request({ method: 'GET', url: `/api/alerts/${sent.alerts[0].id}`, key: admin.apiKey });
    expect(alert.statusCode).toBe(200);
    expect(alert.json()).toMatchObject({ integrationName: 'short-lived', integrationId: integration.id });
    const result = await t.database.db.execute(
      sql`select integration_name from webhook_deliveries where id = ${sent.deliveryId}`,
    );
    expect((result as unknown as { rows: unknown[] }).rows).toEqual([{ integration_name: 'short-lived' }]);
  });
});

describe('delivery retention', () => {
  it('prunes deliveries older than the retention period and keeps newer ones', async () => {
    let clock = new Date('2026-05-01T00:00:00Z');
    const clocked = await createTestApp({ now: () => clock });
    try {
      const owner = await clocked.createAdmin();
      const integration = await createIntegration(clocked, owner.apiKey, { name: 'retained', type: 'generic' });
      await sendSigned(clocked, integration, { title: 'old' });
      clock = new Date('2026-05-20T00:00:00Z');
      await sendSigned(clocked, integration, { title: 'new' });
      clock = new Date('2026-06-05T00:00:00Z');
      expect(await clocked.services.deliveriesService.prune(30)).toBe(1);
      const left = await clocked.request({
        method: 'GET',
        url: `/api/integrations/${integration.id}/deliveries`,
        key: owner.apiKey,
      });
      expect(left.json().deliveries.map((d: { payload: { title: string } }) => d.payload.title)).toEqual(['new']);
    } finally {
      await clocked.close();
    }
  });
});
