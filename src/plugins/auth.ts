import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import type { ApiKeysService, Principal } from '../modules/api-keys/api-keys.service.js';

/**
 * Who may call a route, declared on every route as `config.access`:
 * - `public`: anyone (health, docs, webhooks authenticate by signature instead);
 * - `user`: any valid API key;
 * - `admin`: a platform admin's key.
 * A route under /api without a declaration refuses to register, so nothing is open by mistake.
 */
export type Access = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every registered route with its access level; the auth-matrix test walks this list. */
    routeAccess: Array<{ method: string; url: string; access: Access }>;
  }
}

const BEARER = /^Bearer ([^\s]+)$/i;

export function registerAuth(app: FastifyInstance, apiKeysService: Pick<ApiKeysService, 'authenticate'>): void {
  app.decorate('routeAccess', []);
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access === undefined) {
      if (route.url.startsWith('/api/')) throw new Error(`Route ${route.url} must declare config.access`);
      return;
    }
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method !== 'HEAD') app.routeAccess.push({ method, url: route.url, access });
    }
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access ?? 'public';
    if (access === 'public') return;
    request.principal = await authenticate(request, apiKeysService);
    if (access === 'admin' && !request.principal.isPlatformAdmin) {
      throw new AppError('forbidden', 'This action requires a platform admin');
    }
  });
}

async function authenticate(request: FastifyRequest, apiKeysService: Pick<ApiKeysService, 'authenticate'>) {
  const header = request.headers.authorization;
  if (header === undefined) throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>"');
  const match = BEARER.exec(header);
  const principal = match?.[1] === undefined ? undefined : await apiKeysService.authenticate(match[1]);
  if (principal === undefined) throw new AppError('unauthorized', 'The API key is malformed, unknown or revoked');
  return principal;
}

/** The authenticated caller of a route declared `user` or `admin`. */
export function principalOf(request: FastifyRequest): Principal {
  if (request.principal === null) throw new AppError('unauthorized');
  return request.principal;
}
