import secureJson from 'secure-json-parse';
import type { WebhookDeliveryRow } from '../../db/schema/index.js';

type StoredPayload = Pick<WebhookDeliveryRow, 'status' | 'payload' | 'payloadTruncatedFrom'>;

/**
 * The `payload` field of the API: the parsed body of an accepted delivery (the contract's
 * "payload only for accepted ones"), or a size note when only its first part was kept. Rejected
 * deliveries show what arrived in `payloadText` only: their bodies may not even be JSON.
 */
export function parsedPayload(row: StoredPayload): unknown {
  if (row.status !== 'accepted' || row.payload === null) return null;
  if (row.payloadTruncatedFrom !== null) return { truncated: true, sizeBytes: row.payloadTruncatedFrom };
  try {
    // The body was parsed the same way when it arrived; `__proto__` keys are dropped again.
    return secureJson.parse(row.payload, undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    return null;
  }
}
