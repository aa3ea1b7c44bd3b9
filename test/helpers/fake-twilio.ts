import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { twilioSignature } from '../../src/modules/notifications/phone/providers/twilio.js';

/**
 * Twilio on loopback, as far as Klaxon uses it:
 * - POST /2010-04-01/Accounts/{AccountSid}/Messages.json and Calls.json, form-encoded, HTTP Basic
 *   auth with the account SID and auth token, answering 201 with the resource's JSON (`sid`,
 *   `status: queued`) — https://www.twilio.com/docs/messaging/api/message-resource#create-a-message-resource,
 *   https://www.twilio.com/docs/voice/api/call-resource#create-a-call-resource.
 * - Callbacks to Klaxon as Twilio sends them: form-encoded POSTs with X-Twilio-Signature =
 *   base64(HMAC-SHA1(auth token, full URL + each POST parameter sorted by name as name+value)) —
 *   https://www.twilio.com/docs/usage/webhooks/webhooks-security. The signing function is the one
 *   whose vector from that page is checked in twilio.test.ts.
 */
export const FAKE_TWILIO = {
  accountSid: `AC${'0123456789abcdef'.repeat(2)}`,
  authToken: 'fake-twilio-auth-token-0123456789',
  from: '+15005550006',
};

export interface TwilioResource {
  sid: string;
  kind: 'sms' | 'voice';
  to: string;
  from: string;
  body: string;
  twiml: string;
  statusCallback: string;
}

export async function startFakeTwilio(options: { failWith?: number } = {}) {
  const resources: TwilioResource[] = [];
  let next = 0;
  let failWith = options.failWith;
  const expectedAuth = `Basic ${Buffer.from(`${FAKE_TWILIO.accountSid}:${FAKE_TWILIO.authToken}`).toString('base64')}`;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const json = (status: number, body: unknown) =>
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/(Messages|Calls)\.json$/.exec(request.url ?? '');
      if (request.method !== 'POST' || match === null) return json(404, { code: 20404, message: 'Not found' });
      if (request.headers.authorization !== expectedAuth || match[1] !== FAKE_TWILIO.accountSid) {
        return json(401, { code: 20003, message: 'Authenticate' });
      }
      if (request.headers['content-type'] !== 'application/x-www-form-urlencoded') {
        return json(400, { code: 20001, message: 'form-encoded body expected' });
      }
      if (failWith !== undefined) return json(failWith, { code: 20500, message: 'Internal Server Error' });
      const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
      const kind = match[2] === 'Messages' ? 'sms' : 'voice';
      if (!form.get('To') || !form.get('From') || (kind === 'sms' ? !form.get('Body') : !form.get('Twiml'))) {
        return json(400, { code: 21604, message: 'A required parameter is missing' });
      }
      next += 1;
      const sid = `${kind === 'sms' ? 'SM' : 'CA'}${String(next).padStart(32, '0')}`;
      resources.push({
        sid,
        kind,
        to: form.get('To') ?? '',
        from: form.get('From') ?? '',
        body: form.get('Body') ?? '',
        twiml: form.get('Twiml') ?? '',
        statusCallback: form.get('StatusCallback') ?? '',
      });
      return json(201, { sid, status: 'queued', to: form.get('To'), from: form.get('From') });
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  /** POSTs a callback to Klaxon signed as Twilio signs it (or with `signature` instead). */
  async function callback(url: string, params: Record<string, string>, signature?: string) {
    return fetch(url, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': signature ?? twilioSignature(FAKE_TWILIO.authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
  }

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    resources,
    failWith: (status: number | undefined) => {
      failWith = status;
    },
    callback,
    /** An SMS from `from` to our number, to the number's messaging webhook. */
    reply: (klaxonUrl: string, from: string, body: string, messageSid = `SMin${Date.now()}${Math.random()}`) =>
      callback(`${klaxonUrl}/api/providers/twilio/sms/inbound`, {
        AccountSid: FAKE_TWILIO.accountSid,
        MessageSid: messageSid,
        From: from,
        To: FAKE_TWILIO.from,
        Body: body,
        NumMedia: '0',
      }),
    /** The delivery state of a message or call, to the StatusCallback it was created with. */
    status: (resource: TwilioResource, state: string) =>
      callback(resource.statusCallback, {
        AccountSid: FAKE_TWILIO.accountSid,
        ...(resource.kind === 'sms'
          ? { MessageSid: resource.sid, MessageStatus: state }
          : { CallSid: resource.sid, CallStatus: state }),
        To: resource.to,
        From: resource.from,
      }),
    /** The callee pressed `digit`: POST to the Gather's action URL from the call's TwiML. */
    press: (resource: TwilioResource, digit: string) => {
      const action = /<Gather[^>]* action="([^"]+)"/.exec(resource.twiml)?.[1]?.replaceAll('&amp;', '&') ?? '';
      return callback(action, {
        AccountSid: FAKE_TWILIO.accountSid,
        CallSid: resource.sid,
        Digits: digit,
        From: resource.from,
        To: resource.to,
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
