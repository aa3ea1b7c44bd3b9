import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ATTEMPT_OUTCOMES, CONTACT_METHOD_TYPES, NOTIFICATION_STATUSES } from '../../core/notifications.js';
import { RULE_URGENCIES } from '../../core/urgency.js';
import { pageQuerySchema } from '../../lib/pagination.js';
import { principalOf } from '../../plugins/auth.js';
import type { ContactMethodsService } from './contact-methods.service.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).max(2000);

const owned = {
  label: z.string().max(100).nullable().optional(),
  userId: z.uuid().optional(),
};

const createContactMethodBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('email'), address: z.email().max(320), ...owned }),
  z.strictObject({
    type: z.enum(['slack', 'webhook', 'mattermost', 'msteams']),
    address: httpUrl.describe('The webhook URL (Slack or Mattermost incoming webhook, Teams Workflows webhook)'),
    ...owned,
  }),
  z.strictObject({
    type: z.literal('ntfy'),
    topic: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, _ and -, at most 64'),
    server: httpUrl.optional().describe('The ntfy server; KLAXON_NTFY_DEFAULT_SERVER when omitted'),
    accessToken: z.string().min(1).max(200).optional().describe('An ntfy access token (tk_…); never shown again'),
    ...owned,
  }),
  z.strictObject({
    type: z.enum(['sms', 'voice']),
    /** International form, e.g. +14155550100; validated and stored in E.164. */
    address: z.string().max(40),
    label: z.string().max(100).nullable().optional(),
    userId: z.uuid().optional(),
  }),
]);

export const contactMethodSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  type: z.enum(CONTACT_METHOD_TYPES),
  label: z.string().nullable(),
  address: z.string(),
  /** Phone numbers are paged only once verified; other types are always true. */
  verified: z.boolean(),
  createdAt: z.string(),
});

const ruleSchema = z.object({
  id: z.uuid(),
  userId: z.uuid(),
  contactMethodId: z.uuid(),
  delayMinutes: z.number().int(),
  urgency: z.enum(RULE_URGENCIES),
  createdAt: z.string(),
});

