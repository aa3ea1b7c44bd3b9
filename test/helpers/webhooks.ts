import { createHmac } from 'node:crypto';
import type { TestApp } from './app.js';

export function hmacHex(secret: string, body: string, algorithm: 'sha256' | 'sha512' = 'sha256'): string {
  return createHmac(algorithm, Buffer.from(secret, 'utf8')).update(body).digest('hex');
}

export function standardWebhookHeaders(secret: string, body: string, id: string, at: Date = new Date()) {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const signature = createHmac('sha256', Buffer.from(secret, 'utf8'))
    .update(`${id}.${timestamp}.${body}`)
    .digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}

export async function createIntegration(t: TestApp, adminKey: string, body: Record<string, unknown>) {
  const response = await t.request({ method: 'POST', url: '/api/integrations', key: adminKey, body });
  if (response.statusCode !== 201) throw new Error(`createIntegration failed: ${response.body}`);
  return response.json() as { id: string; name: string; webhookSecret: string; signatureHeader: string };
}

/** Sends a payload to a generic-style HMAC integration, signed with `secret`. */
export function sendSigned(
  t: TestApp,
  integration: { name: string; webhookSecret: string; signatureHeader?: string },
  payload: unknown,
  options: { secret?: string; headers?: Record<string, string> } = {},
) {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return t.request({
    method: 'POST',
    url: `/webhooks/alerts/${integration.name}`,
    body,
    headers: {
      'content-type': 'application/json',
      [integration.signatureHeader ?? 'X-Webhook-Signature']: hmacHex(
        options.secret ?? integration.webhookSecret,
        body,
      ),
      ...options.headers,
    },
  });
}
