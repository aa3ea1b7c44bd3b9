import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { integrationIdParams } from '../integrations/integrations.schema.js';
import { deliveriesPageSchema, deliveriesQuery, toDeliveryDto } from './deliveries.schema.js';
import type { DeliveriesService } from './deliveries.service.js';

export const deliveriesRoutes: FastifyPluginAsyncZod<{ deliveriesService: DeliveriesService }> = async (
  app,
  { deliveriesService },
) => {
  app.get(
    '/api/integrations/:id/deliveries',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['integrations'],
        summary: 'Webhook deliveries of an integration, newest first (accepted and rejected, with reasons)',
        params: integrationIdParams,
        querystring: deliveriesQuery,
        response: { 200: deliveriesPageSchema },
      },
    },
    async (request) => {
      const page = await deliveriesService.listForIntegration(request.params.id, request.query);
      return { deliveries: page.deliveries.map(toDeliveryDto), nextCursor: page.nextCursor };
    },
  );
};
