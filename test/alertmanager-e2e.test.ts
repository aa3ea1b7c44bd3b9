import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerProcess, alertmanagerAvailable, startAlertmanager } from './helpers/alertmanager.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration } from './helpers/webhooks.js';

/**
 * A real Prometheus Alertmanager (Debian's prometheus-alertmanager, installed by .ci/run)
 * delivering to Klaxon with the configuration the README documents: a webhook receiver with
 * bearer credentials and a pagerduty receiver pointed at /v2/enqueue.
 */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let alertmanager: AlertmanagerProcess | undefined;

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}\nalertmanager output:\n${alertmanager?.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe.runIf(alertmanagerAvailable)('a stock Prometheus Alertmanager delivers to Klaxon', () => {
  let webhook: Awaited<ReturnType<typeof createIntegration>>;
  let events: Awaited<ReturnType<typeof createIntegration>>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createAdmin();
    webhook = await createIntegration(t, admin.apiKey, { name: 'am-webhook', type: 'alertmanager' });
    events = await createIntegration(t, admin.apiKey, { name: 'am-pagerduty', type: 'generic' });
    const klaxon = await t.app.listen({ port: 0, host: '127.0.0.1' });

    alertmanager = await startAlertmanager(`
route:
  receiver: klaxon
  group_by: ["alertname"]
  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: klaxon
    webhook_configs:
      - url: ${klaxon}/webhooks/alerts/am-webhook
        send_resolved: true
        http_config:
          authorization:
            credentials: ${webhook.webhookSecret}
    pagerduty_configs:
      - url: ${klaxon}/v2/enqueue
        routing_key: ${events.webhookSecret}
        send_resolved: true
`);
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await t?.close();
  });

  const alertsOf = async (integrationId: string) => {
    const response = await t.request({
      method: 'GET',
      url: `/api/alerts?integrationId=${integrationId}`,
      key: admin.apiKey,
    });
    return response.json().alerts as Array<{
      title: string;
      status: string;
      severity: string;
      labels: Record<string, string>;
    }>;
  };

  const postAlert = (endsAt?: string) =>
    (alertmanager as AlertmanagerProcess).postAlerts([
      {
        labels: { alertname: 'DiskFull', severity: 'critical', instance: 'db-1' },
        annotations: { summary: 'Disk full on db-1' },
        generatorURL: 'http://prometheus.example.com/graph',
        ...(endsAt ? { endsAt } : {}),
      },
    ]);

  it('fires through both receivers, then resolves through both', async () => {
    expect((await postAlert()).ok).toBe(true);

    const [fromWebhook] = await waitFor(async () => {
      const alerts = await alertsOf(webhook.id);
      return alerts.length > 0 ? alerts : undefined;
    }, 'the webhook alert');
    expect(fromWebhook).toMatchObject({
      title: 'Disk full on db-1',
      severity: 'critical',
      status: 'firing',
      labels: { alertname: 'DiskFull', instance: 'db-1' },
    });
    const [fromEvents] = await waitFor(async () => {
      const alerts = await alertsOf(events.id);
      return alerts.length > 0 ? alerts : undefined;
    }, 'the Events API alert');
    expect(fromEvents?.status).toBe('firing');
    expect(fromEvents?.title).toContain('DiskFull');

    expect((await postAlert(new Date(Date.now() - 1000).toISOString())).ok).toBe(true);
    await waitFor(
      async () => ((await alertsOf(webhook.id))[0]?.status === 'resolved' ? true : undefined),
      'webhook resolve',
    );
    await waitFor(
      async () => ((await alertsOf(events.id))[0]?.status === 'resolved' ? true : undefined),
      'events resolve',
    );

    const deliveries = await t.request({
      method: 'GET',
      url: `/api/integrations/${webhook.id}/deliveries`,
      key: admin.apiKey,
    });
    expect(deliveries.json().deliveries.every((d: { status: string }) => d.status === 'accepted')).toBe(true);
  });
});
