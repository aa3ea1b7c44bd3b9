import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { principalOf } from '../../plugins/auth.js';
import { PAGING_PROBLEM_KINDS, type PagingHealthService } from './paging-health.service.js';

const pagingHealthSchema = z.object({
  checkedAt: z.string(),
  problems: z.array(
    z.object({
      kind: z.enum(PAGING_PROBLEM_KINDS),
      message: z.string(),
      teamId: z.uuid().nullable(),
      fixAt: z.string().describe('The console page where it is fixed'),
    }),
  ),
});

/** Which channels the server can deliver on; chat and webhooks need no server configuration. */
const notificationChannelsSchema = z.object({
  channels: z.array(z.object({ type: z.string(), configured: z.boolean() })),
});

/** GET /api/paging-health: what would stop a page from reaching a person (admins: all; managers: their teams). */
export const pagingHealthRoutes: FastifyPluginAsyncZod<{ pagingHealthService: PagingHealthService }> = async (
  app,
  { pagingHealthService },
) => {
  app.get(
    '/api/notification-channels',
    {
      config: { access: 'user' },
      schema: {
        tags: ['notifications'],
        summary: 'Which contact method channels this server can deliver on (email needs SMTP_URL)',
        response: { 200: notificationChannelsSchema },
      },
    },
    async () => ({ channels: pagingHealthService.channels() }),
  );

  app.get(
    '/api/paging-health',
    {
      config: { access: 'user' },
      schema: {
        tags: ['incidents'],
        summary:
          'What would stop a page from reaching a person: unconfigured channels, on-call people without contact methods, schedule gaps (14 days), teams without a default policy, deleted escalation targets',
        response: { 200: pagingHealthSchema },
      },
    },
    async (request) => {
      const result = await pagingHealthService.check(principalOf(request));
      return { checkedAt: result.checkedAt.toISOString(), problems: result.problems };
    },
  );
};
