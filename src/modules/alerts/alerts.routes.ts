import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import {
  alertIdParams,
  alertSchema,
  alertsPageSchema,
  alertsQuery,
  alertWithHistorySchema,
  toAlertDto,
  toAlertPayloadDto,
  toOccurrenceDto,
} from './alerts.schema.js';
import type { AlertsService } from './alerts.service.js';

export const alertsRoutes: FastifyPluginAsyncZod<{ alertsService: AlertsService }> = async (app, { alertsService }) => {
  // Any user; the service scopes non-admins to the alerts routed to their teams (others: 404).
  const config = { access: 'user' as const };
  const tags = ['alerts'];

  app.get(
    '/api/alerts',
    {
      config,
      schema: {
        tags,
        summary: 'List alerts, newest first (non-admins: alerts of their teams)',
        querystring: alertsQuery,
        response: { 200: alertsPageSchema },
      },
    },
    async (request) => {
      const page = await alertsService.list(principalOf(request), request.query);
      return { alerts: page.alerts.map(toAlertDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/alerts/:id',
    {
      config,
      schema: {
        tags,
        summary:
          'One alert with its occurrence history (newest first), its incidents, team names and latest stored payload',
        params: alertIdParams,
        response: { 200: alertWithHistorySchema },
      },
    },
    async (request) => {
      const { alert, occurrences, incidents, teams, payload } = await alertsService.get(
        principalOf(request),
        request.params.id,
      );
      return {
        ...toAlertDto(alert),
        occurrences: occurrences.map(toOccurrenceDto),
        incidents,
        teams,
        payload: payload === null ? null : toAlertPayloadDto(payload),
      };
    },
  );

  app.post(
    '/api/alerts/:id/acknowledge',
    {
      config,
      schema: { tags, summary: 'Acknowledge an alert', params: alertIdParams, response: { 200: alertSchema } },
    },
    async (request) => toAlertDto(await alertsService.acknowledge(principalOf(request), request.params.id)),
  );

  app.post(
    '/api/alerts/:id/resolve',
    {
      config,
      schema: { tags, summary: 'Resolve an alert', params: alertIdParams, response: { 200: alertSchema } },
    },
    async (request) => toAlertDto(await alertsService.resolve(principalOf(request), request.params.id)),
  );
};
