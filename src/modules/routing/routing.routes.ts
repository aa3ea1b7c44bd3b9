import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import { alertIdParams, alertSchema, toAlertDto } from '../alerts/alerts.schema.js';
import type { RoutingService } from './routing.service.js';
import {
  createRuleBody,
  listRulesQuery,
  reorderRulesBody,
  routeExplanationSchema,
  ruleIdParams,
  ruleSchema,
  rulesListSchema,
  testRoutingBody,
  testRoutingResponse,
  toRuleDto,
  updateRuleBody,
} from './routing-rules.schema.js';

/** Routing is configured by platform admins only. */
export const routingRoutes: FastifyPluginAsyncZod<{ routingService: RoutingService }> = async (
  app,
  { routingService },
) => {
  const config = { access: 'admin' as const };
  const tags = ['routing'];

  app.get(
    '/api/routing-rules',
    {
      config,
      schema: {
        tags,
        summary: 'List routing rules in evaluation order',
        querystring: listRulesQuery,
        response: { 200: rulesListSchema },
      },
    },
    async (request) => ({ rules: (await routingService.list(request.query.integrationId)).map(toRuleDto) }),
  );

  app.post(
    '/api/routing-rules',
    {
      config,
      schema: { tags, summary: 'Create a routing rule', body: createRuleBody, response: { 201: ruleSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toRuleDto(await routingService.create(request.body, principalOf(request)))),
  );

  app.post(
    '/api/routing-rules/reorder',
    {
      config,
      schema: {
        tags,
        summary: 'Set the order of all routing rules at once',
        body: reorderRulesBody,
        response: { 200: rulesListSchema },
      },
    },
    async (request) => ({
      rules: (await routingService.reorder(request.body.ruleIds, principalOf(request))).map(toRuleDto),
    }),
  );

  app.post(
    '/api/routing-rules/test',
    {
      config,
      schema: {
        tags,
        summary: 'Dry-run: which rules match a sample alert or raw payload, and which teams it reaches',
        body: testRoutingBody,
        response: { 200: testRoutingResponse },
      },
    },
    async (request) => routingService.test(request.body),
  );

  app.get(
    '/api/routing-rules/:id',
    {
      config,
      schema: { tags, summary: 'Get one routing rule', params: ruleIdParams, response: { 200: ruleSchema } },
    },
    async (request) => toRuleDto(await routingService.get(request.params.id)),
  );

  app.patch(
    '/api/routing-rules/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Update a routing rule (position moves it)',
        params: ruleIdParams,
        body: updateRuleBody,
        response: { 200: ruleSchema },
      },
    },
    async (request) => toRuleDto(await routingService.update(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/routing-rules/:id',
    {
      config,
      schema: { tags, summary: 'Delete a routing rule', params: ruleIdParams },
    },
    async (request, reply) => {
      await routingService.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/alerts/:id/reroute',
    {
      config,
      schema: {
        tags: ['alerts', ...tags],
        summary: 'Route one open alert again under the current rules',
        params: alertIdParams,
        response: { 200: alertSchema.extend({ routing: routeExplanationSchema }) },
      },
    },
    async (request) => {
      const { alert, routing } = await routingService.reroute(request.params.id, principalOf(request));
      return { ...toAlertDto(alert), routing };
    },
  );
};
