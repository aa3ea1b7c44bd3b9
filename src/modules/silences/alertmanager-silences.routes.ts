import type { FastifyError } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../lib/errors.js';
import { principalOf } from '../../plugins/auth.js';
import { toAppError } from '../../plugins/error-handler.js';
import { parseMatchers } from './alert-matchers.js';
import {
  amListQuery,
  amSilenceIdParams,
  gettableSilenceSchema,
  postableSilenceBody,
  toGettableSilence,
} from './silences.schema.js';
import type { SilencesService } from './silences.service.js';

const STATE_ORDER = { active: 0, pending: 1, expired: 2 } as const;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Alertmanager's silence API (api/v2/openapi.yaml), so `amtool silence add|query|expire` and
 * other Alertmanager clients work against Klaxon unchanged. Authenticated by an API key as the
 * rest of the API (reading: any user; changing: platform admins). Errors are what Alertmanager
 * sends — `application/json`, the body a JSON string — since amtool cannot read problem+json.
 */
export const alertmanagerSilencesRoutes: FastifyPluginAsyncZod<{
  silencesService: SilencesService;
  now: () => Date;
}> = async (app, { silencesService, now }) => {
  const tags = ['alertmanager-compatible'];

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    if (appError.headers !== undefined) reply.headers(appError.headers);
    if (appError.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="klaxon"');
    const fields = appError.errors?.map((field) => `${field.path}: ${field.message}`).join('; ');
    const message =
      appError.status >= 500 ? 'internal error' : fields ? `${appError.message}: ${fields}` : appError.message;
    return reply.code(appError.status).type('application/json').send(JSON.stringify(message));
  });

  const byId = async (id: string) => {
    // Alertmanager ids are UUIDs; anything else names no silence (and must not reach a uuid column).
    if (!UUID.test(id)) throw new AppError('silence-not-found', 'silence not found');
    return silencesService.get(id).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'silence-not-found'
        ? new AppError('silence-not-found', 'silence not found')
        : error;
    });
  };

  app.get(
    '/api/v2/silences',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Alertmanager v2: list silences (filter: matchers)',
        querystring: amListQuery,
        response: { 200: z.array(gettableSilenceSchema) },
      },
    },
    async (request) => {
      const filters = request.query.filter === undefined ? [] : [request.query.filter].flat();
      const matchers = filters.map((filter) => {
        const parsed = parseMatchers(filter);
        if (parsed === undefined) throw new AppError('bad-request', `bad matcher format: ${filter}`);
        return parsed;
      });
      const at = now();
      const silences = (await silencesService.list({ matchers: matchers.flat() })).map((row) =>
        toGettableSilence(row, at),
      );
      // Alertmanager's order: active by end, then pending by start, then expired, latest ended first.
      return silences.sort(
        (a, b) =>
          STATE_ORDER[a.status.state] - STATE_ORDER[b.status.state] ||
          (a.status.state === 'pending'
            ? a.startsAt.localeCompare(b.startsAt)
            : a.status.state === 'active'
              ? a.endsAt.localeCompare(b.endsAt)
              : b.endsAt.localeCompare(a.endsAt)),
      );
    },
  );

  app.post(
    '/api/v2/silences',
    {
      config: { access: 'admin' },
      schema: {
        tags,
        summary: 'Alertmanager v2: create a silence, or update one by id',
        body: postableSilenceBody,
        response: { 200: z.object({ silenceID: z.string() }) },
      },
    },
    async (request) => {
      const { id, ...input } = request.body;
      if (id !== undefined && id !== '' && !UUID.test(id)) throw new AppError('silence-not-found', 'silence not found');
      const row = await silencesService.upsert(id, input, principalOf(request));
      return { silenceID: row.id };
    },
  );

  app.get(
    '/api/v2/silence/:silenceID',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'Alertmanager v2: get a silence',
        params: amSilenceIdParams,
        response: { 200: gettableSilenceSchema },
      },
    },
    async (request) => toGettableSilence(await byId(request.params.silenceID), now()),
  );

  app.delete(
    '/api/v2/silence/:silenceID',
    {
      config: { access: 'admin' },
      schema: { tags, summary: 'Alertmanager v2: expire a silence', params: amSilenceIdParams },
    },
    async (request, reply) => {
      const silence = await byId(request.params.silenceID);
      await silencesService.expire(silence.id, principalOf(request));
      return reply.code(200).send();
    },
  );
};
