import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import type { RateLimiter } from '../../lib/rate-limiter.js';
import { principalOf } from '../../plugins/auth.js';
import {
  createHeartbeatBody,
  heartbeatIdParams,
  heartbeatSchema,
  heartbeatsQuery,
  heartbeatWithTokenSchema,
  pingResponse,
  pingTokenParams,
  toHeartbeatDto,
  updateHeartbeatBody,
} from './heartbeats.schema.js';
import type { HeartbeatsService } from './heartbeats.service.js';

/** Pings per minute from one client address; a cron job pings once a minute at most, in practice. */
const PINGS_PER_MINUTE_PER_ADDRESS = 300;
export const PING_TOKEN_HEADER = 'x-heartbeat-token';

/**
 * Heartbeat monitors (team-scoped: members read, managers and platform admins write; the service
 * checks) and the public ping route, authenticated by its token alone and rate limited per address.
 */
export const heartbeatsRoutes: FastifyPluginAsyncZod<{ service: HeartbeatsService; rateLimiter: RateLimiter }> = async (
  app,
  { service, rateLimiter },
) => {
  const config = { access: 'user' as const };
  const tags = ['heartbeats'];
  const withToken = (created: Awaited<ReturnType<HeartbeatsService['create']>>) => ({
    ...toHeartbeatDto(created.heartbeat),
    token: created.token,
    pingUrl: created.pingPath,
    warning: created.warning,
  });

  app.get(
    '/api/heartbeats',
    {
      config,
      schema: {
        tags,
        summary: 'List heartbeats of your teams',
        querystring: heartbeatsQuery,
        response: { 200: z.object({ heartbeats: z.array(heartbeatSchema) }) },
      },
    },
    async (request) => ({
      heartbeats: (await service.list(principalOf(request), request.query.teamId)).map(toHeartbeatDto),
    }),
  );

  app.post(
    '/api/heartbeats',
    {
      config,
      schema: {
        tags,
        summary: 'Create a heartbeat; the answer carries its ping URL once',
        body: createHeartbeatBody,
        response: { 201: heartbeatWithTokenSchema },
      },
    },
    async (request, reply) => reply.code(201).send(withToken(await service.create(principalOf(request), request.body))),
  );

  app.get(
    '/api/heartbeats/:id',
    {
      config,
      schema: { tags, summary: 'Get one heartbeat', params: heartbeatIdParams, response: { 200: heartbeatSchema } },
    },
    async (request) => toHeartbeatDto(await service.get(principalOf(request), request.params.id)),
  );

  app.patch(
    '/api/heartbeats/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change a heartbeat',
        params: heartbeatIdParams,
        body: updateHeartbeatBody,
        response: { 200: heartbeatSchema },
      },
    },
    async (request) => toHeartbeatDto(await service.update(principalOf(request), request.params.id, request.body)),
  );

  app.post(
    '/api/heartbeats/:id/rotate-token',
    {
      config,
      schema: {
        tags,
        summary: 'Replace the ping token (the old one stops working at once)',
        params: heartbeatIdParams,
        response: { 200: heartbeatWithTokenSchema },
      },
    },
    async (request) => withToken(await service.rotateToken(principalOf(request), request.params.id)),
  );

  app.delete(
    '/api/heartbeats/:id',
    { config, schema: { tags, summary: 'Delete a heartbeat', params: heartbeatIdParams } },
    async (request, reply) => {
      await service.delete(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  const ping = async (ip: string, token: string | undefined) => {
    const decision = rateLimiter.take(`heartbeat-ping:${ip}`, PINGS_PER_MINUTE_PER_ADDRESS);
    if (!decision.allowed) {
      throw new AppError('rate-limited', 'Too many pings from this address; retry later', {
        headers: { 'Retry-After': String(decision.retryAfterSeconds) },
      });
    }
    if (token === undefined) throw new AppError('heartbeat-not-found', 'No heartbeat has this ping token');
    await service.pingByToken(token);
    return { status: 'up' as const };
  };
  const publicPing = { access: 'public' as const };
  const pingSchema = { tags, response: { 200: pingResponse }, security: [] };
  const headerToken = (value: unknown) => (typeof value === 'string' ? value : undefined);

  for (const method of ['GET', 'POST'] as const) {
    app.route({
      method,
      url: '/api/heartbeats/ping/:token',
      config: publicPing,
      schema: { ...pingSchema, summary: 'Ping a heartbeat (token in the path)', params: pingTokenParams },
      handler: async (request) => ping(request.ip, request.params.token),
    });
    app.route({
      method,
      url: '/api/heartbeats/ping',
      config: publicPing,
      schema: { ...pingSchema, summary: `Ping a heartbeat (token in the ${PING_TOKEN_HEADER} header)` },
      handler: async (request) => ping(request.ip, headerToken(request.headers[PING_TOKEN_HEADER])),
    });
  }
};
