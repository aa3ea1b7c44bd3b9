import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createInhibitionRuleBody,
  inhibitionRuleIdParams,
  inhibitionRuleSchema,
  inhibitionRulesListSchema,
  toInhibitionRuleDto,
  updateInhibitionRuleBody,
} from './inhibition.schema.js';
import type { InhibitionService } from './inhibition.service.js';

/** Inhibition rules are platform-wide, like routing rules: platform admins only. */
export const inhibitionRoutes: FastifyPluginAsyncZod<{ inhibitionService: InhibitionService }> = async (
  app,
  { inhibitionService },
) => {
  const config = { access: 'admin' as const };
  const tags = ['inhibition'];

  app.get(
    '/api/inhibition-rules',
    { config, schema: { tags, summary: 'List inhibition rules', response: { 200: inhibitionRulesListSchema } } },
    async () => ({ rules: (await inhibitionService.list()).map(toInhibitionRuleDto) }),
  );

  app.post(
    '/api/inhibition-rules',
    {
      config,
      schema: {
        tags,
        summary: 'Create an inhibition rule',
        body: createInhibitionRuleBody,
        response: { 201: inhibitionRuleSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(toInhibitionRuleDto(await inhibitionService.create(request.body, principalOf(request)))),
  );

  app.get(
    '/api/inhibition-rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Get an inhibition rule',
        params: inhibitionRuleIdParams,
        response: { 200: inhibitionRuleSchema },
      },
    },
    async (request) => toInhibitionRuleDto(await inhibitionService.get(request.params.id)),
  );

  app.patch(
    '/api/inhibition-rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an inhibition rule',
        params: inhibitionRuleIdParams,
        body: updateInhibitionRuleBody,
        response: { 200: inhibitionRuleSchema },
      },
    },
    async (request) =>
      toInhibitionRuleDto(await inhibitionService.update(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/inhibition-rules/:id',
    { config, schema: { tags, summary: 'Delete an inhibition rule', params: inhibitionRuleIdParams } },
    async (request, reply) => {
      await inhibitionService.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );
};
