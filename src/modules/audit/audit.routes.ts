import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { auditFilterChoicesSchema, auditPageSchema, auditQuery, toAuditEntryDto } from './audit.schema.js';
import type { AuditService } from './audit.service.js';

export const auditRoutes: FastifyPluginAsyncZod<{ auditService: AuditService }> = async (app, { auditService }) => {
  app.get(
    '/api/audit-logs',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first',
        querystring: auditQuery,
        response: { 200: auditPageSchema },
      },
    },
    async (request) => {
      const page = await auditService.list(request.query);
      return { entries: page.entries.map(toAuditEntryDto), nextCursor: page.nextCursor, names: page.names };
    },
  );

  app.get(
    '/api/audit-logs/filters',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['audit'],
        summary: 'What the audit trail can be filtered by: its actions, resource types and actors',
        response: { 200: auditFilterChoicesSchema },
      },
    },
    () => auditService.filterChoices(),
  );
};
