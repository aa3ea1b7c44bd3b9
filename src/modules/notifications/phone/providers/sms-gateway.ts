import { constantTimeEqual } from '../../../../lib/crypto.js';
import type { SmsGatewayConfig } from '../phone-config.js';
import { field, type PhoneEvent, type PhoneProvider, providerRequest } from '../phone-provider.js';

/**
 * Any HTTP SMS gateway (regional vendors, a phone running an SMS gateway app): one request per
 * message to the configured URL, with the configured headers and a JSON body template whose
 * `{{to}}` and `{{text}}` are filled with JSON-escaped values. SMS only, no delivery states.
 * Replies come back to POST /api/providers/sms-gateway/inbound as `{"from": "+…", "text": "…"}`
 * with `Authorization: Bearer <KLAXON_SMS_GATEWAY_INBOUND_TOKEN>` (gateways rarely sign; a
 * shared token in a header is what they can all send).
 */
export const SMS_GATEWAY_PATHS = { inbound: '/api/providers/sms-gateway/inbound' } as const;

const jsonEscaped = (value: string) => JSON.stringify(value).slice(1, -1);

export function gatewayBody(template: string, to: string, text: string): string {
  return template.replaceAll('{{to}}', jsonEscaped(to)).replaceAll('{{text}}', jsonEscaped(text));
}

export function verifyGatewayToken(inboundToken: string | undefined, authorization: string | undefined): boolean {
  if (inboundToken === undefined || authorization === undefined) return false;
  return constantTimeEqual(authorization, `Bearer ${inboundToken}`);
}

export function gatewayEvent(body: Record<string, unknown>): PhoneEvent | undefined {
  const from = field(body, 'from');
  const text = field(body, 'text');
  const id = field(body, 'id');
  if (!from || text === undefined || !id) return undefined;
  return { kind: 'reply', from, text, key: `sms:${id}` };
}

export function createSmsGatewayProvider(config: SmsGatewayConfig): PhoneProvider {
  return {
    name: 'sms-gateway',
    async sendSms(to, text) {
      const answer = await providerRequest(config.url, {
        method: config.method,
        headers: { 'content-type': 'application/json', ...config.headers },
        body: gatewayBody(config.bodyTemplate, to, text),
      });
      if (!answer.ok) return answer;
      return { ok: true, providerMessageId: null, status: 'sent' };
    },
  };
}
