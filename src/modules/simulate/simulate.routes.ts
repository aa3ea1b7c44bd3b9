import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { simulateBody, simulateResponse } from './simulate.schema.js';
import type { SimulateService } from './simulate.service.js';

const iso = <T extends { at: Date }>(item: T) => ({ ...item, at: item.at.toISOString() });

/** The simulator reveals routing, suppression and who is on call: platform admins, like the routing dry-run. */
export const simulateRoutes: FastifyPluginAsyncZod<{ simulateService: SimulateService }> = async (
  app,
  { simulateService },
) => {
  app.post(
    '/api/simulate',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['alerts'],
        summary: 'Predict what a payload would do (routing, suppression, incidents, who is paged), storing nothing',
        body: simulateBody,
        response: { 200: simulateResponse },
      },
    },
    async (request) => {
      const { at, integration, alerts } = await simulateService.simulate(request.body);
      return {
        at: at.toISOString(),
        integration: { id: integration.id, name: integration.name },
        alerts: alerts.map((alert) => ({ ...alert, entries: alert.entries.map(iso), levels: alert.levels.map(iso) })),
      };
    },
  );
};
