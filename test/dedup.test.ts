import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../src/lib/ids.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

let clock = new Date('2026-03-01T12:00:00Z');
const advance = (minutes: number) => {
  clock = new Date(clock.getTime() + minutes * 60_000);
};

let t: TestApp;
let admin: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.createAdmin();
  integration = await createIntegration(t, admin.apiKey, {
    name: 'dedup',
    type: 'generic',
    deduplicationWindowMinutes: 15,
  });
});
afterAll(() => t.close());

const fire = (dedupKey: string, extra: Record<string, unknown> = {}) =>
  sendSigned(t, integration, { title: `alert ${dedupKey}`, dedupKey, ...extra });
const resolve = (dedupKey: string) => fire(dedupKey, { status: 'resolved' });
const alertOf = async (id: string) =>
  (await t.request({ method: 'GET', url: `/api/alerts/${id}`, key: admin.apiKey })).json();

describe('deduplication window', () => {
  it('joins the open alert within the window and opens a new one after it', async () => {
    const first = (await fire('window')).json().alerts[0];
    expect(first.action).toBe('created');

    advance(14);
    const second = (await fire('window')).json().alerts[0];
    expect(second).toMatchObject({ id: first.id, action: 'deduplicated' });
    expect(await alertOf(first.id)).toMatchObject({ occurrenceCount: 2, lastSeenAt: clock.toISOString() });

    // The window counts from the last event, so 14 more minutes still joins.
    advance(14);
    expect((await fire('window')).json().alerts[0]).toMatchObject({ id: first.id, action: 'deduplicated' });

    advance(15.01);
    const third = (await fire('window')).json().alerts[0];
    expect(third.action).toBe('created');
    expect(third.id).not.toBe(first.id);
    // The stale alert was closed so only one alert per key is open.
    expect((await alertOf(first.id)).status).toBe('resolved');
  });

  it('a resolve closes the open alert; a resolve with none open is ignored; a re-fire opens a new alert', async () => {
    const created = (await fire('cycle')).json().alerts[0];
    const resolved = (await resolve('cycle')).json().alerts[0];
    expect(resolved).toMatchObject({ id: created.id, action: 'resolved' });
    expect(await alertOf(created.id)).toMatchObject({ status: 'resolved', resolvedAt: clock.toISOString() });

    const ignored = (await resolve('cycle')).json().alerts[0];
    expect(ignored).toMatchObject({ id: null, action: 'ignored' });

    const refired = (await fire('cycle')).json().alerts[0];
    expect(refired.action).toBe('created');
    expect(refired.id).not.toBe(created.id);
  });

  it('an acknowledged alert still deduplicates; a person resolving it makes the next event a new alert', async () => {
    const created = (await fire('acked')).json().alerts[0];
    const ack = await t.request({ method: 'POST', url: `/api/alerts/${created.id}/acknowledge`, key: admin.apiKey });
    expect(ack.statusCode).toBe(200);
    expect(ack.json()).toMatchObject({ status: 'acknowledged', acknowledgedBy: admin.userId });

    const joined = (await fire('acked')).json().alerts[0];
    expect(joined).toMatchObject({ id: created.id, action: 'deduplicated' });
    expect((await alertOf(created.id)).status).toBe('acknowledged');

    await t.request({ method: 'POST', url: `/api/alerts/${created.id}/resolve`, key: admin.apiKey });
    const next = (await fire('acked')).json().alerts[0];
    expect(next.action).toBe('created');
  });

  it('keys are per integration: the same key on two integrations makes two alerts', async () => {
    const other = await createIntegration(t, admin.apiKey, { name: 'dedup-other', type: 'generic' });
    const a = (await fire('shared-key')).json().alerts[0];
    const b = (await sendSigned(t, other, { title: 'x', dedupKey: 'shared-key' })).json().alerts[0];
    expect(a.action).toBe('created');
    expect(b.action).toBe('created');
    expect(a.id).not.toBe(b.id);
  });

  it('50 concurrent identical events make exactly one alert with occurrenceCount 50', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => fire('storm')));
    expect(responses.every((r) => r.statusCode === 202)).toBe(true);
    const ids = new Set(responses.map((r) => r.json().alerts[0].id));
    expect(ids.size).toBe(1);
    const actions = responses.map((r) => r.json().alerts[0].action);
    expect(actions.filter((a) => a === 'created')).toHaveLength(1);
    const [id] = [...ids];
    const alert = await alertOf(id as string);
    expect(alert.occurrenceCount).toBe(50);
    expect(alert.occurrences).toHaveLength(50);
  });
});

