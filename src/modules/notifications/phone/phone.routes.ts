import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../../lib/errors.js';
import { principalOf } from '../../../plugins/auth.js';
import { contactMethodSchema, toMethodDto } from '../notifications.routes.js';
import type { PhoneCallbacksService } from './phone-callbacks.service.js';
import type { PhoneConfig } from './phone-config.js';
import type { PhoneVerificationService } from './phone-verification.service.js';
import { gatewayEvent, SMS_GATEWAY_PATHS, verifyGatewayToken } from './providers/sms-gateway.js';
import { TWILIO_PATHS, twilioEvent, twimlMessage, twimlSay, verifyTwilioSignature } from './providers/twilio.js';
import { nccoTalk, VONAGE_PATHS, verifyVonageWebhook, vonageEvent } from './providers/vonage.js';

const idParams = z.object({ id: z.uuid() });

/** Verifying a phone contact method: POST the code received, or ask for a new one. */
export const phoneVerificationRoutes: FastifyPluginAsyncZod<{ service: PhoneVerificationService }> = async (
  app,
  { service },
) => {
  const config = { access: 'user' as const };
  const tags = ['notifications'];
  app.post(
    '/api/contact-methods/:id/verify',
    {
      config,
      schema: {
        tags,
        summary: 'Verify a phone contact method with the code it received',
        params: idParams,
        body: z.strictObject({ code: z.string().regex(/^\d{6}$/, 'must be the 6-digit code') }),
        response: { 200: contactMethodSchema },
      },
    },
    async (request) => toMethodDto(await service.verify(principalOf(request), request.params.id, request.body.code)),
  );
  app.post(
    '/api/contact-methods/:id/verify/resend',
    {
      config,
      schema: {
        tags,
        summary: 'Send a new verification code (at most every 30 s)',
        params: idParams,
        response: { 202: z.object({ expiresInMinutes: z.number().int() }) },
      },
    },
    async (request, reply) => reply.code(202).send(await service.resend(principalOf(request), request.params.id)),
  );
};

const providerBody = z
  .unknown()
  .describe('As the provider sends it: form-encoded (Twilio) or JSON (Vonage, SMS gateway); verified by signature');

/**
 * Public callbacks of the SMS and voice providers. Every request is verified against the
 * provider's signature before anything is read from it; a missing or bad one is 403 and changes
 * nothing. Bodies are kept raw for the signatures.
 */
export const phoneProviderRoutes: FastifyPluginAsyncZod<{
  service: PhoneCallbacksService;
  config: PhoneConfig;
  publicUrl: string;
  now: () => Date;
}> = async (app, { service, config, publicUrl, now }) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  const route = { config: { access: 'public' as const } };
  const tags = ['providers'];
  const refused = () => new AppError('invalid-provider-signature');
  const raw = (body: unknown) => (Buffer.isBuffer(body) ? body : Buffer.alloc(0));

  for (const path of Object.values(TWILIO_PATHS)) {
    app.post(
      path,
      {
        ...route,
        schema: {
          tags,
          summary: `Twilio callback (${path.split('/').slice(-2).join(' ')})`,
          security: [],
          body: providerBody,
        },
      },
      async (request, reply) => {
        const twilio = config.twilio;
        if (twilio === undefined) throw new AppError('not-found', 'Twilio is not configured');
        const params = Object.fromEntries(new URLSearchParams(raw(request.body).toString('utf8')));
        const signature = request.headers['x-twilio-signature'];
        if (
          !verifyTwilioSignature(
            twilio.authToken,
            publicUrl + request.url,
            params,
            typeof signature === 'string' ? signature : undefined,
          )
        ) {
          throw refused();
        }
        const event = twilioEvent(path, params);
        const answer = event === undefined ? null : await service.handle('twilio', event);
        reply.type('text/xml');
        if (path === TWILIO_PATHS.voiceGather) return twimlSay(answer ?? 'Goodbye.');
        if (path === TWILIO_PATHS.smsInbound && answer !== null) return twimlMessage(answer);
        return '<?xml version="1.0" encoding="UTF-8"?><Response/>';
      },
    );
  }

  for (const path of Object.values(VONAGE_PATHS)) {
    app.post(
      path,
      {
        ...route,
        schema: {
          tags,
          summary: `Vonage callback (${path.split('/').slice(-2).join(' ')})`,
          security: [],
          body: providerBody,
        },
      },
      async (request, reply) => {
        const vonage = config.vonage;
        if (vonage === undefined) throw new AppError('not-found', 'Vonage is not configured');
        const body = raw(request.body);
        if (!verifyVonageWebhook(vonage.signatureSecret, request.headers.authorization, body, now())) throw refused();
        let parsed: unknown;
        try {
          parsed = JSON.parse(body.toString('utf8'));
        } catch {
          throw new AppError('malformed-json');
        }
        if (typeof parsed !== 'object' || parsed === null) throw new AppError('bad-request', 'Expected a JSON object');
        const event = vonageEvent(path, parsed as Record<string, unknown>);
        const answer = event === undefined ? null : await service.handle('vonage', event);
        if (path === VONAGE_PATHS.voiceInput) return reply.send(nccoTalk(answer ?? 'Goodbye.'));
        return reply.code(200).send({ answer });
      },
    );
  }

  app.post(
    SMS_GATEWAY_PATHS.inbound,
    {
      ...route,
      schema: {
        tags,
        summary: 'SMS gateway: a reply, as {"id", "from", "text"} with Authorization: Bearer <inbound token>',
        security: [],
        body: providerBody,
      },
    },
    async (request) => {
      const gateway = config.smsGateway;
      if (gateway === undefined) throw new AppError('not-found', 'No SMS gateway is configured');
      if (!verifyGatewayToken(gateway.inboundToken, request.headers.authorization)) throw refused();
      let parsed: unknown;
      try {
        parsed = JSON.parse(raw(request.body).toString('utf8'));
      } catch {
        throw new AppError('malformed-json');
      }
      const event =
        typeof parsed === 'object' && parsed !== null ? gatewayEvent(parsed as Record<string, unknown>) : undefined;
      if (event === undefined) throw new AppError('bad-request', 'Expected {"id", "from", "text"}');
      return { answer: await service.handle('sms-gateway', event) };
    },
  );
};
