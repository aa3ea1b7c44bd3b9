import { z } from 'zod';
import { traceEntrySchema } from '../trace/trace.routes.js';

export const simulateBody = z
  .strictObject({
    integrationId: z.uuid().optional(),
    integration: z.string().min(1).max(100).optional().describe("The integration's name"),
    payload: z.unknown(),
    at: z.iso
      .datetime({ offset: true })
      .transform((value) => new Date(value))
      .optional()
      .describe('The instant to simulate (default: now)'),
  })
  .refine((body) => (body.integrationId === undefined) !== (body.integration === undefined), {
    message: 'give integrationId or integration (its name)',
    path: ['integrationId'],
  });

const levelSchema = z.object({
  teamId: z.string(),
  policyId: z.string(),
  level: z.number().int(),
  at: z.string(),
  userIds: z.array(z.string()),
  emptyScheduleIds: z.array(z.string()),
  notifications: z.array(
    z.object({
      userId: z.string(),
      contactMethodId: z.string(),
      contactMethodType: z.string(),
      delayMinutes: z.number(),
    }),
  ),
  unreachableUserIds: z.array(z.string()),
});

export const simulateResponse = z.object({
  at: z.string(),
  integration: z.object({ id: z.string(), name: z.string() }),
  alerts: z.array(
    z.object({
      dedupKey: z.string(),
      title: z.string(),
      status: z.string(),
      action: z.enum(['created', 'deduplicated', 'resolved', 'ignored']),
      teamIds: z.array(z.string()),
      suppressedBy: z.object({ kind: z.string(), id: z.string(), sourceAlertId: z.string().optional() }).nullable(),
      entries: z.array(traceEntrySchema),
      levels: z.array(levelSchema),
    }),
  ),
});
