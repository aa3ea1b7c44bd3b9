import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { handleError, toAppError } from '../../plugins/error-handler.js';
import { type EventsV2Service, invalidEvent } from './events-v2.service.js';

/** PagerDuty's documented limit for one event. */
const EVENTS_V2_BODY_LIMIT = 512 * 1024;

const answerSchema = z.object({ status: z.string(), message: z.string(), dedup_key: z.string().optional() });
const invalidSchema = z.object({ status: z.string(), message: z.string(), errors: z.array(z.string()) });

/**
 * POST /v2/enqueue: PagerDuty Events API v2, so senders with a PagerDuty integration
 * (Alertmanager `pagerduty_configs`, Grafana's PagerDuty contact point) work by changing only
 * the URL. Answers in PagerDuty's shapes, not problem+json, because those clients read them.
 */
export const eventsV2Routes: FastifyPluginAsyncZod<{ eventsV2Service: EventsV2Service }> = async (
  app,
  { eventsV2Service },
) => {
  app.post(
    '/v2/enqueue',
    {
      config: { access: 'public' },
      bodyLimit: EVENTS_V2_BODY_LIMIT,
      schema: {
        tags: ['webhooks'],
        summary: 'PagerDuty Events API v2: trigger, acknowledge or resolve (routing_key = an integration secret)',
        security: [],
        response: { 202: answerSchema, 400: invalidSchema, 429: answerSchema },
      },
      errorHandler: (error, request, reply) => {
        const appError = toAppError(error);
        if (appError.code === 'malformed-json' || appError.code === 'validation-failed') {
          const answer = invalidEvent([appError.detail ?? appError.message], 'Event object is invalid');
          return reply.code(400).send(answer.body);
        }
        return handleError(error, request, reply);
      },
    },
    async (request, reply) => {
      const answer = await eventsV2Service.enqueue({
        body: request.body,
        sizeBytes: Number(request.headers['content-length'] ?? 0),
        headers: request.headers,
        sourceIp: request.ip,
        startedAt: performance.now(),
      });
      if (answer.status === 202) return reply.code(202).send(answer.body);
      if (answer.status === 400) return reply.code(400).send(answer.body);
      return reply.code(429).header('Retry-After', String(answer.retryAfterSeconds)).send(answer.body);
    },
  );
};
