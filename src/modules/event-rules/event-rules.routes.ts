import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createEventRuleBody,
  dryRunBody,
  dryRunResponse,
  eventRuleIdParams,
  eventRuleSchema,
  eventRulesQuery,
  toEventRuleDto,
  updateEventRuleBody,
} from './event-rules.schema.js';
import type { EventRulesService } from './event-rules.service.js';

/** Event rules: platform admins only (they change what every team receives). */
export const eventRulesRoutes: FastifyPluginAsyncZod<{ service: EventRulesService }> = async (app, { service }) => {
  const config = { access: 'admin' as const };
  const tags = ['event rules'];

  app.get(
    '/api/event-rules',
    {
      config,
      schema: {
        tags,
        summary: 'List event rules in the order they apply',
        querystring: eventRulesQuery,
        response: { 200: z.object({ rules: z.array(eventRuleSchema) }) },
      },
    },
    async (request) => ({ rules: (await service.list(request.query.integrationId)).map(toEventRuleDto) }),
  );

  app.post(
    '/api/event-rules',
    {
      config,
      schema: { tags, summary: 'Create an event rule', body: createEventRuleBody, response: { 201: eventRuleSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toEventRuleDto(await service.create(principalOf(request), request.body))),
  );

  app.post(
    '/api/event-rules/dry-run',
    {
      config,
      schema: {
        tags,
        summary: "Show each active rule's effect on a sample payload (stores nothing)",
        body: dryRunBody,
        response: { 200: dryRunResponse },
      },
    },
    async (request) => ({ alerts: await service.dryRun(request.body.integrationId, request.body.payload) }),
  );

  app.get(
    '/api/event-rules/:id',
    {
      config,
      schema: { tags, summary: 'Get one event rule', params: eventRuleIdParams, response: { 200: eventRuleSchema } },
    },
    async (request) => toEventRuleDto(await service.get(request.params.id)),
  );

  app.patch(
    '/api/event-rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an event rule',
        params: eventRuleIdParams,
        body: updateEventRuleBody,
        response: { 200: eventRuleSchema },
      },
    },
    async (request) => toEventRuleDto(await service.update(principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/event-rules/:id',
    { config, schema: { tags, summary: 'Delete an event rule', params: eventRuleIdParams } },
    async (request, reply) => {
      await service.delete(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
