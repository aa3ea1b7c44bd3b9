import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';

export const healthRoutes: FastifyPluginAsyncZod<{ ping: () => Promise<void>; metrics: Registry }> = async (
  app,
  { ping, metrics },
) => {
  app.get(
    '/healthz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'The process is up',
        response: { 200: z.object({ status: z.literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/readyz',
    {
      config: { access: 'public' },
      schema: {
        tags: ['operations'],
        summary: 'The database is reachable',
        response: { 200: z.object({ status: z.literal('ready'), database: z.literal('ok') }) },
      },
    },
    async () => {
      try {
        await ping();
      } catch {
        throw new AppError('service-unavailable', 'The database is not reachable', { headers: { 'Retry-After': '5' } });
      }
      return { status: 'ready' as const, database: 'ok' as const };
    },
  );

  app.get(
    '/metrics',
    { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Prometheus metrics', hide: true } },
    async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()),
  );
};
