import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IntegrationRow } from '../../db/schema/index.js';
import { principalOf } from '../../plugins/auth.js';
import { toStandardWebhooksSecret } from './integration-secret.js';
import {
  createIntegrationBody,
  integrationIdParams,
  integrationWithCountsSchema,
  integrationWithSecretSchema,
  rotateSecretBody,
  toIntegrationDto,
  updateIntegrationBody,
} from './integrations.schema.js';
import type { IntegrationsService } from './integrations.service.js';

const SECRET_WARNING = 'Save the webhookSecret now: it is shown only this once and cannot be retrieved again.';

export const integrationsRoutes: FastifyPluginAsyncZod<{
  integrationsService: IntegrationsService;
  defaultRateLimitPerMinute: number;
}> = async (app, { integrationsService, defaultRateLimitPerMinute }) => {
  const toDto = (row: IntegrationRow) => toIntegrationDto(row, defaultRateLimitPerMinute);
  const withCounts = (row: IntegrationRow & { alertCount: number; webhookCount: number }) => ({
    ...toDto(row),
    alertCount: row.alertCount,
    webhookCount: row.webhookCount,
  });
  /** The one place a secret is put into a response: create and rotate. */
  const withSecret = (row: IntegrationRow, webhookSecret: string, counts = { alertCount: 0, webhookCount: 0 }) => ({
    ...toDto(row),
    ...counts,
    webhookSecret,
    ...(row.signatureScheme === 'standard-webhooks'
      ? { standardWebhooksSecret: toStandardWebhooksSecret(webhookSecret) }
      : {}),
    webhook_url: `/webhooks/alerts/${row.name}`,
    warning: SECRET_WARNING,
  });
  const admin = { access: 'admin' as const };
  const tags = ['integrations'];

  app.post(
    '/api/integrations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Create an integration (its webhookSecret is shown only in this response)',
        body: createIntegrationBody,
        response: { 201: integrationWithSecretSchema },
      },
    },
    async (request, reply) => {
      const { integration, webhookSecret } = await integrationsService.create(
        request.body,
        principalOf(request).userId,
      );
      return reply.code(201).send(withSecret(integration, webhookSecret));
    },
  );

  app.get(
    '/api/integrations',
    {
      config: admin,
      schema: {
        tags,
        summary: 'List integrations, newest first',
        response: { 200: z.object({ integrations: z.array(integrationWithCountsSchema) }) },
      },
    },
    async () => ({ integrations: (await integrationsService.list()).map(withCounts) }),
  );

  app.get(
    '/api/integrations/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Get one integration',
        params: integrationIdParams,
        response: { 200: integrationWithCountsSchema },
      },
    },
    async (request) => withCounts(await integrationsService.getById(request.params.id)),
  );

  app.patch(
    '/api/integrations/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Update name, signature settings, dedup window, rate limit or isActive',
        params: integrationIdParams,
        body: updateIntegrationBody,
        response: { 200: integrationWithCountsSchema },
      },
    },
    async (request) => {
      const actorId = principalOf(request).userId;
      await integrationsService.update(request.params.id, request.body, actorId);
      return withCounts(await integrationsService.getById(request.params.id));
    },
  );

  app.post(
    '/api/integrations/:id/rotate-secret',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Issue a new webhookSecret; the previous one keeps verifying during the grace period',
        params: integrationIdParams,
        body: rotateSecretBody,
        response: { 200: integrationWithSecretSchema },
      },
    },
    async (request) => {
      const { integration, webhookSecret } = await integrationsService.rotateSecret(
        request.params.id,
        request.body.gracePeriodMinutes,
        principalOf(request).userId,
      );
      const { alertCount, webhookCount } = await integrationsService.getById(integration.id);
      return withSecret(integration, webhookSecret, { alertCount, webhookCount });
    },
  );

  app.delete(
    '/api/integrations/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Delete an integration; its alerts and deliveries stay readable',
        params: integrationIdParams,
      },
    },
    async (request, reply) => {
      await integrationsService.delete(request.params.id, principalOf(request).userId);
      return reply.code(204).send();
    },
  );
};
