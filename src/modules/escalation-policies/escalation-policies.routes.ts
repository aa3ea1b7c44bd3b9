import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createPolicyBody,
  policiesQuery,
  policyIdParams,
  policySchema,
  toPolicyDto,
  updatePolicyBody,
} from './escalation-policies.schema.js';
import type { EscalationPoliciesService } from './escalation-policies.service.js';

/** Any user reads the policies of their teams; team managers and platform admins write them (the service checks). */
export const escalationPoliciesRoutes: FastifyPluginAsyncZod<{ service: EscalationPoliciesService }> = async (
  app,
  { service },
) => {
  const config = { access: 'user' as const };
  const tags = ['escalation policies'];

  app.get(
    '/api/escalation-policies',
    {
      config,
      schema: {
        tags,
        summary: 'List escalation policies of your teams',
        querystring: policiesQuery,
        response: { 200: z.object({ policies: z.array(policySchema) }) },
      },
    },
    async (request) => ({
      policies: (await service.list(principalOf(request), request.query.teamId)).map(toPolicyDto),
    }),
  );

  app.post(
    '/api/escalation-policies',
    {
      config,
      schema: { tags, summary: 'Create an escalation policy', body: createPolicyBody, response: { 201: policySchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toPolicyDto(await service.create(principalOf(request), request.body))),
  );

  app.get(
    '/api/escalation-policies/:id',
    {
      config,
      schema: { tags, summary: 'Get one escalation policy', params: policyIdParams, response: { 200: policySchema } },
    },
    async (request) => toPolicyDto(await service.get(principalOf(request), request.params.id)),
  );

  app.patch(
    '/api/escalation-policies/:id',
    {
      config,
      schema: {
        tags,
        summary: 'Change an escalation policy (levels are replaced whole)',
        params: policyIdParams,
        body: updatePolicyBody,
        response: { 200: policySchema },
      },
    },
    async (request) => toPolicyDto(await service.update(principalOf(request), request.params.id, request.body)),
  );

  app.delete(
    '/api/escalation-policies/:id',
    { config, schema: { tags, summary: 'Delete an escalation policy', params: policyIdParams } },
    async (request, reply) => {
      await service.delete(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );
};
