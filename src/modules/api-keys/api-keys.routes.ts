import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import { apiKeyIdParams, apiKeySchema, createApiKeyBody, createdApiKeySchema, toApiKeyDto } from './api-keys.schema.js';
import type { ApiKeysService } from './api-keys.service.js';

export const apiKeysRoutes: FastifyPluginAsyncZod<{ apiKeysService: ApiKeysService }> = async (
  app,
  { apiKeysService },
) => {
  app.post(
    '/api/api-keys',
    {
      config: { access: 'user' },
      schema: {
        tags: ['api-keys'],
        summary: 'Create an API key (the key is shown only in this response)',
        body: createApiKeyBody,
        response: { 201: createdApiKeySchema },
      },
    },
    async (request, reply) => {
      const created = await apiKeysService.create(principalOf(request), request.body);
      return reply.code(201).send({ ...toApiKeyDto(created), key: created.key });
    },
  );

  app.get(
    '/api/api-keys',
    {
      config: { access: 'user' },
      schema: {
        tags: ['api-keys'],
        summary: 'List API keys: your own, or all for a platform admin',
        response: { 200: z.object({ apiKeys: z.array(apiKeySchema) }) },
      },
    },
    async (request) => ({ apiKeys: (await apiKeysService.list(principalOf(request))).map(toApiKeyDto) }),
  );

  app.delete(
    '/api/api-keys/:id',
    {
      config: { access: 'user' },
      schema: { tags: ['api-keys'], summary: 'Revoke an API key at once', params: apiKeyIdParams },
    },
    async (request, reply) => {
      await apiKeysService.revoke(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
