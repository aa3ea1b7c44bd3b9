import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { IcalFeedRow, ScheduleLayerVersionRow, ScheduleOverrideRow, ScheduleRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { principalOf } from '../../plugins/auth.js';
import type { Span } from './oncall-computation.js';
import type { LayerWithVersions } from './schedules.repository.js';
import {
  atQuery,
  createdIcalFeedSchema,
  createLayerBody,
  createOverrideBody,
  createScheduleBody,
  feedIdParams,
  icalFeedSchema,
  icalParams,
  layerParams,
  layerSchema,
  listSchedulesQuery,
  oncallResponse,
  overrideParams,
  overrideSchema,
  rangeQuery,
  scheduleDetailSchema,
  scheduleIdParams,
  scheduleSchema,
  type spanSchema,
  spansResponse,
  updateLayerBody,
  updateOverrideBody,
  updateScheduleBody,
  userIdParams,
  userShiftsResponse,
} from './schedules.schema.js';
import type { SchedulesService } from './schedules.service.js';

/**
 * Schedules belong to a team: its managers and platform admins change them, its members read
 * them, everyone else gets 404. A person's own shifts are theirs (and admins') to read. Calendar
 * feeds are public URLs whose unguessable token is the credential.
 */
export const schedulesRoutes: FastifyPluginAsyncZod<{ schedulesService: SchedulesService }> = async (
  app,
  { schedulesService: service },
) => {
  const user = { access: 'user' as const };
  const tags = ['schedules'];

  app.post(
    '/api/schedules',
    {
      config: user,
      schema: {
        tags,
        summary: "Create a schedule (the team's managers, platform admins)",
        body: createScheduleBody,
        response: { 201: scheduleDetailSchema },
      },
    },
    async (request, reply) =>
      reply.code(201).send(toScheduleDetailDto(await service.create(request.body, principalOf(request)))),
  );

  app.get(
    '/api/schedules',
    {
      config: user,
      schema: {
        tags,
        summary: "List schedules (platform admins: all; others: their teams')",
        querystring: listSchedulesQuery,
        response: { 200: z.object({ schedules: z.array(scheduleSchema) }) },
      },
    },
    async (request) => ({
      schedules: (await service.list(principalOf(request), request.query.teamId)).map(toScheduleDto),
    }),
  );

  app.get(
    '/api/schedules/:id',
    {
      config: user,
      schema: {
        tags,
        summary: 'Get a schedule with its layers',
        params: scheduleIdParams,
        response: { 200: scheduleDetailSchema },
      },
    },
    async (request) => toScheduleDetailDto(await service.get(principalOf(request), request.params.id)),
  );

  app.patch(
    '/api/schedules/:id',
    {
      config: user,
      schema: {
        tags,
        summary: 'Rename a schedule, or change its description or time zone',
        params: scheduleIdParams,
        body: updateScheduleBody,
        response: { 200: scheduleDetailSchema },
      },
    },
    async (request) => toScheduleDetailDto(await service.update(request.params.id, request.body, principalOf(request))),
  );

  app.delete(
    '/api/schedules/:id',
    { config: user, schema: { tags, summary: 'Delete a schedule', params: scheduleIdParams } },
    async (request, reply) => {
      await service.delete(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/schedules/:id/layers',
    {
      config: user,
      schema: {
        tags,
        summary: 'Add a layer (rotation)',
        params: scheduleIdParams,
        body: createLayerBody,
        response: { 201: layerSchema },
      },
    },
    async (request, reply) => {
      const layer = await service.createLayer(request.params.id, request.body, principalOf(request));
      return reply.code(201).send(toLayerDto(layer));
    },
  );

  app.patch(
    '/api/schedules/:id/layers/:layerId',
    {
      config: user,
      schema: {
        tags,
        summary: 'Change a layer; rotation changes take effect at the next handoff and never rewrite the past',
        params: layerParams,
        body: updateLayerBody,
        response: { 200: layerSchema },
      },
    },
    async (request) => {
      const { id, layerId } = request.params;
      return toLayerDto(await service.updateLayer(id, layerId, request.body, principalOf(request)));
    },
  );

  app.delete(
    '/api/schedules/:id/layers/:layerId',
    { config: user, schema: { tags, summary: 'Delete a layer', params: layerParams } },
    async (request, reply) => {
      await service.deleteLayer(request.params.id, request.params.layerId, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/schedules/:id/overrides',
    {
      config: user,
      schema: {
        tags,
        summary: 'List overrides (optionally those overlapping from/to)',
        params: scheduleIdParams,
        querystring: rangeQuery,
        response: { 200: z.object({ overrides: z.array(overrideSchema) }) },
      },
    },
    async (request) => ({
      overrides: (await service.listOverrides(principalOf(request), request.params.id, request.query)).map(
        toOverrideDto,
      ),
    }),
  );

  app.post(
    '/api/schedules/:id/overrides',
    {
      config: user,
      schema: {
        tags,
        summary: 'Add an override: a team member covers from startsAt to endsAt (the latest created wins)',
        params: scheduleIdParams,
        body: createOverrideBody,
        response: { 201: overrideSchema },
      },
    },
    async (request, reply) => {
      const override = await service.createOverride(request.params.id, request.body, principalOf(request));
      return reply.code(201).send(toOverrideDto(override));
    },
  );

  app.patch(
    '/api/schedules/:id/overrides/:overrideId',
    {
      config: user,
      schema: {
        tags,
        summary: 'Change who covers an override, its span or its note (it keeps its precedence)',
        params: overrideParams,
        body: updateOverrideBody,
        response: { 200: overrideSchema },
      },
    },
    async (request) =>
      toOverrideDto(
        await service.updateOverride(request.params.id, request.params.overrideId, request.body, principalOf(request)),
      ),
  );

  app.delete(
    '/api/schedules/:id/overrides/:overrideId',
    { config: user, schema: { tags, summary: 'Delete an override', params: overrideParams } },
    async (request, reply) => {
      await service.deleteOverride(request.params.id, request.params.overrideId, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/schedules/:id/oncall',
    {
      config: user,
      schema: {
        tags,
        summary: 'Who is on call at an instant (default: now)',
        params: scheduleIdParams,
        querystring: atQuery,
        response: { 200: oncallResponse },
      },
    },
    async (request) => {
      const result = await service.onCall(principalOf(request), request.params.id, request.query.at);
      return {
        scheduleId: result.scheduleId,
        at: result.at.toISOString(),
        oncall: result.oncall.map((span) => ({ ...toSpanDto(span), user: span.user })),
      };
    },
  );

  app.get(
    '/api/schedules/:id/spans',
    {
      config: user,
      schema: {
        tags,
        summary: 'The computed on-call timeline over [from, to) (at most 400 days; default: the next 7 days)',
        params: scheduleIdParams,
        querystring: rangeQuery,
        response: { 200: spansResponse },
      },
    },
    async (request) => {
      const result = await service.spans(principalOf(request), request.params.id, request.query);
      return {
        scheduleId: result.schedule.id,
        timeZone: result.schedule.timeZone,
        from: result.from.toISOString(),
        to: result.to.toISOString(),
        spans: result.spans.map((span) => ({
          ...toSpanDto(span),
          shiftStart: span.shiftStart?.toISOString() ?? null,
          shiftEnd: span.shiftEnd?.toISOString() ?? null,
        })),
        layers: result.layers.map((layer) => ({ ...layer, spans: layer.spans.map(toSpanDto) })),
        users: result.users,
      };
    },
  );

  app.get(
    '/api/users/:id/oncall',
    {
      config: user,
      schema: {
        tags,
        summary: "A person's shifts across all schedules (self or platform admin; default: the next 30 days)",
        params: userIdParams,
        querystring: rangeQuery,
        response: { 200: userShiftsResponse },
      },
    },
    async (request) => {
      const result = await service.userOnCall(principalOf(request), request.params.id, request.query);
      return {
        userId: result.userId,
        from: result.from.toISOString(),
        to: result.to.toISOString(),
        shifts: result.shifts.map((shift) => ({
          ...toSpanDto(shift),
          scheduleId: shift.scheduleId,
          scheduleName: shift.scheduleName,
          teamId: shift.teamId,
        })),
      };
    },
  );

  app.post(
    '/api/schedules/:id/ical-feeds',
    {
      config: user,
      schema: {
        tags,
        summary: 'Create a calendar feed URL for a schedule (anyone who can read it); the URL is shown once',
        params: scheduleIdParams,
        response: { 201: createdIcalFeedSchema },
      },
    },
    async (request, reply) => {
      const feed = await service.createScheduleFeed(request.params.id, principalOf(request));
      return reply.code(201).send({ ...toFeedDto(feed), url: feed.url });
    },
  );

  app.get(
    '/api/schedules/:id/ical-feeds',
    {
      config: user,
      schema: {
        tags,
        summary: "A schedule's live calendar feeds (managers: all; members: their own)",
        params: scheduleIdParams,
        response: { 200: z.object({ feeds: z.array(icalFeedSchema) }) },
      },
    },
    async (request) => ({
      feeds: (await service.listScheduleFeeds(principalOf(request), request.params.id)).map(toFeedDto),
    }),
  );

  app.post(
    '/api/users/:id/ical-feeds',
    {
      config: user,
      schema: {
        tags,
        summary: "Create a calendar feed URL of a person's shifts (self or platform admin); the URL is shown once",
        params: userIdParams,
        response: { 201: createdIcalFeedSchema },
      },
    },
    async (request, reply) => {
      const feed = await service.createUserFeed(request.params.id, principalOf(request));
      return reply.code(201).send({ ...toFeedDto(feed), url: feed.url });
    },
  );

  app.get(
    '/api/users/:id/ical-feeds',
    {
      config: user,
      schema: {
        tags,
        summary: "A person's live calendar feeds (self or platform admin)",
        params: userIdParams,
        response: { 200: z.object({ feeds: z.array(icalFeedSchema) }) },
      },
    },
    async (request) => ({
      feeds: (await service.listUserFeeds(principalOf(request), request.params.id)).map(toFeedDto),
    }),
  );

  app.delete(
    '/api/ical-feeds/:id',
    {
      config: user,
      schema: { tags, summary: 'Revoke a calendar feed: its URL stops working at once', params: feedIdParams },
    },
    async (request, reply) => {
      await service.revokeFeed(request.params.id, principalOf(request));
      return reply.code(204).send();
    },
  );

  app.get(
    '/ical/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A calendar feed (iCalendar); the token in the URL is the credential',
        params: icalParams,
      },
    },
    async (request, reply) => {
      const body = await service.renderFeed(request.params.file);
      if (body === undefined) throw new AppError('ical-feed-not-found', 'No such calendar feed, or it was revoked');
      return reply
        .header('content-type', 'text/calendar; charset=utf-8')
        .header('cache-control', 'private, max-age=300')
        .header('referrer-policy', 'no-referrer')
        .send(body);
    },
  );
};

function toScheduleDto(schedule: ScheduleRow & { canManage: boolean }): z.infer<typeof scheduleSchema> {
  return {
    id: schedule.id,
    teamId: schedule.teamId,
    name: schedule.name,
    description: schedule.description,
    timeZone: schedule.timeZone,
    canManage: schedule.canManage,
    createdAt: schedule.createdAt.toISOString(),
    updatedAt: schedule.updatedAt.toISOString(),
  };
}

function toScheduleDetailDto(
  schedule: ScheduleRow & { canManage: boolean; layers: LayerWithVersions[] },
): z.infer<typeof scheduleDetailSchema> {
  return { ...toScheduleDto(schedule), layers: [...schedule.layers].reverse().map(toLayerDto) };
}

function toVersionDto(version: ScheduleLayerVersionRow) {
  return {
    effectiveFrom: version.effectiveFrom.toISOString(),
    turnUnit: version.turnUnit,
    turnLength: version.turnLength,
    handoffTime: version.handoffTime,
    handoffWeekday: version.handoffWeekday,
    restrictions: version.restrictions,
    participantIds: version.participantIds,
    startIndex: version.startIndex,
    createdAt: version.createdAt.toISOString(),
  };
}

function toLayerDto(layer: LayerWithVersions): z.infer<typeof layerSchema> {
  const versions = layer.versions.map(toVersionDto);
  const latest = versions[versions.length - 1];
  if (latest === undefined) throw new Error(`layer ${layer.id} has no version`);
  return {
    id: layer.id,
    scheduleId: layer.scheduleId,
    name: layer.name,
    position: layer.position,
    timeZone: layer.timeZone,
    startsAt: layer.startsAt.toISOString(),
    endsAt: layer.endsAt?.toISOString() ?? null,
    turnUnit: latest.turnUnit,
    turnLength: latest.turnLength,
    handoffTime: latest.handoffTime,
    handoffWeekday: latest.handoffWeekday,
    restrictions: latest.restrictions,
    participantIds: latest.participantIds,
    versions,
    createdAt: layer.createdAt.toISOString(),
    updatedAt: layer.updatedAt.toISOString(),
  };
}

function toOverrideDto(override: ScheduleOverrideRow): z.infer<typeof overrideSchema> {
  return {
    id: override.id,
    scheduleId: override.scheduleId,
    userId: override.userId,
    startsAt: override.startsAt.toISOString(),
    endsAt: override.endsAt.toISOString(),
    note: override.note,
    createdBy: override.createdBy,
    createdAt: override.createdAt.toISOString(),
  };
}

function toSpanDto(span: Span): z.infer<typeof spanSchema> {
  return {
    userId: span.userId,
    start: span.start.toISOString(),
    end: span.end.toISOString(),
    layerId: span.layerId,
    overrideId: span.overrideId,
  };
}

function toFeedDto(feed: IcalFeedRow): z.infer<typeof icalFeedSchema> {
  return {
    id: feed.id,
    scheduleId: feed.scheduleId,
    userId: feed.userId,
    tokenPrefix: feed.tokenPrefix,
    createdBy: feed.createdBy,
    createdAt: feed.createdAt.toISOString(),
  };
}
