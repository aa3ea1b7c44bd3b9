import { createPrivateKey, type KeyObject } from 'node:crypto';
import { constantTimeEqual, sha256Hex } from '../../../../lib/crypto.js';
import { uuidv7 } from '../../../../lib/ids.js';
import { signJwtRs256, verifyJwtHs256 } from '../../../../lib/jwt.js';
import type { VonageConfig } from '../phone-config.js';
import { field, type PhoneEvent, type PhoneProvider, providerRequest } from '../phone-provider.js';

/**
 * Vonage Messages API and Voice API.
 * - Send: POST /v1/messages (https://developer.vonage.com/en/api/messages) and POST /v1/calls
 *   (https://developer.vonage.com/en/api/voice) with a Bearer JWT signed RS256 by the
 *   application's private key (claims application_id, iat, jti, exp). The call's NCCO says the
 *   incident (`talk`) and gathers one DTMF key (`input`) whose eventUrl is our input callback.
 * - Webhooks carry `Authorization: Bearer <JWT>` signed HS256 with the account's signature secret;
 *   its `payload_hash` claim is the SHA-256 hex of the body
 *   (https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks,
 *   https://developer.vonage.com/en/messages/concepts/signed-webhooks). The inbound and status
 *   URLs of messages are set on the Vonage application; the call's event URLs are sent with it.
 */
export const VONAGE_PATHS = {
  messagesInbound: '/api/providers/vonage/messages/inbound',
  messagesStatus: '/api/providers/vonage/messages/status',
  voiceInput: '/api/providers/vonage/voice/input',
  voiceEvent: '/api/providers/vonage/voice/event',
} as const;

/** Signed webhooks older than this (by `iat`) are refused: a captured one cannot be replayed later. */
const MAX_WEBHOOK_AGE_SECONDS = 300;

/** Whether `authorization` is a valid Vonage webhook signature over `rawBody` at `now`. */
export function verifyVonageWebhook(
  signatureSecret: string,
  authorization: string | undefined,
  rawBody: Buffer,
  now: Date,
): boolean {
  const token = /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];
  if (token === undefined) return false;
  const claims = verifyJwtHs256(token, signatureSecret);
  if (claims === undefined) return false;
  const iat = typeof claims.iat === 'number' ? claims.iat : Number.NaN;
  const age = now.getTime() / 1000 - iat;
  if (!(Math.abs(age) <= MAX_WEBHOOK_AGE_SECONDS)) return false;
  return typeof claims.payload_hash === 'string' && constantTimeEqual(claims.payload_hash, sha256Hex(rawBody));
}

const STATES: Record<string, string> = {
  submitted: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  rejected: 'failed',
  undeliverable: 'failed',
  started: 'queued',
  ringing: 'queued',
  answered: 'answered',
  completed: 'completed',
  busy: 'busy',
  failed: 'failed',
  cancelled: 'failed',
  rejected_call: 'failed',
  timeout: 'no-answer',
  unanswered: 'no-answer',
};

const text = (body: Record<string, unknown>, name: string) => field(body, name);

/** Turns a verified Vonage webhook into what Klaxon acts on; undefined when it carries nothing to act on. */
export function vonageEvent(path: string, body: Record<string, unknown>): PhoneEvent | undefined {
  switch (path) {
    case VONAGE_PATHS.messagesInbound: {
      const id = text(body, 'message_uuid');
      const from = text(body, 'from');
      if (!id || !from) return undefined;
      return {
        kind: 'reply',
        from: from.startsWith('+') ? from : `+${from}`,
        text: text(body, 'text') ?? '',
        key: `sms:${id}`,
      };
    }
    case VONAGE_PATHS.voiceInput: {
      const uuid = text(body, 'uuid');
      const dtmf = body.dtmf as { digits?: unknown } | undefined;
      if (!uuid) return undefined;
      return {
        kind: 'keypress',
        providerMessageId: uuid,
        digit: typeof dtmf?.digits === 'string' ? dtmf.digits : '',
        key: `input:${uuid}`,
      };
    }
    case VONAGE_PATHS.messagesStatus:
    case VONAGE_PATHS.voiceEvent: {
      const id = text(body, 'message_uuid') ?? text(body, 'uuid');
      const status = text(body, 'status');
      if (!id || !status) return undefined;
      const state = STATES[path === VONAGE_PATHS.voiceEvent && status === 'rejected' ? 'rejected_call' : status];
      if (state === undefined) return undefined;
      const error = body.error as { title?: unknown } | undefined;
      return {
        kind: 'status',
        providerMessageId: id,
        status: state,
        detail: `vonage: ${status}${typeof error?.title === 'string' ? ` (${error.title})` : ''}`,
        key: `status:${id}:${status}`,
      };
    }
    default:
      return undefined;
  }
}

/** NCCO answering a key press: say `text`, then the call ends. */
export const nccoTalk = (text: string) => [{ action: 'talk', text }];

export function createVonageProvider(config: VonageConfig, publicUrl: string, now: () => Date): PhoneProvider {
  let key: KeyObject | undefined;
  const bearer = () => {
    key ??= createPrivateKey(config.privateKey);
    const iat = Math.floor(now().getTime() / 1000);
    return `Bearer ${signJwtRs256({ application_id: config.applicationId, iat, exp: iat + 300, jti: uuidv7() }, key)}`;
  };
  const post = async (path: string, body: unknown, idField: string) => {
    const answer = await providerRequest(`${config.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: bearer(), 'content-type': 'application/json', accept: 'application/json' },
      body: JSON.stringify(body),
    });
    if (!answer.ok) return answer;
    return { ok: true as const, providerMessageId: field(answer.body, idField) ?? null, status: 'queued' };
  };
  // Vonage writes numbers in E.164 without the plus.
  const digits = (number: string) => number.replace(/^\+/, '');
  return {
    name: 'vonage',
    sendSms: (to, message) =>
      post(
        '/v1/messages',
        { message_type: 'text', channel: 'sms', to: digits(to), from: digits(config.from), text: message },
        'message_uuid',
      ),
    call: (to, speech) =>
      post(
        '/v1/calls',
        {
          to: [{ type: 'phone', number: digits(to) }],
          from: { type: 'phone', number: digits(config.from) },
          ncco: [
            { action: 'talk', text: speech, bargeIn: true },
            {
              action: 'input',
              type: ['dtmf'],
              dtmf: { maxDigits: 1, timeOut: 10 },
              eventUrl: [publicUrl + VONAGE_PATHS.voiceInput],
            },
          ],
          event_url: [publicUrl + VONAGE_PATHS.voiceEvent],
          event_method: 'POST',
        },
        'uuid',
      ),
  };
}
