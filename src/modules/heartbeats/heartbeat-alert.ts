import type { AlertSeverity } from '../../core/alerts.js';
import type { DeliveryRecord } from '../../core/deliveries.js';
import { uuidv7 } from '../../lib/ids.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';

/** What the alert of a heartbeat reads of it (the stored row carries more). */
export interface Heartbeat {
  id: string;
  name: string;
  intervalSeconds: number;
  graceSeconds: number;
  severity: AlertSeverity;
  lastPingAt: Date | null;
  missedAt: Date | null;
}

/** One open missed-heartbeat alert per heartbeat: the ingest's dedup key. */
export const heartbeatDedupKey = (heartbeat: Pick<Heartbeat, 'id'>) => `heartbeat:${heartbeat.id}`;

/** The event a missed heartbeat sends through the ingest path, as a sender's alert would arrive. */
export function missedHeartbeatAlert(heartbeat: Heartbeat): NormalizedAlert {
  const since = heartbeat.lastPingAt === null ? 'it was created' : `${heartbeat.lastPingAt.toISOString()}`;
  return {
    dedupKey: heartbeatDedupKey(heartbeat),
    title: `Heartbeat "${heartbeat.name}" missed`,
    description:
      `No ping since ${since}; one was expected every ${heartbeat.intervalSeconds} s ` +
      `(grace ${heartbeat.graceSeconds} s). It resolves with the next ping.`,
    severity: heartbeat.severity,
    status: 'firing',
    source: 'klaxon-heartbeat',
    labels: { heartbeat: heartbeat.name, heartbeat_id: heartbeat.id },
    links: [],
    occurredAt: heartbeat.missedAt,
  };
}

export function recoveredHeartbeatEvent(heartbeat: Heartbeat): NormalizedAlert {
  return { ...missedHeartbeatAlert(heartbeat), status: 'resolved', occurredAt: heartbeat.lastPingAt };
}

/** The delivery record of a heartbeat event: the delivery log shows what Klaxon itself sent. */
export function heartbeatDelivery(
  target: { id: string; name: string },
  heartbeat: Heartbeat,
  event: 'missed' | 'recovered',
  at: Date,
): DeliveryRecord {
  const payload = JSON.stringify({
    heartbeat: { id: heartbeat.id, name: heartbeat.name },
    event,
    missedAt: heartbeat.missedAt?.toISOString() ?? null,
    lastPingAt: heartbeat.lastPingAt?.toISOString() ?? null,
  });
  return {
    id: uuidv7(),
    integrationId: target.id,
    integrationName: target.name,
    receivedAt: at,
    httpStatus: 202,
    reason: `heartbeat ${event}`,
    payload,
    payloadTruncatedFrom: null,
    headers: {},
    sourceIp: null,
    userAgent: 'klaxon-heartbeat',
    webhookId: null,
  };
}
