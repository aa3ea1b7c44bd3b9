import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { fromPackageRoot } from '../package-root.js';

/** Where `npm run build:web` writes the console (web/dist at the repository root). */
export const DEFAULT_CONSOLE_DIR = fromPackageRoot('web', 'dist');

/** Paths the console never answers, so an API 404 stays a problem+json 404. */
const SERVER_PREFIXES = ['/api', '/webhooks', '/v2', '/docs', '/openapi.json', '/metrics', '/healthz', '/readyz'];

/**
 * The console's pages may load only what Klaxon itself serves: no CDN, no inline script, no
 * framing. Applied to the HTML documents only; the API and /docs keep their own headers.
 */
const DOCUMENT_HEADERS: Record<string, string> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
    "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-cache',
};

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Klaxon</title></head>
<body><h1>The Klaxon console is not built</h1><p>Run <code>npm run build:web</code> (it runs on
<code>npm install</code>), then restart Klaxon. The API is available at <a href="/docs">/docs</a>.</p></body></html>`;

function isServerPath(path: string): boolean {
  return SERVER_PREFIXES.some(
    (prefix) => path === prefix || path.startsWith(`${prefix}/`) || path.startsWith(`${prefix}?`),
  );
}

export interface ConsoleSite {
  /** Serves the built assets; call during app setup. */
  register(app: FastifyInstance): Promise<void>;
  /**
   * For the not-found handler: answers a browser navigation to a client-side route (any GET
   * for HTML outside the server's own paths) with the console's index.html. False otherwise.
   */
  serveIndex(request: FastifyRequest, reply: FastifyReply): boolean;
}

export function createConsoleSite(dir: string = DEFAULT_CONSOLE_DIR): ConsoleSite {
  const indexPath = join(dir, 'index.html');
  const built = existsSync(indexPath);
  // Read once: the build is immutable for the life of the process (its asset names are hashed).
  const indexHtml = built ? readFileSync(indexPath) : undefined;

  return {
    async register(app) {
      if (!built) {
        app.log.warn({ dir }, 'the web console is not built: run "npm run build:web"');
        return;
      }
      await app.register(fastifyStatic, {
        root: dir,
        prefix: '/',
        // Routes for the files present at start-up only: nothing else is matched by a wildcard.
        wildcard: false,
        index: false,
        decorateReply: false,
        // The build writes .br and .gz copies (scripts/precompress.mjs); the one the browser accepts is sent.
        preCompressed: true,
        setHeaders: (reply, path) => {
          if (path.endsWith('.html')) {
            for (const [name, value] of Object.entries(DOCUMENT_HEADERS)) reply.header(name, value);
          } else if (path.includes(`${join(dir, 'assets')}`)) {
            reply.header('cache-control', 'public, max-age=31536000, immutable');
          }
        },
      });
    },

    serveIndex(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      const path = request.url.split('?')[0] ?? '/';
      if (isServerPath(path)) return false;
      const accept = request.headers.accept ?? '';
      if (path !== '/' && !accept.includes('text/html')) return false;
      reply.headers(DOCUMENT_HEADERS).type('text/html; charset=utf-8');
      if (indexHtml === undefined) {
        reply.code(503).send(NOT_BUILT_PAGE);
      } else {
        reply.code(200).send(indexHtml);
      }
      return true;
    },
  };
}
