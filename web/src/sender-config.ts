import type { Integration } from './api';

/**
 * A copy-paste configuration for the integration's sender, following docs/connect-your-tools.md,
 * filled in with this integration's URL and signature settings. `<secret>` stays a placeholder:
 * the console never has the secret.
 */
export function senderConfig(integration: Integration, webhookUrl: string): { language: string; text: string } {
  const header = integration.signatureHeader;
  const prefix = integration.signaturePrefix;
  const tokenHeaderLine = `${header}: ${prefix}<secret>`;

  if (integration.signatureScheme === 'standard-webhooks') {
    return {
      language: 'text',
      text: `# Standard Webhooks (standardwebhooks.com)
URL:    ${webhookUrl}
Secret: the standardWebhooksSecret (whsec_…) shown when the integration was created or rotated
Sign each request with webhook-id, webhook-timestamp and webhook-signature headers, e.g. with the
official libraries:  new Webhook("whsec_…").sign(msgId, new Date(), body)`,
    };
  }

  switch (integration.type) {
    case 'alertmanager':
      if (integration.signatureScheme === 'token' && header.toLowerCase() === 'authorization') {
        return {
          language: 'yaml',
          text: `# alertmanager.yml
route:
  receiver: klaxon
  group_by: ["alertname"]
receivers:
  - name: klaxon
    webhook_configs:
      - url: ${webhookUrl}
        send_resolved: true
        http_config:
          authorization:
            type: ${prefix.trim() || 'Bearer'}
            credentials: <secret>`,
        };
      }
      return genericCurl(integration, webhookUrl);
    case 'grafana':
      if (integration.signatureScheme === 'hmac') {
        return {
          language: 'yaml',
          text: `# Grafana provisioning: contact point (leave the timestamp header unset)
apiVersion: 1
contactPoints:
  - orgId: 1
    name: klaxon
    receivers:
      - uid: klaxon-webhook
        type: webhook
        settings:
          url: ${webhookUrl}
          httpMethod: POST
          maxAlerts: 0
          hmacConfig:
            secret: <secret>
            header: ${header}`,
        };
      }
      return tokenHeaderNote(
        'Grafana webhook contact point → Optional settings → Extra headers',
        integration,
        webhookUrl,
      );
    case 'datadog':
    case 'newrelic':
    case 'pagerduty': {
      const where = {
        datadog: 'Datadog: Integrations → Webhooks → New; Custom Headers',
        newrelic: 'New Relic: Alerts → Workflows → Notify → Webhook; Custom headers',
        pagerduty: 'PagerDuty: Integrations → Generic Webhooks (v3) → New Webhook; custom header',
      }[integration.type];
      if (integration.signatureScheme === 'token') return tokenHeaderNote(where, integration, webhookUrl);
      return {
        language: 'text',
        text: `# ${integration.type} cannot sign requests with Klaxon's secret. Switch this integration to the
# token scheme with a custom header (the button "Use a token header" below, or):
curl -sS -X PATCH ${originOf(webhookUrl)}/api/integrations/${integration.id} \\
  -H "Authorization: Bearer $KLAXON_API_KEY" -H 'Content-Type: application/json' \\
  -d '{"signatureScheme": "token", "signatureHeader": "X-Klaxon-Token", "signaturePrefix": ""}'
# then in ${where}:
#   URL ${webhookUrl}
#   X-Klaxon-Token: <secret>`,
      };
    }
    case 'generic':
      return genericCurl(integration, webhookUrl);
  }
  return { language: 'text', text: `URL ${webhookUrl}\n${tokenHeaderLine}` };
}

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}

function tokenHeaderNote(where: string, integration: Integration, webhookUrl: string) {
  return {
    language: 'text',
    text: `# ${where}
URL:    ${webhookUrl}
Header: ${integration.signatureHeader}: ${integration.signaturePrefix}<secret>`,
  };
}

function genericCurl(integration: Integration, webhookUrl: string) {
  const body = `BODY='{"title": "Disk almost full on db-1", "severity": "warning", "source": "cron@db-1"}'`;
  if (integration.signatureScheme === 'token') {
    return {
      language: 'sh',
      text: `${body}
curl -sS -X POST ${webhookUrl} \\
  -H 'Content-Type: application/json' \\
  -H "${integration.signatureHeader}: ${integration.signaturePrefix}$SECRET" \\
  --data-binary "$BODY"`,
    };
  }
  const digest =
    integration.signatureFormat === 'hex'
      ? `openssl dgst -${integration.signatureAlgorithm} -hmac "$SECRET" -hex | sed 's/^.* //'`
      : `openssl dgst -${integration.signatureAlgorithm} -hmac "$SECRET" -binary | base64`;
  return {
    language: 'sh',
    text: `SECRET='<secret>'
${body}
curl -sS -X POST ${webhookUrl} \\
  -H 'Content-Type: application/json' \\
  -H "${integration.signatureHeader}: ${integration.signaturePrefix}$(printf '%s' "$BODY" | ${digest})" \\
  --data-binary "$BODY"`,
  };
}

/** A delivery's outcome in plain words, with what the integration expected. */
export function explainRejection(
  delivery: { httpStatus: number; reason: string | null },
  integration: Integration | undefined,
): string {
  const reason = delivery.reason ?? 'no reason recorded';
  if (delivery.httpStatus === 401 && integration !== undefined) {
    const expected =
      integration.signatureScheme === 'hmac'
        ? `expected header ${integration.signatureHeader} with ${integration.signaturePrefix}HMAC-${integration.signatureAlgorithm.toUpperCase()} (${integration.signatureFormat}) of the body`
        : integration.signatureScheme === 'token'
          ? `expected header ${integration.signatureHeader}: ${integration.signaturePrefix}<secret>`
          : 'expected webhook-id, webhook-timestamp and webhook-signature headers';
    return `Signature check failed: ${reason}; ${expected}`;
  }
  const label: Record<number, string> = {
    200: 'Duplicate',
    400: 'Payload not understood',
    403: 'Integration disabled',
    413: 'Body too large',
    415: 'Not JSON',
    429: 'Rate limited',
  };
  return `${label[delivery.httpStatus] ?? `HTTP ${delivery.httpStatus}`}: ${reason}`;
}
