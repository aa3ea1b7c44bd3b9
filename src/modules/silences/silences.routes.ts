import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { principalOf } from '../../plugins/auth.js';
import {
  createSilenceBody,
  listSilencesQuery,
  silenceIdParams,
  silenceSchema,
  silencesListSchema,
  toSilenceDto,
  updateSilenceBody,
} from './silences.schema.js';
import type { SilencesService } from './silences.service.js';

/**
 * Klaxon's own silence API. Silences apply to every alert of the platform, so changing them is
 * for platform admins; any signed-in user may read them (and see why an alert was muted).
 */
export const silencesRoutes: FastifyPluginAsyncZod<{ silencesService: SilencesService; now: () => Date }> = async (
  app,
  { silencesService, now },
) => {
  const tags = ['silences'];
  const admin = { access: 'admin' as const };

  app.get(
    '/api/silences',
    {
      config: { access: 'user' },
      schema: {
        tags,
        summary: 'List silences, newest first',
        querystring: listSilencesQuery,
        response: { 200: silencesListSchema },
      },
    },
    async (request) => {
      const at = now();
      return { silences: (await silencesService.list({ state: request.query.state })).map((s) => toSilenceDto(s, at)) };
    },
  );

  app.post(
    '/api/silences',
    {
      config: admin,
      schema: { tags, summary: 'Create a silence', body: createSilenceBody, response: { 201: silenceSchema } },
    },
    async (request, reply) =>
      reply.code(201).send(toSilenceDto(await silencesService.create(request.body, principalOf(request)), now())),
  );

  app.get(
    '/api/silences/:id',
    {
      config: { access: 'user' },
      schema: { tags, summary: 'Get a silence', params: silenceIdParams, response: { 200: silenceSchema } },
    },
    async (request) => toSilenceDto(await silencesService.get(request.params.id), now()),
  );

  app.patch(
    '/api/silences/:id',
    {
      config: admin,
      schema: {
        tags,
        summary: 'Change a pending or active silence',
        params: silenceIdParams,
        body: updateSilenceBody,
        response: { 200: silenceSchema },
      },
    },
    async (request) =>
      toSilenceDto(await silencesService.update(request.params.id, request.body, principalOf(request)), now()),
  );

  app.post(
    '/api/silences/:id/expire',
    {
      config: admin,
      schema: { tags, summary: 'Expire a silence now', params: silenceIdParams, response: { 200: silenceSchema } },
    },
    async (request) => toSilenceDto(await silencesService.expire(request.params.id, principalOf(request)), now()),
  );
};
