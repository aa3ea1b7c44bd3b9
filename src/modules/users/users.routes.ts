import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import { createUserBody, toUserDto, userIdParams, userSchema } from './users.schema.js';
import type { UsersService } from './users.service.js';

export const usersRoutes: FastifyPluginAsyncZod<{ usersService: UsersService }> = async (app, { usersService }) => {
  app.post(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['users'],
        summary: 'Create a user',
        body: createUserBody,
        response: { 201: userSchema },
      },
    },
    async (request, reply) => {
      const user = await usersService.create(request.body, principalOf(request).userId);
      return reply.code(201).send(toUserDto(user));
    },
  );

  app.get(
    '/api/users',
    {
      config: { access: 'admin' },
      schema: { tags: ['users'], summary: 'List users', response: { 200: z.object({ users: z.array(userSchema) }) } },
    },
    async () => ({ users: (await usersService.list()).map(toUserDto) }),
  );

  for (const action of ['disable', 'enable'] as const) {
    app.post(
      `/api/users/:id/${action}`,
      {
        config: { access: 'admin' },
        schema: {
          tags: ['users'],
          summary:
            action === 'disable'
              ? 'Disable an account: its keys, sessions, feeds, links and live streams stop working at once'
              : 'Enable a disabled account again',
          params: userIdParams,
          response: { 200: userSchema },
        },
      },
      async (request) => toUserDto(await usersService[action](principalOf(request), request.params.id)),
    );
  }
};
