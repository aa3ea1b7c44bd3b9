import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../../plugins/auth.js';
import { contactMethodSchema, toMethodDto } from '../notifications.routes.js';
import type { PushService } from './push.service.js';

const base64url = z.string().regex(/^[A-Za-z0-9_-]+={0,2}$/, 'must be base64url');
const endpoint = z
  .url({ protocol: /^https?$/, error: 'must be an http(s) URL' })
  .max(2000)
  .describe("The push service's endpoint of this browser's subscription");

/** Browser push for the signed-in person's own devices (the console's "Enable push on this device"). */
export const pushRoutes: FastifyPluginAsyncZod<{ service: PushService }> = async (app, { service }) => {
  const config = { access: 'user' as const };
  const tags = ['notifications'];

  app.get(
    '/api/push/vapid-public-key',
    {
      config,
      schema: {
        tags,
        summary: "The server's VAPID public key (base64url), the applicationServerKey browsers subscribe with",
        response: { 200: z.object({ publicKey: z.string() }) },
      },
    },
    async () => ({ publicKey: await service.publicKey() }),
  );

  app.post(
    '/api/push/subscriptions',
    {
      config,
      schema: {
        tags,
        summary: "Subscribe this browser (PushSubscription.toJSON()): a webpush contact method of the caller's own",
        body: z.strictObject({
          endpoint,
          expirationTime: z
            .number()
            .nullable()
            .optional()
            .describe('Ignored: the push service answers 410 when it ends'),
          keys: z.strictObject({ p256dh: base64url.max(200), auth: base64url.max(100) }),
          label: z.string().max(100).nullable().optional().describe('A name for the device'),
        }),
        response: { 201: contactMethodSchema },
      },
    },
    async (request, reply) => {
      const method = await service.subscribe(principalOf(request), request.body);
      return reply.code(201).send(toMethodDto(method));
    },
  );

  app.delete(
    '/api/push/subscriptions',
    {
      config,
      schema: {
        tags,
        summary: "Unsubscribe this browser (one of the caller's own subscriptions, by endpoint)",
        body: z.strictObject({ endpoint }),
      },
    },
    async (request, reply) => {
      await service.unsubscribe(principalOf(request), request.body.endpoint);
      return reply.code(204).send();
    },
  );
};
