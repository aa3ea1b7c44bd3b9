import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { integrationIdParams } from './integrations.schema.js';
import type { IntegrationsService } from './integrations.service.js';
import { sampleTestPayload, signTestRequest } from './test-alert.js';

const testAlertResult = z.object({
  /** What the webhook endpoint answered: 202 when the sample was accepted. */
  httpStatus: z.number().int(),
  deliveryId: z.string().nullable(),
  response: z.unknown(),
});

/**
 * POST /api/integrations/:id/test-alert: signs a sample payload with the integration's current
 * secret on the server and sends it through the real webhook route (in-process), so the console
 * can prove the whole path works without the secret ever reaching the browser.
 */
export const testAlertRoutes: FastifyPluginAsyncZod<{
  integrationsService: Pick<IntegrationsService, 'getById' | 'resolveByName'>;
  now?: () => Date;
}> = async (app, { integrationsService, now = () => new Date() }) => {
  app.post(
    '/api/integrations/:id/test-alert',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Send a signed sample alert through the webhook path of this integration',
        params: integrationIdParams,
        response: { 200: testAlertResult },
      },
    },
    async (request) => {
      const integration = await integrationsService.getById(request.params.id);
      const resolved = await integrationsService.resolveByName(integration.name);
      const secret = resolved?.secrets[0];
      if (resolved === undefined || secret === undefined) {
        throw new AppError('integration-not-found', `No integration with id ${request.params.id}`);
      }
      const at = now();
      const body = Buffer.from(JSON.stringify(sampleTestPayload(integration.type, at)), 'utf8');
      const response = await app.inject({
        method: 'POST',
        url: `/webhooks/alerts/${encodeURIComponent(integration.name)}`,
        payload: body,
        headers: {
          'content-type': 'application/json',
          'user-agent': 'klaxon-console-test-alert',
          ...signTestRequest(resolved.integration, secret, body, at),
        },
      });
      let parsed: unknown = null;
      try {
        parsed = response.json();
      } catch {
        parsed = response.body;
      }
      const deliveryId =
        typeof parsed === 'object' && parsed !== null && 'deliveryId' in parsed ? String(parsed.deliveryId) : null;
      return { httpStatus: response.statusCode, deliveryId, response: parsed };
    },
  );
};
