import { randomBytes } from 'node:crypto';
import type { IntegrationType } from '../../core/integrations.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import { loadFixture } from '../alerts/sources/load-fixture.js';
import { signHmac } from '../webhooks/signatures/hmac.js';
import { signStandardWebhooks } from '../webhooks/signatures/standard-webhooks.js';

/**
 * A sample payload for "send test alert": the generic type gets a clearly labelled test alert;
 * the other types get one of their real, captured payloads (the normalizer fixtures), so the test
 * goes through exactly the parsing a real sender's request would.
 */
export function sampleTestPayload(type: IntegrationType, at: Date): unknown {
  switch (type) {
    case 'generic':
      return {
        title: 'Test alert from the Klaxon console',
        description: 'Sent with the "Send test alert" button. Resolve it when you have seen it.',
        severity: 'info',
        source: 'klaxon-console',
        dedupKey: 'klaxon-console-test',
        labels: { test: 'true' },
        occurredAt: at.toISOString(),
      };
    case 'alertmanager':
      return loadFixture('alertmanager', 'captured-firing.json');
    case 'grafana':
      return loadFixture('grafana', 'docs-two-alerts-firing.json');
    case 'datadog':
      return loadFixture('datadog', 'recommended-template-triggered.json');
    case 'newrelic':
      return loadFixture('newrelic', 'zulip-activated.json');
    case 'pagerduty':
      return loadFixture('pagerduty', 'zulip-incident-triggered.json');
  }
}

/** The headers a correctly configured sender of this integration would send with `body`. */
export function signTestRequest(integration: IntegrationRow, secret: string, body: Buffer, at: Date) {
  const key = Buffer.from(secret, 'utf8');
  switch (integration.signatureScheme) {
    case 'hmac':
      return {
        [integration.signatureHeader]:
          integration.signaturePrefix +
          signHmac(integration.signatureAlgorithm, integration.signatureFormat, key, body),
      };
    case 'token':
      return { [integration.signatureHeader]: integration.signaturePrefix + secret };
    case 'standard-webhooks': {
      const id = `msg_klaxon_test_${randomBytes(8).toString('hex')}`;
      const timestamp = Math.floor(at.getTime() / 1000);
      return {
        'webhook-id': id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signStandardWebhooks(key, id, timestamp, body),
      };
    }
  }
}
