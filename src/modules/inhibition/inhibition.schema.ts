import { z } from 'zod';
import type { InhibitionRuleRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';
import { alertMatcherSchema, MAX_MATCHERS } from '../silences/silences.schema.js';

const matchers = z.array(alertMatcherSchema).max(MAX_MATCHERS);
const equal = z.array(z.string().min(1).max(200)).max(MAX_MATCHERS);

export const createInhibitionRuleBody = z.strictObject({
  name: displayName(200),
  sourceMatchers: matchers.min(1),
  targetMatchers: matchers.min(1),
  equal: equal.default([]),
  isActive: z.boolean().default(true),
});

export const updateInhibitionRuleBody = z.strictObject({
  name: displayName(200).optional(),
  sourceMatchers: matchers.min(1).optional(),
  targetMatchers: matchers.min(1).optional(),
  equal: equal.optional(),
  isActive: z.boolean().optional(),
});

export const inhibitionRuleIdParams = z.strictObject({ id: z.uuid() });

const matcherOut = z.object({ name: z.string(), value: z.string(), isRegex: z.boolean(), isEqual: z.boolean() });

export const inhibitionRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  sourceMatchers: z.array(matcherOut),
  targetMatchers: z.array(matcherOut),
  equal: z.array(z.string()),
  isActive: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const inhibitionRulesListSchema = z.object({ rules: z.array(inhibitionRuleSchema) });

export function toInhibitionRuleDto(row: InhibitionRuleRow): z.infer<typeof inhibitionRuleSchema> {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
