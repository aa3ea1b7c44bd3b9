import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Principal } from '../core/principal.js';
import { parseCookies } from '../lib/cookies.js';
import { AppError } from '../lib/errors.js';
import type { ApiKeysService } from '../modules/api-keys/api-keys.service.js';
import {
  CSRF_HEADER,
  csrfMatches,
  SESSION_COOKIE,
  type SessionPrincipal,
  type SessionsService,
} from '../modules/sessions/sessions.service.js';

/**
 * Who may call a route, declared on every route as `config.access`:
 * - `public`: anyone (health, docs, webhooks authenticate by signature instead);
 * - `user`: any valid API key or console session;
 * - `admin`: a platform admin's key or session.
 * An `Authorization` header wins over the session cookie. Cookie-authenticated unsafe requests
 * must carry the session's CSRF token in `X-Klaxon-CSRF`; API-key requests need none (a browser
 * never attaches a bearer key by itself).
 * A route under /api without a declaration refuses to register, so nothing is open by mistake.
 */
export type Access = 'public' | 'user' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** Set when the request was authenticated by the console session cookie. */
    session: SessionPrincipal | null;
  }
  interface FastifyInstance {
    /** Every registered route with its access level; the auth-matrix test walks this list. */
    routeAccess: Array<{ method: string; url: string; access: Access }>;
  }
}

// RFC 9110 §11.4: one or more spaces separate the scheme (case-insensitive) from the credentials.
const BEARER = /^Bearer +([^\s]+)$/i;

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

type Authenticators = {
  apiKeysService: Pick<ApiKeysService, 'authenticate'>;
  sessionsService?: Pick<SessionsService, 'authenticate'> | undefined;
};

export function registerAuth(
  app: FastifyInstance,
  apiKeysService: Pick<ApiKeysService, 'authenticate'>,
  sessionsService?: Pick<SessionsService, 'authenticate'>,
): void {
  const authenticators: Authenticators = { apiKeysService, sessionsService };
  app.decorate('routeAccess', []);
  app.decorateRequest('principal', null);
  app.decorateRequest('session', null);

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
    request.principal = await authenticate(request, authenticators);
    if (access === 'admin' && !request.principal.isPlatformAdmin) {
      throw new AppError('forbidden', 'This action requires a platform admin');
    }
    // A read-only key reads; the authz module applies its team limit to everything it reads.
    if (request.principal.keyLimits?.scope === 'read' && !SAFE_METHODS.has(request.method)) {
      throw new AppError('forbidden', 'This API key is read-only');
    }
  });
}

async function authenticate(request: FastifyRequest, { apiKeysService, sessionsService }: Authenticators) {
  const header = request.headers.authorization;
  if (header === undefined) {
    const token = sessionsService === undefined ? undefined : parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    if (token === undefined || sessionsService === undefined) {
      throw new AppError('unauthorized', 'Send an API key as "Authorization: Bearer <key>", or sign in');
    }
    const session = await sessionsService.authenticate(token);
    if (session === undefined) throw new AppError('unauthorized', 'The session has expired or ended; sign in again');
    if (!SAFE_METHODS.has(request.method) && !csrfMatches(session.csrfToken, request.headers[CSRF_HEADER])) {
      throw new AppError('csrf-check-failed', 'Send the csrfToken from GET /api/auth/me as the X-Klaxon-CSRF header');
    }
    request.session = session;
    return session;
  }
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
