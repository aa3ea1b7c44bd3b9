import type { FastifyInstance } from 'fastify';

/**
 * `?cursor=&limit=` means "no cursor, the default limit", as scripts that fill a URL template
 * with empty filters (`?action=&resourceType=&…`) expect: an empty query value is dropped before
 * validation instead of failing it. Repeated parameters are left as they are.
 */
export function registerEmptyQueryParams(app: FastifyInstance): void {
  app.addHook('preValidation', async (request) => {
    const query = request.query;
    if (typeof query !== 'object' || query === null) return;
    const record = query as Record<string, unknown>;
    for (const [name, value] of Object.entries(record)) {
      if (value === '') delete record[name];
    }
  });
}
