import { z } from 'zod';
import { ALERT_SEVERITIES, ALERT_STATUSES, OCCURRENCE_KINDS } from '../../core/alerts.js';
import { INCIDENT_STATUSES } from '../../core/incidents.js';
import type { AlertOccurrenceRow, AlertRow, WebhookDeliveryRow } from '../../db/schema/index.js';
import { pageQuerySchema } from '../../lib/pagination.js';
import { parsedPayload } from '../deliveries/stored-payload.js';

export const alertsQuery = z.strictObject({
  status: z.enum(ALERT_STATUSES).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  integrationId: z.uuid().optional(),
  teamId: z.uuid().optional(),
  ...pageQuerySchema,
});

export const alertIdParams = z.object({ id: z.uuid() });

export const alertSchema = z.object({
  id: z.uuid(),
  integrationId: z.uuid(),
  integrationName: z.string(),
  dedupKey: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  severity: z.enum(ALERT_SEVERITIES),
  status: z.enum(ALERT_STATUSES),
  source: z.string().nullable(),
  labels: z.record(z.string(), z.string()),
  links: z.array(z.object({ href: z.string(), text: z.string().optional() })),
  occurrenceCount: z.number().int(),
  firstSeenAt: z.string(),
  lastSeenAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  acknowledgedBy: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  resolvedBy: z.string().nullable(),
  teamId: z.string().nullable(),
  teamIds: z.array(z.string()),
  /** What kept the alert from opening an incident: a silence, maintenance window or inhibition. */
  suppressedBy: z
    .object({
      kind: z.enum(['silence', 'maintenance', 'inhibition']),
      id: z.string(),
      sourceAlertId: z.string().optional(),
    })
    .nullable(),
});

export const occurrenceSchema = z.object({
  id: z.uuid(),
  kind: z.enum(OCCURRENCE_KINDS),
  occurredAt: z.string(),
  deliveryId: z.string().nullable(),
  userId: z.string().nullable(),
});

export const alertWithHistorySchema = alertSchema.extend({
  occurrences: z.array(occurrenceSchema),
  /** The incidents this alert belongs to, among those the viewer may see. */
  incidents: z.array(
    z.object({
      id: z.uuid(),
      number: z.number().int(),
      title: z.string(),
      status: z.enum(INCIDENT_STATUSES),
      teamId: z.uuid(),
    }),
  ),
  /** Names of the teams in `teamIds` that the viewer may see. */
  teams: z.array(z.object({ id: z.uuid(), name: z.string() })),
  /** The request body of the latest delivery that touched the alert, as stored; null when none was kept. */
  payload: z
    .object({
      deliveryId: z.uuid(),
      receivedAt: z.string(),
      body: z.unknown().describe('The parsed body (or {truncated, sizeBytes} when only its first part was kept)'),
      text: z.string().describe('The body as it arrived, keys in the order sent, secrets redacted'),
      truncatedFrom: z
        .number()
        .int()
        .nullable()
        .describe('Set when text is only the first part of the body: the size received, in bytes'),
    })
    .nullable(),
});
export const alertsPageSchema = z.object({ alerts: z.array(alertSchema), nextCursor: z.string().nullable() });

export function toAlertDto(row: AlertRow): z.infer<typeof alertSchema> {
  return {
    ...row,
    links: row.links.map((link) =>
      link.text === undefined ? { href: link.href } : { href: link.href, text: link.text },
    ),
    firstSeenAt: row.firstSeenAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    acknowledgedAt: row.acknowledgedAt?.toISOString() ?? null,
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    teamId: row.teamIds[0] ?? null,
  };
}

export function toOccurrenceDto(row: AlertOccurrenceRow): z.infer<typeof occurrenceSchema> {
  return {
    id: row.id,
    kind: row.kind,
    occurredAt: row.occurredAt.toISOString(),
    deliveryId: row.deliveryId,
    userId: row.userId,
  };
}

/** The alert's latest kept body: as sent (`text`) and parsed (`body`). */
export function toAlertPayloadDto(
  delivery: Pick<WebhookDeliveryRow, 'id' | 'receivedAt' | 'status' | 'payload' | 'payloadTruncatedFrom'>,
): NonNullable<z.infer<typeof alertWithHistorySchema>['payload']> {
  return {
    deliveryId: delivery.id,
    receivedAt: delivery.receivedAt.toISOString(),
    body: parsedPayload(delivery),
    text: delivery.payload ?? '',
    truncatedFrom: delivery.payloadTruncatedFrom,
  };
}
