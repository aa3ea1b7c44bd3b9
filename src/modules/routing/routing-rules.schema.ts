import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES } from '../../core/alerts.js';
import type { RuleMatcher } from '../../core/routing.js';
import type { RoutingRuleRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';
import { compileSafeRegex, MAX_REGEX_LENGTH, UnsafeRegexError } from './safe-regex.js';

export const MAX_MATCHERS_PER_RULE = 20;
const MAX_VALUE_LENGTH = 1000;

const field = z
  .string()
  .max(200)
  .regex(
    /^(severity|source|title|integration|labels\..+)$/,
    'must be severity, source, title, integration or labels.<name>',
  );
const text = z.string().max(MAX_VALUE_LENGTH);

const safeRegex = z
  .string()
  .max(MAX_REGEX_LENGTH)
  .superRefine((pattern, context) => {
    try {
      compileSafeRegex(pattern);
    } catch (error) {
      if (!(error instanceof UnsafeRegexError)) throw error;
      context.addIssue({ code: 'custom', message: `regex rejected: ${error.message}` });
    }
  });

export const matcherSchema = z.discriminatedUnion('op', [
  z.strictObject({ field, op: z.literal('equals'), value: text }),
  z.strictObject({ field, op: z.literal('not_equals'), value: text }),
  z.strictObject({ field, op: z.literal('regex'), value: safeRegex }),
  z.strictObject({ field, op: z.literal('in'), value: z.array(text).min(1).max(100) }),
  z.strictObject({
    field,
    op: z.literal('exists'),
    value: z.boolean().optional().describe('false: the field must be absent (default true)'),
  }),
]);

const name = displayName(100);
const matchers = z.array(matcherSchema).max(MAX_MATCHERS_PER_RULE);
const position = z.number().int().min(1).describe('1-based; rules at and after it move down one place');

export const createRuleBody = z.strictObject({
  name,
  teamId: z.uuid(),
  integrationId: z.uuid().nullable().optional().describe('Scope the rule to one integration; null: global'),
  matchers: matchers.default([]),
  continue: z.boolean().default(false),
  isActive: z.boolean().default(true),
  position: position.optional().describe('Default: after the last rule'),
});

export const updateRuleBody = z.strictObject({
  name: name.optional(),
  teamId: z.uuid().optional(),
  integrationId: z.uuid().nullable().optional(),
  matchers: matchers.optional(),
  continue: z.boolean().optional(),
  isActive: z.boolean().optional(),
  position: position.optional(),
});

export const reorderRulesBody = z.strictObject({
  ruleIds: z
    .array(z.uuid())
    .max(10_000)
    .refine((ids) => new Set(ids).size === ids.length, 'must not repeat a rule')
    .describe('Every rule id, in the new order'),
});

export const ruleIdParams = z.object({ id: z.uuid() });
export const listRulesQuery = z.strictObject({
  integrationId: z.uuid().optional().describe('Only the rules that apply to this integration (global and scoped)'),
});

const sampleAlert = z.strictObject({
  title: z.string().min(1).max(1000),
  severity: z.enum(ALERT_SEVERITIES).default('warning'),
  source: z.string().max(1000).nullable().default(null),
  labels: z.record(z.string(), z.string()).default({}),
});

export const testRoutingBody = z
  .strictObject({
    integrationId: z.uuid().optional(),
    alert: sampleAlert.optional().describe('A normalized alert, as the API shows alerts'),
    payload: z.unknown().optional().describe("A raw webhook body, normalized as the integration's type would"),
  })
  .superRefine((body, context) => {
    if ((body.alert === undefined) === (body.payload === undefined)) {
      context.addIssue({ code: 'custom', message: 'give exactly one of alert or payload', path: ['alert'] });
    }
    if (body.payload !== undefined && body.integrationId === undefined) {
      context.addIssue({ code: 'custom', message: 'a payload needs an integrationId', path: ['integrationId'] });
    }
  });

export const ruleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  integrationId: z.uuid().nullable(),
  teamId: z.uuid(),
  matchers: z.array(
    z.object({
      field: z.string(),
      op: z.enum(['equals', 'not_equals', 'regex', 'in', 'exists']),
      value: z.union([z.string(), z.array(z.string()), z.boolean()]).optional(),
    }),
  ),
  continue: z.boolean(),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const rulesListSchema = z.object({ rules: z.array(ruleSchema) });

const evaluationSchema = z.object({
  ruleId: z.uuid(),
  ruleName: z.string(),
  position: z.number().int(),
  matched: z.boolean(),
  failedMatcher: z
    .object({ index: z.number().int(), field: z.string(), op: z.string() })
    .optional()
    .describe('The first matcher that did not hold'),
});

export const routeExplanationSchema = z.object({
  teamIds: z.array(z.uuid()),
  teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
  matched: z.array(z.object({ ruleId: z.uuid(), ruleName: z.string(), teamId: z.uuid() })),
  defaultTeamUsed: z.boolean(),
  evaluated: z.array(evaluationSchema),
});

export const testRoutingResponse = z.object({
  integration: z.object({ id: z.uuid(), name: z.string(), defaultTeamId: z.uuid().nullable() }).nullable(),
  results: z.array(
    routeExplanationSchema.extend({
      alert: z.object({
        title: z.string(),
        severity: z.enum(ALERT_SEVERITIES),
        status: z.enum(ALERT_STATUSES),
        source: z.string().nullable(),
        labels: z.record(z.string(), z.string()),
        dedupKey: z.string().nullable(),
      }),
      routedAtIngest: z
        .boolean()
        .describe('Only firing events are routed; resolve/acknowledge events join the open alert as it was routed'),
    }),
  ),
});

export function toRuleDto(row: RoutingRuleRow): z.infer<typeof ruleSchema> {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    integrationId: row.integrationId,
    teamId: row.teamId,
    matchers: row.matchers.map((m: RuleMatcher) => (m.value === undefined ? { field: m.field, op: m.op } : m)),
    continue: row.continue,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
