import { z } from 'zod';
import { AUDIT_SEVERITIES } from '../../core/audit.js';
import type { AuditLogRow } from '../../db/schema/index.js';
import { pageQuerySchema } from '../../lib/pagination.js';

export const auditQuery = z.strictObject({
  action: z.string().max(100).optional(),
  resourceType: z.string().max(100).optional(),
  resourceId: z.string().max(200).optional(),
  userId: z.uuid().optional(),
  ...pageQuerySchema,
});

export const auditEntrySchema = z.object({
  id: z.uuid(),
  action: z.string(),
  userId: z.string().nullable(),
  resourceType: z.string(),
  resourceId: z.string().nullable(),
  severity: z.enum(AUDIT_SEVERITIES),
  metadata: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
});

export const auditPageSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextCursor: z.string().nullable(),
  names: z
    .record(z.string(), z.string())
    .describe('Display names of the people, teams, integrations, schedules and policies the entries mention, by id'),
});

export const auditFilterChoicesSchema = z.object({
  actions: z.array(z.string()),
  resourceTypes: z.array(z.string()),
  actors: z.array(z.object({ id: z.uuid(), email: z.string(), name: z.string().nullable() })),
});

export function toAuditEntryDto(row: AuditLogRow): z.infer<typeof auditEntrySchema> {
  return { ...row, createdAt: row.createdAt.toISOString() };
}
