import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { serializeSessionCookie } from '../../lib/cookies.js';
import { AppError } from '../../lib/errors.js';
import { principalOf } from '../../plugins/auth.js';
import type { UsersService } from '../users/users.service.js';
import { loginBody, meSchema, sessionSchema, setPasswordBody } from './sessions.schema.js';
import { SESSION_COOKIE, type SessionsService } from './sessions.service.js';

/** Sets the session cookie for a session just opened and answers as GET /api/auth/me would. */
export function signedIn(
  request: FastifyRequest,
  reply: FastifyReply,
  sessionsService: Pick<SessionsService, 'policy'>,
  result: Awaited<ReturnType<SessionsService['openSession']>>,
) {
  reply.header(
    'set-cookie',
    serializeSessionCookie(SESSION_COOKIE, result.token, {
      maxAgeSeconds: sessionsService.policy.absoluteTimeoutMs / 1000,
      secure: request.protocol === 'https',
    }),
  );
  reply.header('cache-control', 'no-store');
  return {
    id: result.user.id,
    email: result.user.email,
    name: result.user.name,
    isPlatformAdmin: result.user.isPlatformAdmin,
    authMethod: 'session' as const,
    csrfToken: result.csrfToken,
    sessionExpiresAt: result.expiresAt.toISOString(),
  };
}

/** Console sign-in: POST /api/auth/login, POST /api/auth/logout, GET /api/auth/me; admin password reset. */
export const sessionsRoutes: FastifyPluginAsyncZod<{
  sessionsService: SessionsService;
  usersService: UsersService;
}> = async (app, { sessionsService, usersService }) => {
  const tags = ['auth'];

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with email and password; sets the HTTP-only session cookie',
        security: [],
        body: loginBody,
        response: { 200: meSchema },
      },
    },
    async (request, reply) => {
      const userAgent = request.headers['user-agent'];
      const result = await sessionsService.login({
        email: request.body.email,
        password: request.body.password,
        sourceIp: request.ip,
        userAgent: typeof userAgent === 'string' ? userAgent : undefined,
      });
      return signedIn(request, reply, sessionsService, result);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'End the console session and clear its cookie' },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (principal.sessionId !== undefined) await sessionsService.logout(principal.sessionId, principal.userId);
      reply.header(
        'set-cookie',
        serializeSessionCookie(SESSION_COOKIE, '', { maxAgeSeconds: 0, secure: request.protocol === 'https' }),
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/auth/me',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Who is signed in (session cookie or API key)', response: { 200: meSchema } },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      const user = await usersService.findById(principal.userId);
      if (user === undefined) throw new AppError('unauthorized');
      const session = request.session;
      reply.header('cache-control', 'no-store');
      return {
        id: user.id,
        email: user.email,
        name: user.name,
        isPlatformAdmin: user.isPlatformAdmin,
        authMethod: session === null ? ('api-key' as const) : ('session' as const),
        csrfToken: session?.csrfToken ?? null,
        sessionExpiresAt: session?.sessionExpiresAt.toISOString() ?? null,
      };
    },
  );

  app.put(
    '/api/users/:id/password',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: "Set a user's console password (invite or reset); ends the user's sessions",
        params: z.object({ id: z.uuid() }),
        body: setPasswordBody,
      },
    },
    async (request, reply) => {
      await sessionsService.setPassword(
        { userId: request.params.id },
        request.body.password,
        principalOf(request).userId,
      );
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/sessions',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Your console sessions that still work, newest first (`current`: the one of this request)',
        response: { 200: z.object({ sessions: z.array(sessionSchema) }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const sessions = await sessionsService.listOwn(principal);
      return {
        sessions: sessions.map((session) => ({
          id: session.id,
          createdAt: session.createdAt.toISOString(),
          lastSeenAt: session.lastSeenAt.toISOString(),
          userAgent: session.userAgent,
          ip: session.sourceIp,
          current: session.id === principal.sessionId,
        })),
      };
    },
  );

  app.delete(
    '/api/sessions/:id',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'End one of your sessions (another browser or device) at once',
        params: z.object({ id: z.uuid() }),
      },
    },
    async (request, reply) => {
      await sessionsService.revokeOwn(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/users/:id/sign-out-everywhere',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'End every session of a person and close their live-update streams (their API keys stay)',
        params: z.object({ id: z.uuid() }),
        response: { 200: z.object({ revokedSessions: z.number().int() }) },
      },
    },
    async (request) => sessionsService.signOutEverywhere(principalOf(request), request.params.id),
  );
};
