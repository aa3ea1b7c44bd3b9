import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createdPasswordLinkSchema,
  createPasswordLinkBody,
  passwordLinkSchema,
  passwordLinkTokenParams,
  usePasswordLinkBody,
} from './password-links.schema.js';
import type { PasswordLinksService } from './password-links.service.js';

/** Invite and reset links: an admin creates one; its holder reads whose it is and sets the password. */
export const passwordLinksRoutes: FastifyPluginAsyncZod<{ passwordLinksService: PasswordLinksService }> = async (
  app,
  { passwordLinksService },
) => {
  app.post(
    '/api/users/:id/password-link',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary:
          'Create a one-time link with which the user sets their own password (optionally emailed); replaces earlier links',
        params: z.object({ id: z.uuid() }),
        body: createPasswordLinkBody,
        response: { 201: createdPasswordLinkSchema },
      },
    },
    async (request, reply) => {
      const link = await passwordLinksService.create(request.params.id, principalOf(request).userId, {
        email: request.body.email,
      });
      reply.header('cache-control', 'no-store');
      return reply.code(201).send({ ...link, expiresAt: link.expiresAt.toISOString() });
    },
  );

  app.get(
    '/api/auth/password-links/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Whose account a password link is for (404 unknown, 410 used or expired)',
        security: [],
        params: passwordLinkTokenParams,
        response: { 200: passwordLinkSchema },
      },
    },
    async (request, reply) => {
      const link = await passwordLinksService.describe(request.params.token, request.ip);
      reply.header('cache-control', 'no-store');
      return { email: link.email, purpose: link.purpose, expiresAt: link.expiresAt.toISOString() };
    },
  );

  app.post(
    '/api/auth/password-links/:token',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: "Set the password with a link; the link is used up and the user's sessions end",
        security: [],
        params: passwordLinkTokenParams,
        body: usePasswordLinkBody,
      },
    },
    async (request, reply) => {
      await passwordLinksService.setPassword(request.params.token, request.body.password, request.ip);
      return reply.code(204).send();
    },
  );
};
