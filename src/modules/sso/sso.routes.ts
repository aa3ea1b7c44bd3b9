import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { parseCookies, serializeSessionCookie } from '../../lib/cookies.js';
import { AppError } from '../../lib/errors.js';
import { SESSION_COOKIE, type SessionsService } from '../sessions/sessions.service.js';
import { authMethodsSchema, callbackQuery } from './sso.schema.js';
import type { SsoService } from './sso.service.js';

/** Holds the browser's half of a login request between /login and /callback. */
export const SSO_BROWSER_COOKIE = 'klaxon_oidc';
const SSO_PATH = '/api/auth/oidc';
const LOGIN_URL = `${SSO_PATH}/login`;

/**
 * A browser (it asks for HTML) that fails to sign in is sent back to the console's sign-in page
 * with the problem's slug in `sso_error`, where the page explains it; other clients get the
 * problem+json document as from every other route.
 */
function wantsHtml(request: FastifyRequest): boolean {
  return (request.headers.accept ?? '').includes('text/html');
}

function failBrowserFriendly(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (!(error instanceof AppError) || !wantsHtml(request)) throw error;
  request.log.warn({ code: error.code, detail: error.detail }, 'single sign-on failed');
  return reply.redirect(`/login?sso_error=${encodeURIComponent(error.code)}`, 303);
}

/** Single sign-on with OpenID Connect, and what the sign-in page offers. */
export const ssoRoutes: FastifyPluginAsyncZod<{
  /** Undefined when single sign-on is not configured; the routes then answer 404 `sso-not-configured`. */
  ssoService: SsoService | undefined;
  sessionsService: Pick<SessionsService, 'policy'>;
  ssoOnly: boolean;
}> = async (app, { ssoService, sessionsService, ssoOnly }) => {
  const tags = ['auth'];

  function configured(): SsoService {
    if (ssoService === undefined) throw new AppError('sso-not-configured');
    return ssoService;
  }

  app.get(
    '/api/auth/methods',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'How one may sign in: whether single sign-on is offered, and whether passwords are refused',
        security: [],
        response: { 200: authMethodsSchema },
      },
    },
    async () => ({
      sso: ssoService !== undefined,
      ssoOnly: ssoService !== undefined && ssoOnly,
      ssoLoginUrl: ssoService === undefined ? null : LOGIN_URL,
    }),
  );

  app.get(
    LOGIN_URL,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Start single sign-on: redirects to the OpenID provider (authorization code flow with PKCE)',
        security: [],
      },
    },
    async (request, reply) => {
      try {
        const login = await configured().beginLogin();
        reply.header(
          'set-cookie',
          serializeSessionCookie(SSO_BROWSER_COOKIE, login.browserToken, {
            maxAgeSeconds: login.ttlMs / 1000,
            secure: request.protocol === 'https',
            path: SSO_PATH,
            // Lax: the cookie must come back on the provider's top-level redirect to the callback.
            sameSite: 'Lax',
          }),
        );
        reply.header('cache-control', 'no-store');
        return reply.redirect(login.authorizationUrl, 302);
      } catch (error) {
        return failBrowserFriendly(error, request, reply);
      }
    },
  );

  app.get(
    `${SSO_PATH}/callback`,
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary:
          "The OpenID provider's redirect back: validates state and ID token, provisions the user, sets the session cookie, redirects to the console",
        security: [],
        querystring: callbackQuery,
      },
    },
    async (request, reply) => {
      const secure = request.protocol === 'https';
      // The login request is used up whatever happens next: its cookie goes too.
      reply.header(
        'set-cookie',
        serializeSessionCookie(SSO_BROWSER_COOKIE, '', { maxAgeSeconds: 0, secure, path: SSO_PATH, sameSite: 'Lax' }),
      );
      reply.header('cache-control', 'no-store');
      try {
        const userAgent = request.headers['user-agent'];
        const result = await configured().completeLogin({
          query: new URL(request.url, 'http://callback.invalid').searchParams,
          browserToken: parseCookies(request.headers.cookie).get(SSO_BROWSER_COOKIE),
          sourceIp: request.ip,
          userAgent: typeof userAgent === 'string' ? userAgent : undefined,
        });
        reply.header(
          'set-cookie',
          serializeSessionCookie(SESSION_COOKIE, result.token, {
            maxAgeSeconds: sessionsService.policy.absoluteTimeoutMs / 1000,
            secure,
          }),
        );
        return reply.redirect('/', 303);
      } catch (error) {
        return failBrowserFriendly(error, request, reply);
      }
    },
  );
};
