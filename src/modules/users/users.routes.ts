import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import { createUserBody, toUserDto, userSchema } from './users.schema.js';
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
};
