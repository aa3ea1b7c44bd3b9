import { z } from 'zod';
import { DELIVERY_STATUSES } from '../../core/deliveries.js';
import type { WebhookDeliveryRow } from '../../db/schema/index.js';
import { pageQuerySchema } from '../../lib/pagination.js';
import { parsedPayload } from './stored-payload.js';

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
  payload: z
    .unknown()
    .describe('Accepted deliveries: the parsed body (or {truncated, sizeBytes} when it was cut). Null when rejected'),
  payloadText: z
    .string()
    .nullable()
    .describe(
      'The body as it arrived, keys in the order sent (up to 64 KiB; 4 KiB before the sender was authenticated), ' +
        "the integration's secrets redacted; kept for rejected deliveries too. Null when none was kept",
    ),
  payloadTruncatedFrom: z
    .number()
    .int()
    .nullable()
    .describe('Set when payloadText is only the first part of the body: the size received, in bytes'),
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
  return {
    ...row,
    receivedAt: row.receivedAt.toISOString(),
    payload: parsedPayload(row),
    payloadText: row.payload,
  };
}
