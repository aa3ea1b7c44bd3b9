export const DELIVERY_STATUSES = ['accepted', 'rejected'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * A delivery as the ingest path records it, before its outcome (status, alert ids, processing
 * time) is known: the request that named an integration, or an event Klaxon sent itself.
 */
export interface DeliveryRecord {
  id: string;
  integrationId: string;
  integrationName: string;
  receivedAt: Date;
  httpStatus: number;
  reason: string | null;
  payload: string | null;
  payloadTruncatedFrom: number | null;
  headers: Record<string, string>;
  sourceIp: string | null;
  userAgent: string | null;
  webhookId: string | null;
}
