import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/helpers/app.js';
import { createIntegration, sendSigned } from '../../../test/helpers/webhooks.js';

/**
 * The batch write in one statement (upsertFiringBatch): concurrent requests share it; what each
 * caller gets back and what is stored must be what the transaction path gives.
 */
describe('ingest batches written in one statement', () => {
  let t: TestApp;
  let adminKey: string;
  beforeAll(async () => {
    t = await createTestApp();
    adminKey = (await t.createAdmin()).apiKey;
  });
  afterAll(async () => t.close());

  const deliveries = async (integrationId: string) => {
    const response = await t.request({
      method: 'GET',
      url: `/api/integrations/${integrationId}/deliveries?limit=100`,
      key: adminKey,
    });
    return response.json().deliveries as Array<{ id: string; alertIds: string[]; status: string }>;
  };

  it('concurrent requests: one alert per key, created once, each delivery with its own alert', async () => {
    const integration = await createIntegration(t, adminKey, { name: 'batch-generic', type: 'generic' });
    const keys = ['k-b', 'k-a', 'k-b', 'k-c', 'k-a', 'k-b'];
    const responses = await Promise.all(
      keys.map((dedupKey, index) => sendSigned(t, integration, { title: `event ${index}`, dedupKey })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(keys.map(() => 202));
    const bodies = responses.map(
      (r) => r.json() as { deliveryId: string; alerts: Array<{ id: string; dedupKey: string; action: string }> },
    );
    const idOf = new Map<string, string>();
    for (const [index, body] of bodies.entries()) {
      const [alert] = body.alerts;
      expect(alert?.dedupKey).toBe(keys[index]);
      const known = idOf.get(keys[index] as string);
      if (known !== undefined) expect(alert?.id).toBe(known);
      else idOf.set(keys[index] as string, alert?.id as string);
    }
    const created = bodies.filter((body) => body.alerts[0]?.action === 'created').map((b) => b.alerts[0]?.dedupKey);
    expect(created.sort()).toEqual(['k-a', 'k-b', 'k-c']);
    const stored = await deliveries(integration.id);
    for (const body of bodies) {
      const delivery = stored.find((d) => d.id === body.deliveryId);
      expect(delivery).toMatchObject({ status: 'accepted', alertIds: [body.alerts[0]?.id] });
    }
    const counts = await t.database.executeSql(
      `SELECT dedup_key, occurrence_count, (SELECT count(*)::int FROM alert_occurrences o WHERE o.alert_id = a.id) AS occurrences
       FROM alerts a WHERE integration_id = $1 ORDER BY dedup_key`,
      [integration.id],
    );
    expect(counts.rows).toEqual([
      { dedup_key: 'k-a', occurrence_count: 2, occurrences: 2 },
      { dedup_key: 'k-b', occurrence_count: 3, occurrences: 3 },
      { dedup_key: 'k-c', occurrence_count: 1, occurrences: 1 },
    ]);
  });

  it("a delivery's alert ids keep the order of the alerts in its payload", async () => {
    const integration = await createIntegration(t, adminKey, { name: 'batch-am', type: 'alertmanager' });
    const alert = (name: string) => ({
      status: 'firing',
      labels: { alertname: name },
      annotations: {},
      startsAt: '2026-03-01T00:00:00Z',
      fingerprint: name,
    });
    const payload = {
      version: '4',
      status: 'firing',
      receiver: 'klaxon',
      groupKey: 'g',
      alerts: ['zeta', 'alpha', 'mu'].map(alert),
    };
    const response = await t.request({
      method: 'POST',
      url: `/webhooks/alerts/${integration.name}`,
      body: JSON.stringify(payload),
      headers: { 'content-type': 'application/json', authorization: `Bearer ${integration.webhookSecret}` },
    });
    expect(response.statusCode, response.body).toBe(202);
    const body = response.json() as { deliveryId: string; alerts: Array<{ id: string }> };
    const delivery = (await deliveries(integration.id)).find((d) => d.id === body.deliveryId);
    expect(delivery?.alertIds).toEqual(body.alerts.map((a) => a.id));
  });
});
