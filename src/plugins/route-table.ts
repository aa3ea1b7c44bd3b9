import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../lib/errors.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

interface KnownRoute {
  methods: Set<string>;
  matches: (path: string) => boolean;
}

/** A matcher for a Fastify route pattern: `:name` is one non-empty segment, a trailing `*` the rest. */
function patternMatcher(url: string): (path: string) => boolean {
  const pattern = url.split('/').map((segment) => {
    if (segment === '*') return '.*';
    if (segment.startsWith(':')) return '[^/]+';
    return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  });
  const regex = new RegExp(`^${pattern.join('/')}$`);
  return (path) => regex.test(path);
}

/** True when a bodyless route received something other than no body or `{}`. */
function carriesFields(body: unknown): boolean {
  if (body === undefined || body === null) return false;
  if (typeof body !== 'object' || Array.isArray(body)) return true;
  return Object.keys(body).length > 0;
}

async function rejectBody(request: FastifyRequest): Promise<void> {
  const body = request.body;
  if (!carriesFields(body)) return;
  const errors =
    typeof body === 'object' && body !== null && !Array.isArray(body)
      ? Object.keys(body).map((key) => ({ path: key, message: 'unknown field' }))
      : [{ path: '', message: 'this route takes no body' }];
  throw new AppError('validation-failed', 'The request body is invalid', { errors });
}

/**
 * An empty body is no body, whatever type it claims: `curl -X POST -d ''` says
 * application/x-www-form-urlencoded and `fetch(url, {method: 'POST', body: ''})` text/plain, and
 * a route that takes no body should not answer those 415.
 */
async function ignoreEmptyBodyType(request: FastifyRequest): Promise<void> {
  const headers = request.raw.headers;
  // A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 §6.3).
  const empty =
    (headers['content-length'] === undefined || headers['content-length'] === '0') &&
    headers['transfer-encoding'] === undefined;
  if (empty && headers['content-type'] !== undefined) delete headers['content-type'];
}

function hookList<T>(existing: T | T[] | undefined): T[] {
  if (existing === undefined) return [];
  return Array.isArray(existing) ? existing : [existing];
}

/**
 * Watches every route as it is registered, for two answers Fastify does not give on its own:
 * - a known path asked with a method it does not serve is a 405 with `Allow`, not a 404;
 * - an API route that takes no body (acknowledge, resolve, test-alert…) refuses fields sent
 *   anyway with 400, as routes with a body schema refuse unknown fields, and takes an empty body
 *   of any declared type.
 * Must be registered before the routes.
 */
export function registerRouteTable(app: FastifyInstance): {
  allowedMethods(path: string): string[];
} {
  const routes = new Map<string, KnownRoute>();
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const known = routes.get(route.url) ?? { methods: new Set<string>(), matches: patternMatcher(route.url) };
    for (const method of methods) known.methods.add(method.toUpperCase());
    routes.set(route.url, known);

    // Webhook and Events API routes parse their own bodies; only the JSON API is concerned.
    const takesBody = methods.some((method) => BODY_METHODS.has(method.toUpperCase()));
    if (takesBody && route.url.startsWith('/api/') && route.schema?.body === undefined) {
      route.onRequest = [...hookList(route.onRequest), ignoreEmptyBodyType];
      route.preValidation = [...hookList(route.preValidation), rejectBody];
    }
  });
  return {
    allowedMethods(path: string): string[] {
      const allowed = new Set<string>();
      for (const route of routes.values()) {
        if (route.matches(path)) for (const method of route.methods) allowed.add(method);
      }
      return [...allowed].sort();
    },
  };
}
