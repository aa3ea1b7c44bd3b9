import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import { alertIdParams } from '../alerts/alerts.schema.js';
import type { TraceService } from './trace.service.js';

export const traceEntrySchema = z.object({
  at: z.string(),
  kind: z.string(),
  message: z.string(),
  refs: z.record(z.string(), z.union([z.string(), z.array(z.string())])),
});

const traceSchema = z.object({
  alertId: z.uuid(),
  status: z.string(),
  suppressedBy: z.object({ kind: z.string(), id: z.string(), sourceAlertId: z.string().optional() }).nullable(),
  entries: z.array(traceEntrySchema),
});

/** Anyone who may see the alert may see why it did or did not page. */
export const traceRoutes: FastifyPluginAsyncZod<{ traceService: TraceService }> = async (app, { traceService }) => {
  app.get(
    '/api/alerts/:id/trace',
    {
      config: { access: 'user' },
      schema: {
        tags: ['alerts'],
        summary: 'Why was (or was not) anyone paged: every decision about the alert, in order',
        params: alertIdParams,
        response: { 200: traceSchema },
      },
    },
    async (request) => {
      const { alert, entries } = await traceService.trace(principalOf(request), request.params.id);
      return {
        alertId: alert.id,
        status: alert.status,
        suppressedBy: alert.suppressedBy,
        entries: entries.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
      };
    },
  );
};
