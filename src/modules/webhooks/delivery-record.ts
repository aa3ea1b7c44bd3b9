import type { DeliveryRecord } from '../../core/deliveries.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import { sanitizeHeaders } from './delivery-headers.js';
import type { RequestHeaders } from './signatures/types.js';

/** The delivery-log row for a request to `integration`, before its outcome is known. */
export function newDeliveryRecord(
  integration: IntegrationRow,
  request: { headers: RequestHeaders; sourceIp: string | null },
  secrets: string[],
  receivedAt: Date,
): DeliveryRecord {
  const userAgent = request.headers['user-agent'];
  return {
    id: uuidv7(),
    integrationId: integration.id,
    integrationName: integration.name,
    receivedAt,
    httpStatus: 202,
    reason: null,
    payload: null,
    payloadTruncatedFrom: null,
    headers: sanitizeHeaders(request.headers, integration.signatureHeader, { secrets }),
    sourceIp: request.sourceIp,
    userAgent: typeof userAgent === 'string' ? userAgent.slice(0, 512) : null,
    webhookId: null,
  };
}
