import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isDatabaseUnavailable } from '../db/client.js';
import { withoutCredentials } from '../lib/credential-paths.js';
import { AppError, type ErrorCode, type FieldError, toProblem } from '../lib/errors.js';
import { findUnstorableText } from '../lib/unstorable-text.js';

/** Fastify's own error codes that a client can cause, and what they mean to us. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload-too-large',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported-media-type',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'bad-request',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'malformed-json',
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed-json',
  FST_ERR_VALIDATION: 'validation-failed',
};

const STATUS_CODES: Record<number, ErrorCode> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  503: 'service-unavailable',
};

/** Translates anything thrown during a request into an AppError. Unknown errors become a 500. */
export function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (isDatabaseUnavailable(error)) {
    return new AppError('service-unavailable', 'The database is unavailable; retry later', {
      headers: { 'Retry-After': '5' },
      cause: error,
    });
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const errors = error.validation.flatMap((issue): FieldError[] => {
      const path = issue.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const unknownKeys = (issue.params as { keys?: unknown }).keys;
      if (issue.keyword === 'unrecognized_keys' && Array.isArray(unknownKeys)) {
        return unknownKeys.map((key) => ({
          path: path ? `${path}.${String(key)}` : String(key),
          message: 'unknown field',
        }));
      }
      return [{ path, message: issue.message ?? 'invalid' }];
    });
    return new AppError('validation-failed', `The request ${context} is invalid`, { errors });
  }
  const fastifyError = error as Partial<FastifyError> & { name?: string };
  if (fastifyError.name === 'SyntaxError' && fastifyError.statusCode === 400) {
    return new AppError('malformed-json', 'The body is not valid JSON');
  }
  const byCode = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (byCode !== undefined) return new AppError(byCode, fastifyError.message);
  const status = fastifyError.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return new AppError(STATUS_CODES[status] ?? 'bad-request', fastifyError.message);
  }
  return new AppError('internal-error', undefined, { cause: error });
}

export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: AppError): FastifyReply {
  if (error.headers !== undefined) reply.headers(error.headers);
  if (error.status === 401 && error.code === 'unauthorized') reply.header('WWW-Authenticate', 'Bearer realm="klaxon"');
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send(toProblem(error, withoutCredentials(request.url.split('?')[0] ?? request.url)));
}

/** Logs server-side failures with the request id, then answers with problem+json. */
export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appError = toAppError(error);
  if (appError.status >= 500) {
    // The full error (stack, SQL) goes to the log with the request id; never to the client.
    request.log.error({ err: error }, 'request failed');
  }
  return sendProblem(request, reply, appError);
}

export function registerErrorHandling(
  app: FastifyInstance,
  options: {
    /** Tried before the 404 problem: the web console answers browser navigations to its own routes. */
    fallback?: (request: FastifyRequest, reply: FastifyReply) => boolean;
    /** The methods served at a path, so a wrong method on a known path is a 405 with `Allow`. */
    allowedMethods?: (path: string) => string[];
  } = {},
): void {
  app.setErrorHandler(handleError);
  // PostgreSQL refuses U+0000 and unpaired surrogates in text: a filter or field carrying one
  // failed its query with a 500. They are refused up front as what they are, invalid input.
  // (Webhook bodies arrive as raw bytes and are cleaned by the receiver instead.)
  app.addHook('preValidation', async (request) => {
    const inQuery = findUnstorableText(request.query);
    const inBody = inQuery === undefined ? findUnstorableText(request.body) : undefined;
    const path = inQuery ?? inBody;
    if (path === undefined) return;
    throw new AppError('validation-failed', 'The request contains U+0000 or an unpaired surrogate', {
      errors: [{ path, message: 'U+0000 and unpaired UTF-16 surrogates are not allowed' }],
    });
  });
  app.setNotFoundHandler((request, reply) => {
    if (options.fallback?.(request, reply) === true) return reply;
    const path = request.url.split('?')[0] ?? request.url;
    const allowed = options.allowedMethods?.(path) ?? [];
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      return sendProblem(
        request,
        reply,
        new AppError('method-not-allowed', `${request.method} is not allowed here; use ${allowed.join(', ')}`, {
          headers: { Allow: allowed.join(', ') },
        }),
      );
    }
    return sendProblem(
      request,
      reply,
      new AppError('not-found', `No route for ${request.method} ${withoutCredentials(path)}`),
    );
  });
}
