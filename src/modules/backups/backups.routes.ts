import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import type { BackupsService } from './backups.service.js';

/** `npm run cli -- backup --url …` calls this on the running server (platform admins only). */
export const backupsRoutes: FastifyPluginAsyncZod<{ backupsService: BackupsService }> = async (
  app,
  { backupsService },
) => {
  app.post(
    '/api/backups',
    {
      config: { access: 'admin' },
      schema: {
        tags: ['backups'],
        summary: 'A consistent backup of the embedded database (gzipped tar); 409 on PostgreSQL (use pg_dump)',
      },
    },
    async (request, reply) => {
      const dump = await backupsService.create(principalOf(request));
      const stamp = new Date().toISOString().replace(/[:.]/g, '-');
      return reply
        .type('application/gzip')
        .header('content-disposition', `attachment; filename="klaxon-backup-${stamp}.tar.gz"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(await dump.arrayBuffer()));
    },
  );
};
