import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../../core/alerts.js';
import { INCIDENT_STATUSES, TIMELINE_KINDS } from '../../core/incidents.js';
import { URGENCIES } from '../../core/urgency.js';
import type { IncidentRow, IncidentTimelineRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { pageQuerySchema } from '../../lib/pagination.js';
import { principalOf } from '../../plugins/auth.js';
import { ACTION_PAGE_HEADERS, confirmationPage, errorPage, resultPage } from './action-link-pages.js';
import type { IncidentsService } from './incidents.service.js';

const incidentSchema = z.object({
  id: z.uuid(),
  /** The short number of the incident in this installation, shown as `#123`. */
  number: z.number().int(),
  teamId: z.uuid(),
  title: z.string(),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(INCIDENT_STATUSES),
  /** From the team's urgency map: low-urgency incidents wait for support hours. */
  urgency: z.enum(URGENCIES),
  groupKey: z.string().nullable(),
  escalationPolicyId: z.string().nullable(),
  assigneeUserId: z.string().nullable(),
  escalationLevel: z.number().int().nullable(),
  escalationRepetition: z.number().int(),
  nextEscalationAt: z.string().nullable(),
  alertCount: z.number().int(),
  createdAt: z.string(),
  lastAlertAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  ackTimeoutAt: z.string().nullable().describe('When the acknowledgement runs out and the incident triggers again'),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
});

const timelineSchema = z.object({
  id: z.uuid(),
  kind: z.enum(TIMELINE_KINDS),
  userId: z.string().nullable(),
  message: z.string(),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

const incidentDetailSchema = incidentSchema.extend({
  alerts: z.array(
    z.object({
      id: z.uuid(),
      title: z.string(),
      severity: z.enum(ALERT_SEVERITIES),
      status: z.enum(ALERT_STATUSES),
      integrationName: z.string(),
      labels: z.record(z.string(), z.string()),
      addedAt: z.string(),
    }),
  ),
  timeline: z.array(timelineSchema),
});

const groupingSchema = z.object({ teamId: z.uuid(), groupBy: z.array(z.string()), windowMinutes: z.number().int() });

const iso = (date: Date | null) => date?.toISOString() ?? null;

export function toIncidentDto(row: IncidentRow): z.infer<typeof incidentSchema> {
  const { reassignmentCount: _, escalationFirstRound: __, ...rest } = row;
  return {
    ...rest,
    nextEscalationAt: iso(row.nextEscalationAt),
    createdAt: row.createdAt.toISOString(),
    lastAlertAt: row.lastAlertAt.toISOString(),
    acknowledgedAt: iso(row.acknowledgedAt),
    ackTimeoutAt: iso(row.ackTimeoutAt),
    resolvedAt: iso(row.resolvedAt),
  };
}

const toTimelineDto = (row: IncidentTimelineRow) => ({
  id: row.id,
  kind: row.kind,
  userId: row.userId,
  message: row.message,
  metadata: row.metadata,
  createdAt: row.createdAt.toISOString(),
});

const idParams = z.object({ id: z.uuid() });
const teamParams = z.object({ teamId: z.uuid() });

/** Incidents are team-scoped like alerts: a member sees and acts on their teams' incidents; others get 404. */
export const incidentsRoutes: FastifyPluginAsyncZod<{ incidentsService: IncidentsService }> = async (
  app,
  { incidentsService: service },
) => {
  const config = { access: 'user' as const };
  const tags = ['incidents'];

  app.get(
    '/api/incidents',
    {
      config,
      schema: {
        tags,
        summary: 'List incidents, newest first (non-admins: incidents of their teams)',
        querystring: z.strictObject({
          status: z.enum(INCIDENT_STATUSES).optional(),
          teamId: z.uuid().optional(),
          ...pageQuerySchema,
        }),
        response: { 200: z.object({ incidents: z.array(incidentSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const page = await service.list(principalOf(request), request.query);
      return { incidents: page.incidents.map(toIncidentDto), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/api/incidents/:id',
    {
      config,
      schema: {
        tags,
        summary: 'One incident with its alerts and timeline',
        params: idParams,
        response: { 200: incidentDetailSchema },
      },
    },
    async (request) => {
      const { incident, alerts, timeline } = await service.get(principalOf(request), request.params.id);
      return {
        ...toIncidentDto(incident),
        alerts: alerts.map((alert) => ({ ...alert, addedAt: alert.addedAt.toISOString() })),
        timeline: timeline.map(toTimelineDto),
      };
    },
  );

  for (const action of ['acknowledge', 'resolve'] as const) {
    app.post(
      `/api/incidents/:id/${action}`,
      {
        config,
        schema: {
          tags,
          summary: `${action === 'acknowledge' ? 'Acknowledge' : 'Resolve'} an incident and its alerts; pending escalation stops`,
          params: idParams,
          response: { 200: incidentSchema },
        },
      },
      async (request) => toIncidentDto(await service[action](principalOf(request), request.params.id)),
    );
  }

  app.post(
    '/api/incidents/:id/reassign',
    {
      config,
      schema: {
        tags,
        summary: 'Assign the incident to someone (paged at once while it is triggered)',
        params: idParams,
        body: z.strictObject({ userId: z.uuid() }),
        response: { 200: incidentSchema },
      },
    },
    async (request) =>
      toIncidentDto(await service.reassign(principalOf(request), request.params.id, request.body.userId)),
  );

  app.post(
    '/api/incidents/:id/notes',
    {
      config,
      schema: {
        tags,
        summary: 'Add a note to the timeline',
        params: idParams,
        body: z.strictObject({ text: z.string().trim().min(1).max(10_000) }),
        response: { 201: incidentSchema },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(toIncidentDto(await service.addNote(principalOf(request), request.params.id, request.body.text))),
  );

  /**
   * The one-click link of a notification. Public: the signed, expiring, single-use token is the
   * credential. A GET (or HEAD) only shows what the link would do, with a form that POSTs back;
   * the POST acts. Browsers get short HTML pages, API clients (Accept: application/json) JSON.
   */
  const tokenParams = z.object({ token: z.string().max(200) });
  const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');
  const sendPage = (reply: FastifyReply, status: number, html: string) =>
    reply.code(status).headers(ACTION_PAGE_HEADERS).type('text/html; charset=utf-8').send(html);
  const withErrorPage = async (request: FastifyRequest, reply: FastifyReply, work: () => Promise<unknown>) => {
    try {
      return await work();
    } catch (error) {
      if (wantsJson(request) || !(error instanceof AppError)) throw error;
      return sendPage(reply, error.status, errorPage(error.message));
    }
  };

  app.get(
    '/api/incidents/actions/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'What a notification link would do: a confirmation page (changes nothing)',
        params: tokenParams,
      },
    },
    (request, reply) =>
      withErrorPage(request, reply, async () => {
        const { incident, action } = await service.inspectActionToken(request.params.token);
        if (wantsJson(request)) {
          return reply
            .headers(ACTION_PAGE_HEADERS)
            .send({ incidentId: incident.id, action, status: incident.status, title: incident.title });
        }
        return sendPage(reply, 200, confirmationPage({ action, title: incident.title, status: incident.status }));
      }),
  );

  app.post(
    '/api/incidents/actions/:token',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Acknowledge or resolve from a notification link (the confirmation page posts here)',
        params: tokenParams,
      },
    },
    (request, reply) =>
      withErrorPage(request, reply, async () => {
        const { incident, action, changed } = await service.actWithToken(request.params.token);
        if (wantsJson(request)) {
          return reply
            .headers(ACTION_PAGE_HEADERS)
            .send({ incidentId: incident.id, action, status: incident.status, changed });
        }
        return sendPage(reply, 200, resultPage({ action, title: incident.title, status: incident.status, changed }));
      }),
  );

  app.get(
    '/api/teams/:teamId/incident-grouping',
    {
      config,
      schema: {
        tags,
        summary: "The team's incident grouping rule (null: every alert opens its own incident)",
        params: teamParams,
        response: { 200: z.object({ rule: groupingSchema.nullable() }) },
      },
    },
    async (request) => {
      const rule = await service.getGroupingRule(principalOf(request), request.params.teamId);
      return {
        rule: rule === null ? null : { teamId: rule.teamId, groupBy: rule.groupBy, windowMinutes: rule.windowMinutes },
      };
    },
  );

  app.put(
    '/api/teams/:teamId/incident-grouping',
    {
      config,
      schema: {
        tags,
        summary: 'Group alerts with equal values of these labels into one incident, within a window',
        params: teamParams,
        body: z.strictObject({
          groupBy: z.array(z.string().min(1).max(100)).max(20),
          windowMinutes: z.number().int().min(1).max(10_080),
        }),
        response: { 200: groupingSchema },
      },
    },
    async (request) => {
      const rule = await service.setGroupingRule(principalOf(request), request.params.teamId, request.body);
      return { teamId: rule.teamId, groupBy: rule.groupBy, windowMinutes: rule.windowMinutes };
    },
  );

  app.delete(
    '/api/teams/:teamId/incident-grouping',
    { config, schema: { tags, summary: 'Stop grouping: every alert opens its own incident', params: teamParams } },
    async (request, reply) => {
      await service.deleteGroupingRule(principalOf(request), request.params.teamId);
      return reply.code(204).send();
    },
  );
};
