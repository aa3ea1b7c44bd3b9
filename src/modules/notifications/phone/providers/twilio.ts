import { createHmac } from 'node:crypto';
import { constantTimeEqual } from '../../../../lib/crypto.js';
import type { TwilioConfig } from '../phone-config.js';
import { field, type PhoneEvent, type PhoneProvider, providerRequest } from '../phone-provider.js';

/**
 * Twilio Programmable Messaging and Voice.
 * - Send: POST /2010-04-01/Accounts/{AccountSid}/Messages.json and Calls.json, form-encoded, Basic
 *   auth (https://www.twilio.com/docs/messaging/api/message-resource,
 *   https://www.twilio.com/docs/voice/api/call-resource). The call carries its TwiML inline: <Say>
 *   the incident inside a <Gather numDigits="1"> whose action is our gather callback.
 * - Callbacks are form-encoded POSTs signed with X-Twilio-Signature: base64 HMAC-SHA1, keyed with
 *   the auth token, over the full URL followed by every POST parameter, sorted by name, as
 *   name+value (https://www.twilio.com/docs/usage/webhooks/webhooks-security).
 */
export const TWILIO_PATHS = {
  smsInbound: '/api/providers/twilio/sms/inbound',
  smsStatus: '/api/providers/twilio/sms/status',
  voiceGather: '/api/providers/twilio/voice/gather',
  voiceStatus: '/api/providers/twilio/voice/status',
} as const;

export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((signed, name) => signed + name + params[name], url);
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (signature === undefined || signature === '') return false;
  return constantTimeEqual(twilioSignature(authToken, url, params), signature);
}

const escapeXml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

/** TwiML that says `text` (and hangs up). */
export const twimlSay = (text: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${escapeXml(text)}</Say></Response>`;

/** TwiML that answers an SMS with `text`. */
export const twimlMessage = (text: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Response><Message>${escapeXml(text)}</Message></Response>`;

/** The normalized delivery state of Twilio's MessageStatus and CallStatus values. */
function stateOf(status: string): string {
  switch (status) {
    case 'accepted':
    case 'scheduled':
    case 'queued':
    case 'sending':
    case 'initiated':
    case 'ringing':
      return 'queued';
    case 'undelivered':
    case 'failed':
    case 'canceled':
      return 'failed';
    case 'in-progress':
      return 'answered';
    default:
      return status; // sent, delivered, read, completed, busy, no-answer
  }
}

/** Turns a verified Twilio callback into what Klaxon acts on; undefined when it carries nothing to act on. */
export function twilioEvent(path: string, params: Record<string, string>): PhoneEvent | undefined {
  switch (path) {
    case TWILIO_PATHS.smsInbound:
      if (!params.From || !params.MessageSid) return undefined;
      return { kind: 'reply', from: params.From, text: params.Body ?? '', key: `sms:${params.MessageSid}` };
    case TWILIO_PATHS.voiceGather:
      if (!params.CallSid) return undefined;
      return {
        kind: 'keypress',
        providerMessageId: params.CallSid,
        digit: params.Digits ?? '',
        key: `gather:${params.CallSid}`,
      };
    case TWILIO_PATHS.smsStatus:
    case TWILIO_PATHS.voiceStatus: {
      const sid = params.MessageSid ?? params.CallSid;
      const status = params.MessageStatus ?? params.CallStatus;
      if (!sid || !status) return undefined;
      return {
        kind: 'status',
        providerMessageId: sid,
        status: stateOf(status),
        detail: `twilio: ${status}${params.ErrorCode ? ` (error ${params.ErrorCode})` : ''}`,
        key: `status:${sid}:${status}`,
      };
    }
    default:
      return undefined;
  }
}

export function createTwilioProvider(config: TwilioConfig, publicUrl: string): PhoneProvider {
  const account = `${config.baseUrl}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}`;
  const headers = {
    authorization: `Basic ${Buffer.from(`${config.accountSid}:${config.authToken}`).toString('base64')}`,
    'content-type': 'application/x-www-form-urlencoded',
    accept: 'application/json',
  };
  const create = async (resource: 'Messages' | 'Calls', params: Record<string, string>) => {
    const answer = await providerRequest(`${account}/${resource}.json`, {
      method: 'POST',
      headers,
      body: new URLSearchParams(params).toString(),
    });
    if (!answer.ok) return answer;
    return { ok: true as const, providerMessageId: field(answer.body, 'sid') ?? null, status: 'queued' };
  };
  return {
    name: 'twilio',
    sendSms: (to, text) =>
      create('Messages', { To: to, From: config.from, Body: text, StatusCallback: publicUrl + TWILIO_PATHS.smsStatus }),
    call: (to, speech) =>
      create('Calls', {
        To: to,
        From: config.from,
        Twiml: `<Response><Gather numDigits="1" timeout="10" action="${escapeXml(publicUrl + TWILIO_PATHS.voiceGather)}" method="POST"><Say loop="2">${escapeXml(speech)}</Say></Gather><Say>No key was pressed. Goodbye.</Say></Response>`,
        StatusCallback: publicUrl + TWILIO_PATHS.voiceStatus,
      }),
  };
}
