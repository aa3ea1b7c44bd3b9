import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import type { EventRuleRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';
import { MAX_MATCHERS_PER_RULE, matcherSchema } from '../routing/routing-rules.schema.js';
import { MAX_TEMPLATE_LENGTH, templateProblem } from './template.js';

const template = z
  .string()
  .max(MAX_TEMPLATE_LENGTH)
  .superRefine((value, context) => {
    const problem = templateProblem(value);
    if (problem !== null) context.addIssue({ code: 'custom', message: `template rejected: ${problem}` });
  });
const labelName = z.string().min(1).max(200);

export const actionsSchema = z
  .strictObject({
    drop: z.boolean().optional().describe('Record the delivery, keep no alert'),
    suppress: z.boolean().optional().describe('Store and route the alert, open no incident'),
    severity: z.enum(ALERT_SEVERITIES).optional(),
    removeLabels: z.array(labelName).max(50).optional(),
    setLabels: z
      .record(labelName, template)
      .refine((labels) => Object.keys(labels).length <= 50, 'at most 50 labels')
      .optional(),
    title: template.optional(),
    dedupKey: template.optional(),
  })
  .refine((actions) => Object.values(actions).some((value) => value !== undefined && value !== false), {
    message: 'name at least one action',
  });

const name = displayName(100);
const matchers = z.array(matcherSchema).max(MAX_MATCHERS_PER_RULE);

export const createEventRuleBody = z.strictObject({
  name,
  integrationId: z.uuid().nullable().optional().describe('Scope the rule to one integration; null: global'),
  matchers: matchers.default([]),
  actions: actionsSchema,
  isActive: z.boolean().default(true),
  position: z.number().int().min(1).max(1_000_000).optional().describe('Default: after the last rule'),
});

export const updateEventRuleBody = z.strictObject({
  name: name.optional(),
  integrationId: z.uuid().nullable().optional(),
  matchers: matchers.optional(),
  actions: actionsSchema.optional(),
  isActive: z.boolean().optional(),
  position: z.number().int().min(1).max(1_000_000).optional(),
});

export type CreateEventRuleInput = z.infer<typeof createEventRuleBody>;
export type UpdateEventRuleInput = z.infer<typeof updateEventRuleBody>;

export const eventRuleIdParams = z.object({ id: z.uuid() });
export const eventRulesQuery = z.strictObject({ integrationId: z.uuid().optional() });

export const eventRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  position: z.number().int(),
  integrationId: z.uuid().nullable(),
  matchers: z.array(z.object({ field: z.string(), op: z.string(), value: z.unknown().optional() })),
  actions: z.record(z.string(), z.unknown()),
  isActive: z.boolean(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});

export const dryRunBody = z.strictObject({
  integrationId: z.uuid().describe('The sample is normalized as this integration’s type would be'),
  payload: z.unknown().describe('A sample body as the sender would post it'),
});

export const dryRunResponse = z.object({
  alerts: z.array(
    z.object({
      before: z.record(z.string(), z.unknown()),
      after: z.record(z.string(), z.unknown()).nullable().describe('null: dropped'),
      rules: z.array(z.object({ ruleId: z.uuid(), matched: z.boolean(), changes: z.record(z.string(), z.unknown()) })),
    }),
  ),
});

export function toEventRuleDto(row: EventRuleRow): z.infer<typeof eventRuleSchema> {
  return {
    id: row.id,
    name: row.name,
    position: row.position,
    integrationId: row.integrationId,
    matchers: row.matchers,
    actions: row.actions as Record<string, unknown>,
    isActive: row.isActive,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