const attemptSchema = z.object({
  attempt: z.number().int(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  detail: z.string().nullable(),
  durationMs: z.number().int(),
  createdAt: z.string(),
});

const notificationSchema = z.object({
  id: z.uuid(),
  incidentId: z.uuid(),
  userId: z.uuid(),
  contactMethodId: z.uuid(),
  contactMethodType: z.enum(CONTACT_METHOD_TYPES),
  level: z.number().int(),
  repetition: z.number().int(),
  ruleDelayMinutes: z.number().int(),
  status: z.enum(NOTIFICATION_STATUSES),
  attempts: z.array(attemptSchema),
  lastError: z.string().nullable(),
  /** The SMS or voice provider's last delivery status (queued, sent, delivered, failed, no-answer, busy…). */
  providerStatus: z.object({ provider: z.string(), status: z.string(), detail: z.string().nullable() }).nullable(),
  scheduledAt: z.string(),
  sentAt: z.string().nullable(),
  createdAt: z.string(),
});

const idParams = z.object({ id: z.uuid() });
const ownerQuery = z.strictObject({ userId: z.uuid().optional() });
const iso = (date: Date | null) => date?.toISOString() ?? null;

export const toMethodDto = (m: {
  id: string;
  userId: string;
  type: (typeof CONTACT_METHOD_TYPES)[number];
  label: string | null;
  address: string;
  verifiedAt: Date | null;
  createdAt: Date;
}) => ({
  id: m.id,
  userId: m.userId,
  type: m.type,
  label: m.label,
  address: m.address,
  verified: (m.type !== 'sms' && m.type !== 'voice') || m.verifiedAt !== null,
  createdAt: m.createdAt.toISOString(),
});

/** Everyone manages their own contact methods, rules and log; platform admins anyone's (`userId`). */
export const notificationsRoutes: FastifyPluginAsyncZod<{ service: ContactMethodsService }> = async (
  app,
  { service },
) => {
  const config = { access: 'user' as const };
  const tags = ['notifications'];

  app.post(
    '/api/contact-methods',
    {
      config,
      schema: {
        tags,
        summary:
          'Add a contact method (webhooks: the signing secret is shown once; sms and voice: a verification code is sent)',
        body: createContactMethodBody,
        response: {
          201: contactMethodSchema.extend({
            signingSecret: z.string().optional(),
            verification: z.object({ outcome: z.enum(ATTEMPT_OUTCOMES), detail: z.string().nullable() }).optional(),
          }),
        },
      },
    },
    async (request, reply) => {
      const { method, signingSecret, verification } = await service.create(principalOf(request), request.body);
      return reply.code(201).send({
        ...toMethodDto(method),
        ...(signingSecret === undefined ? {} : { signingSecret }),
        ...(verification === undefined
          ? {}
          : { verification: { outcome: verification.outcome, detail: verification.detail } }),
      });
    },
  );

  app.get(
    '/api/contact-methods',
    {
      config,
      schema: {
        tags,
        summary: 'List contact methods',
        querystring: ownerQuery,
        response: { 200: z.object({ contactMethods: z.array(contactMethodSchema) }) },
      },
    },
    async (request) => ({
      contactMethods: (await service.list(principalOf(request), request.query.userId)).map(toMethodDto),
    }),
  );

  app.delete(
    '/api/contact-methods/:id',
    { config, schema: { tags, summary: 'Delete a contact method (and its rules)', params: idParams } },
    async (request, reply) => {
      await service.delete(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.post(
    '/api/contact-methods/:id/test',
    {
      config,
      schema: {
        tags,
        summary: 'Send a test notification now',
        params: idParams,
        response: { 200: z.object({ outcome: z.enum(ATTEMPT_OUTCOMES), detail: z.string().nullable() }) },
      },
    },
    async (request) => service.test(principalOf(request), request.params.id),
  );

  app.post(
    '/api/notification-rules',
    {
      config,
      schema: {
        tags,
        summary: 'Add a rule: "after delayMinutes, use this contact method" (for incidents of this urgency)',
        body: z.strictObject({
          contactMethodId: z.uuid(),
          delayMinutes: z.number().int().min(0).max(1440),
          urgency: z.enum(RULE_URGENCIES).default('any'),
        }),
        response: { 201: ruleSchema },
      },
    },
    async (request, reply) => {
      const rule = await service.createRule(principalOf(request), request.body);
      return reply.code(201).send({ ...rule, createdAt: rule.createdAt.toISOString() });
    },
  );

  app.get(
    '/api/notification-rules',
    {
      config,
      schema: {
        tags,
        summary: 'List notification rules',
        querystring: ownerQuery,
        response: { 200: z.object({ rules: z.array(ruleSchema) }) },
      },
    },
    async (request) => ({
      rules: (await service.listRules(principalOf(request), request.query.userId)).map((rule) => ({
        ...rule,
        createdAt: rule.createdAt.toISOString(),
      })),
    }),
  );

  app.delete(
    '/api/notification-rules/:id',
    { config, schema: { tags, summary: 'Delete a notification rule', params: idParams } },
    async (request, reply) => {
      await service.deleteRule(principalOf(request), request.params.id);
      return reply.code(204).send();
    },
  );

  app.get(
    '/api/notifications',
    {
      config,
      schema: {
        tags,
        summary: 'Your notification log with every attempt, newest first',
        querystring: z.strictObject({ userId: z.uuid().optional(), ...pageQuerySchema }),
        response: { 200: z.object({ notifications: z.array(notificationSchema), nextCursor: z.string().nullable() }) },
      },
    },
    async (request) => {
      const page = await service.log(principalOf(request), request.query);
      return {
        notifications: page.notifications.map((n) => ({
          id: n.id,
          incidentId: n.incidentId,
          userId: n.userId,
          contactMethodId: n.contactMethodId,
          contactMethodType: n.contactMethodType,
          level: n.level,
          repetition: n.repetition,
          ruleDelayMinutes: n.ruleDelayMinutes,
          status: n.status,
          lastError: n.lastError,
          providerStatus: n.providerStatus,
          scheduledAt: n.scheduledAt.toISOString(),
          sentAt: iso(n.sentAt),
          createdAt: n.createdAt.toISOString(),
          attempts: n.attempts.map((a) => ({
            attempt: a.attempt,
            outcome: a.outcome,
            detail: a.detail,
            durationMs: a.durationMs,
            createdAt: a.createdAt.toISOString(),
          })),
        })),
        nextCursor: page.nextCursor,
      };
    },
  );
};
