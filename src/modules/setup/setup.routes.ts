import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { signedIn } from '../sessions/sessions.routes.js';
import { meSchema } from '../sessions/sessions.schema.js';
import type { SessionsService } from '../sessions/sessions.service.js';
import { createFirstAdminBody, setupStatusSchema } from './setup.schema.js';
import type { SetupService } from './setup.service.js';

/** First run: whether setup is needed, and creating the first admin with the printed setup link. */
export const setupRoutes: FastifyPluginAsyncZod<{
  setupService: SetupService;
  sessionsService: Pick<SessionsService, 'policy'>;
}> = async (app, { setupService, sessionsService }) => {
  const tags = ['auth'];

  app.get(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Whether Klaxon still needs its first admin (no user exists yet)',
        security: [],
        response: { 200: setupStatusSchema },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'no-store');
      return setupService.status();
    },
  );

  app.post(
    '/api/setup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          'Create the first platform admin with the one-time setup link printed at start-up, and sign in (only while no user exists)',
        security: [],
        body: createFirstAdminBody,
        response: { 201: meSchema },
      },
    },
    async (request, reply) => {
      const userAgent = request.headers['user-agent'];
      const result = await setupService.createFirstAdmin({
        ...request.body,
        sourceIp: request.ip,
        userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      });
      const me = signedIn(request, reply, sessionsService, result);
      return reply.code(201).send(me);
    },
  );
};
