import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerProcess, alertmanagerAvailable, startAlertmanager } from './helpers/alertmanager.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration } from './helpers/webhooks.js';

/**
 * A real Prometheus Alertmanager with an always-firing `Watchdog` alert, re-sent every couple of
 * seconds, feeding a Klaxon heartbeat through its webhook integration. Stopping Alertmanager
 * opens exactly one missed-heartbeat alert; a new Alertmanager sending the Watchdog resolves it.
 * Real clock, short intervals: the monitor's own timer notices the miss.
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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe.runIf(alertmanagerAvailable)("Alertmanager's Watchdog as a Klaxon heartbeat", () => {
  let config: string;
  let heartbeatId: string;

  const startWatchdog = async () => {
    alertmanager = await startAlertmanager(config);
    // Prometheus sends an always-firing alert with a far end; Alertmanager re-sends it every repeat_interval.
    const endsAt = new Date(Date.now() + 3_600_000).toISOString();
    const posted = await alertmanager.postAlerts([
      { labels: { alertname: 'Watchdog', severity: 'none' }, annotations: { summary: 'always firing' }, endsAt },
    ]);
    expect(posted.ok).toBe(true);
  };

  const heartbeat = async () =>
    (await t.request({ method: 'GET', url: `/api/heartbeats/${heartbeatId}`, key: admin.apiKey })).json();
  const heartbeatAlerts = async () =>
    (
      (await t.request({ method: 'GET', url: '/api/alerts?limit=100', key: admin.apiKey })).json().alerts as Array<{
        status: string;
        labels: Record<string, string>;
        title: string;
      }>
    ).filter((alert) => alert.labels.heartbeat_id === heartbeatId);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.createAdmin();
    const team = (
      await t.request({ method: 'POST', url: '/api/teams', key: admin.apiKey, body: { name: 'SRE' } })
    ).json();
    const integration = await createIntegration(t, admin.apiKey, { name: 'prometheus', type: 'alertmanager' });
    const created = await t.request({
      method: 'POST',
      url: '/api/heartbeats',
      key: admin.apiKey,
      body: {
        teamId: team.id,
        name: 'alertmanager-watchdog',
        intervalSeconds: 4,
        graceSeconds: 1,
        // Armed once Alertmanager is up, so a slow start on a busy machine is not a miss.
        isActive: false,
        watchdog: {
          integrationId: integration.id,
          matchers: [{ field: 'labels.alertname', op: 'equals', value: 'Watchdog' }],
        },
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    heartbeatId = created.json().id;
    await t.services.heartbeatMonitor.start();
    const klaxon = await t.app.listen({ port: 0, host: '127.0.0.1' });
    config = `
route:
  receiver: klaxon
  group_by: ["alertname"]
  group_wait: 0s
  group_interval: 1s
  repeat_interval: 2s
receivers:
  - name: klaxon
    webhook_configs:
      - url: ${klaxon}/webhooks/alerts/prometheus
        send_resolved: true
        http_config:
          authorization:
            credentials: ${integration.webhookSecret}
`;
  });

  afterAll(async () => {
    await alertmanager?.stop();
    await t?.close();
  });

  it('pings while Alertmanager runs, opens one alert when it stops, resolves when it is back', async () => {
    await startWatchdog();
    const first = await waitFor(async () => (await heartbeat()).lastPingAt ?? undefined, 'the first Watchdog ping');
    const armed = await t.request({
      method: 'PATCH',
      url: `/api/heartbeats/${heartbeatId}`,
      key: admin.apiKey,
      body: { isActive: true },
    });
    expect(armed.json().status).toBe('up');
    await waitFor(
      async () => ((await heartbeat()).lastPingAt !== first ? true : undefined),
      'a repeated Watchdog ping',
    );
    expect((await heartbeat()).status).toBe('up');
    // The Watchdog alert itself is never stored: it would otherwise open an incident.
    const stored = (await t.request({ method: 'GET', url: '/api/alerts?limit=100', key: admin.apiKey })).json();
    expect(stored.alerts.filter((a: { title: string }) => a.title.includes('Watchdog'))).toEqual([]);

    await alertmanager?.stop();
    alertmanager = undefined;
    const [missed] = await waitFor(async () => {
      const alerts = await heartbeatAlerts();
      return alerts.length > 0 ? alerts : undefined;
    }, 'the missed-heartbeat alert');
    expect(missed).toMatchObject({ status: 'firing', title: 'Heartbeat "alertmanager-watchdog" missed' });
    expect((await heartbeat()).status).toBe('down');

    await startWatchdog();
    await waitFor(
      async () => ((await heartbeatAlerts())[0]?.status === 'resolved' ? true : undefined),
      'the alert to resolve',
    );
    const alerts = await heartbeatAlerts();
    expect(alerts).toHaveLength(1);
    expect((await heartbeat()).status).toBe('up');
  });
});
