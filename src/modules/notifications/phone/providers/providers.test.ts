import { createVerify, generateKeyPairSync } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../../../lib/crypto.js';
import { signJwtHs256 } from '../../../../lib/jwt.js';
import { gatewayBody, verifyGatewayToken } from './sms-gateway.js';
import { twilioEvent, twilioSignature, verifyTwilioSignature } from './twilio.js';
import { createVonageProvider, VONAGE_PATHS, verifyVonageWebhook, vonageEvent } from './vonage.js';

describe('Twilio request signatures', () => {
  // The worked example of https://www.twilio.com/docs/usage/security#validating-requests
  // (auth token 12345), as also reproduced in Twilio's helper libraries' tests.
  const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
  const params = {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+12349013030',
    Digits: '1234',
    From: '+12349013030',
    To: '+18005551212',
  };

  it('computes the documented signature', () => {
    expect(twilioSignature('12345', url, params)).toBe('0/KCTR6DLpKmkAf8muzZqo1nDgQ=');
  });

  it('refuses a changed parameter, another URL, another token or no signature', () => {
    const good = twilioSignature('12345', url, params);
    expect(verifyTwilioSignature('12345', url, params, good)).toBe(true);
    expect(verifyTwilioSignature('12345', url, { ...params, Digits: '1' }, good)).toBe(false);
    expect(verifyTwilioSignature('12345', `${url}&x=1`, params, good)).toBe(false);
    expect(verifyTwilioSignature('54321', url, params, good)).toBe(false);
    expect(verifyTwilioSignature('12345', url, params, undefined)).toBe(false);
  });

  it('reads delivery states in one vocabulary', () => {
    const status = (MessageStatus: string) =>
      twilioEvent('/api/providers/twilio/sms/status', { MessageSid: 'SM1', MessageStatus });
    expect(status('undelivered')).toMatchObject({ kind: 'status', status: 'failed' });
    expect(status('delivered')).toMatchObject({ status: 'delivered', key: 'status:SM1:delivered' });
    expect(
      twilioEvent('/api/providers/twilio/voice/status', { CallSid: 'CA1', CallStatus: 'no-answer' }),
    ).toMatchObject({ status: 'no-answer' });
  });
});

describe('Vonage', () => {
  const secret = 'vonage-signature-secret-0123456789';
  const now = new Date('2026-12-05T10:00:00Z');
  const iat = Math.floor(now.getTime() / 1000);
  const body = Buffer.from(JSON.stringify({ message_uuid: 'm-1', status: 'rejected', channel: 'sms' }));
  // Signed as https://developer.vonage.com/en/getting-started/concepts/webhooks#decoding-signed-webhooks
  // describes: HS256 with the signature secret, claims iat, jti, iss, payload_hash = SHA-256 of the body.
  const token = (claims: Record<string, unknown> = {}) =>
    `Bearer ${signJwtHs256({ iat, jti: 'j-1', iss: 'Vonage', payload_hash: sha256Hex(body), ...claims }, secret)}`;

  it('accepts a webhook signed with the secret over this body', () => {
    expect(verifyVonageWebhook(secret, token(), body, now)).toBe(true);
  });

  it('refuses another secret, a tampered body, a stale token or none', () => {
    expect(verifyVonageWebhook('another-secret-0123456789abcdef', token(), body, now)).toBe(false);
    expect(verifyVonageWebhook(secret, token(), Buffer.from(`${body} `), now)).toBe(false);
    expect(verifyVonageWebhook(secret, token({ iat: iat - 3600 }), body, now)).toBe(false);
    expect(verifyVonageWebhook(secret, undefined, body, now)).toBe(false);
    const [, payload] = token().split('.');
    const unsigned = `Bearer ${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`;
    expect(verifyVonageWebhook(secret, unsigned, body, now)).toBe(false);
  });

  it('reads rejected messages and unanswered calls as failures', () => {
    expect(vonageEvent(VONAGE_PATHS.messagesStatus, { message_uuid: 'm', status: 'rejected' })).toMatchObject({
      status: 'failed',
    });
    expect(vonageEvent(VONAGE_PATHS.voiceEvent, { uuid: 'c', status: 'unanswered' })).toMatchObject({
      status: 'no-answer',
    });
    expect(vonageEvent(VONAGE_PATHS.voiceInput, { uuid: 'c', dtmf: { digits: '1' } })).toMatchObject({
      kind: 'keypress',
      digit: '1',
    });
  });

  it('sends SMS and calls with an RS256 JWT of the application, as the APIs require', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const received: Array<{ path: string; body: Record<string, unknown>; jwtValid: boolean; appId: unknown }> = [];
    // A fake of POST /v1/messages (202 {message_uuid}) and POST /v1/calls (201 {uuid}).
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const [header = '', payload = '', signature = ''] = (request.headers.authorization ?? '')
          .replace('Bearer ', '')
          .split('.');
        const jwtValid = createVerify('RSA-SHA256')
          .update(`${header}.${payload}`)
          .verify(publicKey, signature, 'base64url');
        const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
        received.push({
          path: request.url ?? '',
          body: JSON.parse(Buffer.concat(chunks).toString()),
          jwtValid,
          appId: claims.application_id,
        });
        const isCall = request.url === '/v1/calls';
        response.writeHead(isCall ? 201 : 202, { 'content-type': 'application/json' });
        response.end(JSON.stringify(isCall ? { uuid: 'call-1', status: 'started' } : { message_uuid: 'msg-1' }));
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const provider = createVonageProvider(
      {
        applicationId: 'app-1',
        privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        signatureSecret: secret,
        from: '447700900000',
        baseUrl: base,
      },
      'https://klaxon.example.com',
      () => new Date(),
    );
    try {
      expect(await provider.sendSms('+447700900001', 'hello')).toEqual({
        ok: true,
        providerMessageId: 'msg-1',
        status: 'queued',
      });
      expect(await provider.call?.('+447700900001', 'Press 1')).toMatchObject({
        ok: true,
        providerMessageId: 'call-1',
      });
    } finally {
      server.close();
    }
    expect(received.every((r) => r.jwtValid && r.appId === 'app-1')).toBe(true);
    expect(received[0]).toMatchObject({
      path: '/v1/messages',
      body: { message_type: 'text', channel: 'sms', to: '447700900001', text: 'hello' },
    });
    expect(received[1]?.body.ncco).toEqual([
      { action: 'talk', text: 'Press 1', bargeIn: true },
      {
        action: 'input',
        type: ['dtmf'],
        dtmf: { maxDigits: 1, timeOut: 10 },
        eventUrl: ['https://klaxon.example.com/api/providers/vonage/voice/input'],
      },
    ]);
  });
});

describe('HTTP SMS gateway', () => {
  it('fills the template with JSON-escaped values, so a text cannot break out of its string', () => {
    const body = gatewayBody('{"number":"{{to}}","message":"{{text}}"}', '+4915112345678', 'a "quoted"\nline');
    expect(JSON.parse(body)).toEqual({ number: '+4915112345678', message: 'a "quoted"\nline' });
  });

  it('takes replies only with the inbound token', () => {
    expect(verifyGatewayToken('t0ken-t0ken-t0ken', 'Bearer t0ken-t0ken-t0ken')).toBe(true);
    expect(verifyGatewayToken('t0ken-t0ken-t0ken', 'Bearer wrong')).toBe(false);
    expect(verifyGatewayToken(undefined, 'Bearer t0ken-t0ken-t0ken')).toBe(false);
  });
});
