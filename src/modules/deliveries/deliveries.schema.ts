import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../core/deliveries.js';
import type { WebhookDeliveryRow } from '../../db/schema/index.js';
import { pageQuerySchema } from '../../lib/pagination.js';

export const deliveriesQuery = z.strictObject({
  status: z.enum(DELIVERY_STATUSES).optional(),
  ...pageQuerySchema,
});

export const deliverySchema = z.object({
  id: z.uuid(),
  integrationId: z.uuid(),
  integrationName: z.string(),
  receivedAt: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  httpStatus: z.number().int(),
  reason: z.string().nullable(),
  alertIds: z.array(z.uuid()),
  payload: z.unknown(),
  headers: z.record(z.string(), z.string()),
  sourceIp: z.string().nullable(),
  userAgent: z.string().nullable(),
  processingMs: z.number().int().nullable(),
  webhookId: z.string().nullable(),
});

export const deliveriesPageSchema = z.object({
  deliveries: z.array(deliverySchema),
  nextCursor: z.string().nullable(),
});

export function toDeliveryDto(row: WebhookDeliveryRow): z.infer<typeof deliverySchema> {
  return { ...row, receivedAt: row.receivedAt.toISOString() };
}
