import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import type { UrgencySettings } from './support-hours.js';
import { urgencySettingsBody, urgencySettingsSchema } from './urgency.schema.js';
import type { UrgencyService } from './urgency.service.js';

const teamParams = z.object({ teamId: z.uuid() });

export const urgencyRoutes: FastifyPluginAsyncZod<{ service: UrgencyService }> = async (app, { service }) => {
  const config = { access: 'user' as const };
  const tags = ['teams'];
  const dto = (teamId: string, settings: UrgencySettings) => ({
    teamId,
    highUrgencySeverities: [...settings.highUrgencySeverities],
    timeZone: settings.timeZone,
    windows: [...settings.windows],
    outsideHours: settings.outsideHours,
  });

  app.get(
    '/api/teams/:teamId/urgency',
    {
      config,
      schema: {
        tags,
        summary: "The team's urgency map and support hours (defaults when never saved)",
        params: teamParams,
        response: { 200: urgencySettingsSchema },
      },
    },
    async (request) => dto(request.params.teamId, await service.get(principalOf(request), request.params.teamId)),
  );

  app.put(
    '/api/teams/:teamId/urgency',
    {
      config,
      schema: {
        tags,
        summary: 'Set which severities are high urgency, the support hours, and what happens outside them',
        params: teamParams,
        body: urgencySettingsBody,
        response: { 200: urgencySettingsSchema },
      },
    },
    async (request) =>
      dto(request.params.teamId, await service.set(principalOf(request), request.params.teamId, request.body)),
  );
};
