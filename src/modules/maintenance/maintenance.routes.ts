import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createWindowBody,
  toWindowDto,
  updateWindowBody,
  windowIdParams,
  windowSchema,
  windowsListSchema,
} from './maintenance.schema.js';
import type { MaintenanceService } from './maintenance.service.js';

/** Maintenance windows: platform admins plan them (they can mute any team); every user may read them. */
export const maintenanceRoutes: FastifyPluginAsyncZod<{
  maintenanceService: MaintenanceService;
  now: () => Date;
}> = async (app, { maintenanceService, now }) => {
  const tags = ['maintenance'];
  const admin = { access: 'admin' as const };

  app.get(
    '/api/maintenance-windows',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'List maintenance windows, newest first', response: { 200: windowsListSchema } },
    },
    async () => {
      const at = now();
      return { windows: (await maintenanceService.list()).map((row) => toWindowDto(row, at)) };
    },
  );

  app.post(
    '/api/maintenance-windows',
    {
      config: admin,
      schema: { tags, summary: 'Plan a maintenance window', body: createWindowBody, response: { 201: windowSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toWindowDto(await maintenanceService.create(request.body, principalOf(request)), now())),
  );

  app.get(
    '/api/maintenance-windows/:id',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Get a maintenance window', params: windowIdParams, response: { 200: windowSchema } },
    },
    async (request) => toWindowDto(await maintenanceService.get(request.params.id), now()),
  );

  app.patch(
    '/api/maintenance-windows/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a maintenance window (end it now: endsAt = now)',
        params: windowIdParams,
        body: updateWindowBody,
        response: { 200: windowSchema },
      },
    },
    async (request) =>
      toWindowDto(await maintenanceService.update(request.params.id, request.body, principalOf(request)), now()),
  );

  app.delete(
    '/api/maintenance-windows/:id',
    { config: admin, schema: { tags, summary: 'Delete a maintenance window', params: windowIdParams } },
    async (request, reply) => {
      await maintenanceService.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );
};
