import type { PhoneConfig } from '../../src/modules/notifications/phone/phone-config.js';
import type { SlackConfig } from '../../src/modules/slack/slack-config.js';
import { type AlertmanagerProcess, startAlertmanager } from './alertmanager.js';
import { createTestApp, type TestApp } from './app.js';
import { FAKE_TWILIO, startFakeTwilio } from './fake-twilio.js';
import { reservePort } from './ports.js';
import { createIntegration } from './webhooks.js';

/** A policy "minute" of the paging end-to-end tests: short, but long enough for a step to run first. */
export const PAGING_MINUTE_MS = 1_500;

/**
 * A listening Klaxon with its job workers, paging SMS through a fake Twilio on loopback (and
 * through a fake Slack when given): the set-up of the phone and chat end-to-end tests. The
 * public URL is the listening address, so provider callbacks reach it.
 */
export async function startPagingApp(options: {
  allowedCountries: string[];
  slack?: Pick<SlackConfig, 'botToken' | 'signingSecret' | 'apiUrl'>;
}) {
  const twilio = await startFakeTwilio();
  const { port, release } = await reservePort();
  const klaxonUrl = `http://127.0.0.1:${port}`;
  const phone: PhoneConfig = {
    allowedCountries: options.allowedCountries,
    rateLimitPerHour: 10,
    providerByCountry: {},
    twilio: { ...FAKE_TWILIO, baseUrl: twilio.baseUrl },
  };
  const t: TestApp = await createTestApp({
    incidents: {
      publicUrl: klaxonUrl,
      minuteMs: PAGING_MINUTE_MS,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
      phone,
      ...(options.slack === undefined ? {} : { slack: options.slack }),
    },
  });
  await release();
  await t.app.listen({ port, host: '127.0.0.1' });
  await t.services.escalationEngine.start();
  return { t, twilio, klaxonUrl };
}

/**
 * A stock Alertmanager sending to Klaxon's `prometheus` integration, whose alerts labelled
 * `team=<name>` are routed to the team.
 */
export async function alertmanagerForTeam(
  t: TestApp,
  adminKey: string,
  klaxonUrl: string,
  team: { id: string; name: string },
  groupBy: string[] = [],
): Promise<AlertmanagerProcess> {
  const routed = await t.request({
    method: 'POST',
    url: '/api/routing-rules',
    key: adminKey,
    body: { name: team.name, teamId: team.id, matchers: [{ field: 'labels.team', op: 'equals', value: team.name }] },
  });
  if (routed.statusCode !== 201) throw new Error(`routing rule: ${routed.body}`);
  const webhook = await createIntegration(t, adminKey, { name: 'prometheus', type: 'alertmanager' });
  return startAlertmanager(alertmanagerConfig(klaxonUrl, webhook.webhookSecret, { groupBy }));
}

/**
 * An Alertmanager configuration with one receiver: Klaxon's `prometheus` integration, with its
 * secret as the Bearer credential, groups flushed after a second.
 */
export function alertmanagerConfig(
  klaxonUrl: string,
  secret: string,
  options: { groupBy?: string[]; sendResolved?: boolean } = {},
): string {
  const groupBy = options.groupBy ?? [];
  return `
route:
  receiver: klaxon
${groupBy.length === 0 ? '' : `  group_by: [${groupBy.map((label) => JSON.stringify(label)).join(', ')}]\n`}  group_wait: 1s
  group_interval: 1s
  repeat_interval: 1h
receivers:
  - name: klaxon
    webhook_configs:
      - url: ${klaxonUrl}/webhooks/alerts/prometheus
${options.sendResolved === true ? '        send_resolved: true\n' : ''}        http_config:
          authorization:
            credentials: ${secret}
`;
}
