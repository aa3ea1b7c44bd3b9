import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import type { HeartbeatRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';
import { MAX_MATCHERS_PER_RULE, matcherSchema } from '../routing/routing-rules.schema.js';

/** 31 days: a monthly job is the slowest sender worth watching. */
const MAX_INTERVAL_SECONDS = 31 * 24 * 3600;
const MAX_GRACE_SECONDS = 7 * 24 * 3600;

const watchdog = z
  .strictObject({
    integrationId: z.uuid(),
    matchers: z
      .array(matcherSchema)
      .min(1)
      .max(MAX_MATCHERS_PER_RULE)
      .describe('e.g. [{field: "labels.alertname", op: "equals", value: "Watchdog"}]; at least one'),
  })
  .describe('Alerts of this integration matching every matcher count as pings and are not stored (admins only)');

export const createHeartbeatBody = z.strictObject({
  teamId: z.uuid(),
  name: displayName(100),
  description: z.string().max(1000).nullable().optional(),
  integrationId: z
    .uuid()
    .nullable()
    .optional()
    .describe("The missed alert goes through this integration's routing; null: to the heartbeat's team"),
  intervalSeconds: z.number().int().min(1).max(MAX_INTERVAL_SECONDS),
  graceSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(60),
  severity: z.enum(ALERT_SEVERITIES).default('critical'),
  watchdog: watchdog.nullable().optional(),
  isActive: z.boolean().default(true),
});

export const updateHeartbeatBody = z.strictObject({
  name: displayName(100).optional(),
  description: z.string().max(1000).nullable().optional(),
  integrationId: z.uuid().nullable().optional(),
  intervalSeconds: z.number().int().min(1).max(MAX_INTERVAL_SECONDS).optional(),
  graceSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  watchdog: watchdog.nullable().optional(),
  isActive: z.boolean().optional(),
});

export type CreateHeartbeatInput = z.infer<typeof createHeartbeatBody>;
export type UpdateHeartbeatInput = z.infer<typeof updateHeartbeatBody>;

export const heartbeatIdParams = z.object({ id: z.uuid() });
export const heartbeatsQuery = z.strictObject({ teamId: z.uuid().optional() });
/** Tokens are `hb_` + 43 base64url characters; anything else is refused before any lookup. */
export const pingTokenParams = z.object({ token: z.string().max(200) });

export const heartbeatSchema = z.object({
  id: z.uuid(),
  teamId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  integrationId: z.uuid().nullable(),
  intervalSeconds: z.number().int(),
  graceSeconds: z.number().int(),
  severity: z.enum(ALERT_SEVERITIES),
  watchdog: z
    .object({
      integrationId: z.uuid(),
      matchers: z.array(z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() })),
    })
    .nullable(),
  isActive: z.boolean(),
  status: z.enum(['up', 'down', 'paused']).describe('down: missed, its alert is open until the next ping'),
  tokenPrefix: z.string(),
  lastPingAt: z.iso.datetime().nullable(),
  expectedBy: z.iso.datetime().nullable().describe('Missed unless pinged by then (interval + grace)'),
  missedAt: z.iso.datetime().nullable(),
  alertId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const heartbeatWithTokenSchema = heartbeatSchema.extend({
  token: z.string().describe('Shown this once'),
  pingUrl: z.string().describe('POST or GET; the token is also accepted in the X-Heartbeat-Token header'),
  warning: z.string(),
});

export const pingResponse = z.object({ status: z.literal('up') });

export function toHeartbeatDto(row: HeartbeatRow): z.infer<typeof heartbeatSchema> {
  return {
    id: row.id,
    teamId: row.teamId,
    name: row.name,
    description: row.description,
    integrationId: row.integrationId,
    intervalSeconds: row.intervalSeconds,
    graceSeconds: row.graceSeconds,
    severity: row.severity,
    watchdog:
      row.watchdogIntegrationId === null
        ? null
        : { integrationId: row.watchdogIntegrationId, matchers: row.watchdogMatchers },
    isActive: row.isActive,
    status: !row.isActive ? 'paused' : row.state === 'up' ? 'up' : 'down',
    tokenPrefix: `${row.tokenPrefix}...`,
    lastPingAt: row.lastPingAt?.toISOString() ?? null,
    expectedBy: row.isActive && row.state === 'up' ? row.deadlineAt.toISOString() : null,
    missedAt: row.missedAt?.toISOString() ?? null,
    alertId: row.alertId,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
