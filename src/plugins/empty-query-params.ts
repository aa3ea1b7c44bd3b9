import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';

async function dropEmptyQueryValues(request: FastifyRequest): Promise<void> {
  const query = request.query;
  if (typeof query !== 'object' || query === null) return;
  const record = query as Record<string, unknown>;
  for (const [name, value] of Object.entries(record)) {
    if (value === '') delete record[name];
  }
}

/**
 * `?cursor=&limit=` means "no cursor, the default limit", as scripts that fill a URL template
 * with empty filters (`?action=&resourceType=&…`) expect: an empty query value is dropped before
 * validation instead of failing it. Repeated parameters are left as they are. Only routes with a
 * query schema get the hook, so the webhook path does not pay for it. Must be registered before
 * the routes.
 */
export function registerEmptyQueryParams(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.schema?.querystring === undefined) return;
    const existing = route.preValidation;
    const hooks = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
    route.preValidation = [dropEmptyQueryValues, ...hooks];
  });
}
