import { z } from 'zod';
import type { EscalationPolicyRow } from '../../db/schema/index.js';
import { displayName } from '../../lib/display-name.js';

export const MAX_LEVELS = 20;
export const MAX_TARGETS_PER_LEVEL = 20;

const target = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('user'), id: z.uuid() }),
  z.strictObject({ type: z.literal('schedule'), id: z.uuid() }),
  z.strictObject({ type: z.literal('team'), id: z.uuid() }).describe('Everyone on the team when the level runs'),
  z
    .strictObject({ type: z.literal('team_channel'), id: z.uuid() })
    .describe("The team's chat channel (its Slack channel): the incident is posted there when the level runs"),
]);

const ackTimeoutMinutes = z
  .number()
  .int()
  .min(1)
  .max(1440)
  .nullable()
  .describe('An acknowledged incident still open this many minutes later is triggered again; null: never');

const level = z.strictObject({
  delayMinutes: z.number().int().min(0).max(1440),
  targets: z.array(target).min(1).max(MAX_TARGETS_PER_LEVEL),
});

export const createPolicyBody = z.strictObject({
  teamId: z.uuid(),
  name: displayName(100),
  description: z.string().max(1000).nullable().optional(),
  repeatCount: z.number().int().min(0).max(10).default(0),
  isDefault: z.boolean().default(false),
  ackTimeoutMinutes: ackTimeoutMinutes.default(null),
  levels: z.array(level).min(1).max(MAX_LEVELS),
});

export const updatePolicyBody = z.strictObject({
  name: displayName(100).optional(),
  description: z.string().max(1000).nullable().optional(),
  repeatCount: z.number().int().min(0).max(10).optional(),
  isDefault: z.boolean().optional(),
  ackTimeoutMinutes: ackTimeoutMinutes.optional(),
  levels: z.array(level).min(1).max(MAX_LEVELS).optional(),
});

export const policyIdParams = z.object({ id: z.uuid() });
export const policiesQuery = z.strictObject({ teamId: z.uuid().optional() });

export const policySchema = z.object({
  id: z.uuid(),
  teamId: z.uuid(),
  name: z.string(),
  description: z.string().nullable(),
  repeatCount: z.number().int(),
  isDefault: z.boolean(),
  ackTimeoutMinutes: z.number().int().nullable(),
  levels: z.array(
    z.object({
      delayMinutes: z.number().int(),
      targets: z.array(z.object({ type: z.enum(['user', 'schedule', 'team', 'team_channel']), id: z.string() })),
    }),
  ),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type CreatePolicyInput = z.infer<typeof createPolicyBody>;
export type UpdatePolicyInput = z.infer<typeof updatePolicyBody>;

export function toPolicyDto(row: EscalationPolicyRow): z.infer<typeof policySchema> {
  return { ...row, createdAt: row.createdAt.toISOString(), updatedAt: row.updatedAt.toISOString() };
}
