import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleError, toAppError } from '../../plugins/error-handler.js';
import type { WebhookReceiver } from './webhook-receiver.service.js';

const STARTED_AT = Symbol('webhookStartedAt');
const HANDLER_RAN = Symbol('webhookHandlerRan');
type Timed = { [STARTED_AT]?: number; [HANDLER_RAN]?: boolean };

const acceptedSchema = z.object({
  deliveryId: z.uuid(),
  alerts: z.array(
    z.object({
      id: z.uuid().nullable(),
      dedupKey: z.string(),
      action: z.enum(['created', 'deduplicated', 'resolved', 'ignored']),
    }),
  ),
});

const duplicateSchema = z.object({
  deliveryId: z.uuid(),
  duplicateOf: z.uuid(),
  alerts: z.array(z.never()),
});

/**
 * POST /webhooks/alerts/:name. The body is taken as raw bytes whatever its content type, so
 * the signature is checked over exactly what arrived, before anything is parsed.
 */
export const webhooksRoutes: FastifyPluginAsyncZod<{ receiver: WebhookReceiver; bodyLimitBytes: number }> = async (
  app,
  { receiver, bodyLimitBytes },
) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: bodyLimitBytes }, (_request, body, done) =>
    done(null, body),
  );
  app.addHook('onRequest', async (request) => {
    (request as Timed)[STARTED_AT] = performance.now();
  });

  app.post(
    '/webhooks/alerts/:name',
    {
      config: { access: 'public' },
      bodyLimit: bodyLimitBytes,
      // The response schemas document the route (OpenAPI); what is sent is built just below from
      // the ingest's own results, so re-validating it with Zod on every 202 only cost CPU (~5 µs
      // of the app-wide Zod serializer against ~1 µs for JSON.stringify).
      serializerCompiler: () => (data) => JSON.stringify(data),
      schema: {
        tags: ['webhooks'],
        summary: 'Receive alerts from a monitoring tool (authenticated by the integration signature)',
        security: [],
        params: z.object({ name: z.string().max(200) }),
        response: { 200: duplicateSchema, 202: acceptedSchema },
      },
      // Errors raised before the handler (body too large, aborted uploads) still leave a
      // rejected delivery when the URL names an integration.
      errorHandler: async (error, request, reply) => {
        const appError = toAppError(error);
        // The handler records its own rejections; only errors raised before it are left here.
        if ((request as Timed)[HANDLER_RAN] !== true && appError.status < 500) {
          const name = (request.params as { name?: string }).name ?? '';
          await receiver
            .recordEarlyRejection(
              {
                name,
                headers: request.headers,
                sourceIp: request.ip,
                startedAt: (request as Timed)[STARTED_AT] ?? performance.now(),
              },
              appError,
            )
            .catch((recordError: unknown) => request.log.warn({ err: recordError }, 'could not record delivery'));
        }
        return handleError(appError.status >= 500 ? error : appError, request, reply);
      },
    },
    async (request, reply) => {
      (request as Timed)[HANDLER_RAN] = true;
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const outcome = await receiver.receive({
        name: request.params.name,
        headers: request.headers,
        rawBody,
        sourceIp: request.ip,
        startedAt: (request as Timed)[STARTED_AT] ?? performance.now(),
      });
      if (outcome.kind === 'duplicate') {
        return reply
          .code(200)
          .send({ deliveryId: outcome.deliveryId, duplicateOf: outcome.originalDeliveryId, alerts: [] });
      }
      return reply.code(202).send({ deliveryId: outcome.deliveryId, alerts: outcome.alerts });
    },
  );
};