describe('alerts API', () => {
  it('lists newest first with filters and cursor pagination', async () => {
    const other = await createIntegration(t, admin.apiKey, { name: 'paging', type: 'generic' });
    for (let i = 0; i < 5; i++) {
      await sendSigned(t, other, { title: `page ${i}`, dedupKey: `page-${i}`, severity: i % 2 ? 'info' : 'critical' });
    }
    const first = await t.request({
      method: 'GET',
      url: `/api/alerts?integrationId=${other.id}&limit=2`,
      key: admin.apiKey,
    });
    expect(first.json().alerts.map((a: { title: string }) => a.title)).toEqual(['page 4', 'page 3']);
    const second = await t.request({
      method: 'GET',
      url: `/api/alerts?integrationId=${other.id}&limit=2&cursor=${first.json().nextCursor}`,
      key: admin.apiKey,
    });
    expect(second.json().alerts.map((a: { title: string }) => a.title)).toEqual(['page 2', 'page 1']);
    const last = await t.request({
      method: 'GET',
      url: `/api/alerts?integrationId=${other.id}&limit=2&cursor=${second.json().nextCursor}`,
      key: admin.apiKey,
    });
    expect(last.json()).toMatchObject({ nextCursor: null });
    expect(last.json().alerts).toHaveLength(1);

    const critical = await t.request({
      method: 'GET',
      url: `/api/alerts?integrationId=${other.id}&severity=critical&status=firing`,
      key: admin.apiKey,
    });
    expect(critical.json().alerts).toHaveLength(3);
    const bad = await t.request({ method: 'GET', url: '/api/alerts?status=open', key: admin.apiKey });
    expect(bad.statusCode).toBe(400);
  });

  it('acknowledge and resolve are audited; acknowledging a resolved alert is a 409; unknown ids are 404', async () => {
    const created = (await fire('audited-alert')).json().alerts[0];
    await t.request({ method: 'POST', url: `/api/alerts/${created.id}/acknowledge`, key: admin.apiKey });
    const resolved = await t.request({ method: 'POST', url: `/api/alerts/${created.id}/resolve`, key: admin.apiKey });
    expect(resolved.json()).toMatchObject({ status: 'resolved', resolvedBy: admin.userId });
    const again = await t.request({ method: 'POST', url: `/api/alerts/${created.id}/resolve`, key: admin.apiKey });
    expect(again.statusCode).toBe(200);
    const ackResolved = await t.request({
      method: 'POST',
      url: `/api/alerts/${created.id}/acknowledge`,
      key: admin.apiKey,
    });
    expect(ackResolved.statusCode).toBe(409);
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?resourceType=alert&resourceId=${created.id}`,
      key: admin.apiKey,
    });
    expect(audit.json().entries.map((e: { action: string }) => e.action)).toEqual([
      'alert.resolved',
      'alert.acknowledged',
    ]);
    const history = await alertOf(created.id);
    expect(history.occurrences.map((o: { kind: string }) => o.kind)).toEqual(['resolved', 'acknowledged', 'created']);
    const missing = await t.request({
      method: 'POST',
      url: '/api/alerts/01900000-0000-7000-8000-000000000000/acknowledge',
      key: admin.apiKey,
    });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().type).toMatch(/alert-not-found$/);
  });
});

describe('events that share a batch', () => {
  it('apply in arrival order: fire, resolve, fire of one key give created, resolved, created', async () => {
    const { integrationsService, alertIngestService } = t.services;
    const resolved = await integrationsService.resolveByName('dedup');
    if (resolved === undefined) throw new Error('integration missing');
    const event = (status: 'firing' | 'resolved') => ({
      dedupKey: 'same-batch',
      title: 'same batch',
      description: null,
      severity: 'warning' as const,
      status,
      source: null,
      labels: {},
      links: [],
      occurredAt: null,
    });
    const delivery = () => ({
      id: uuidv7(),
      integrationId: resolved.integration.id,
      integrationName: 'dedup',
      receivedAt: clock,
      httpStatus: 202,
      reason: null,
      payload: null,
      payloadTruncatedFrom: null,
      headers: {},
      sourceIp: null,
      userAgent: null,
      webhookId: null,
    });
    // Submitted in the same turn of the event loop, so they are written as one batch.
    const results = await Promise.all(
      (['firing', 'resolved', 'firing', 'firing'] as const).map((status) =>
        alertIngestService.ingest(resolved.integration, [event(status)], delivery(), performance.now()),
      ),
    );
    const actions = results.map(([result]) => result?.action);
    expect(actions).toEqual(['created', 'resolved', 'created', 'deduplicated']);
    expect(results[0]?.[0]?.id).toBe(results[1]?.[0]?.id);
    expect(results[2]?.[0]?.id).not.toBe(results[0]?.[0]?.id);
    expect(results[3]?.[0]?.id).toBe(results[2]?.[0]?.id);
  });

  it('repeats of a key inside one payload count every occurrence', async () => {
    const alerts = [1, 2, 3].map(() => ({ title: 'repeated', dedupKey: 'in-one-payload' }));
    const responses = await Promise.all(alerts.map((alert) => fire(alert.dedupKey, { title: alert.title })));
    const ids = new Set(responses.map((r) => r.json().alerts[0].id));
    expect(ids.size).toBe(1);
    expect((await alertOf([...ids][0] as string)).occurrenceCount).toBe(3);
  });
});
