import type { HeartbeatRow, IntegrationRow } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import type { DeliveryRecord } from '../alerts/alert-ingest.service.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';

/** One open missed-heartbeat alert per heartbeat: the ingest's dedup key. */
export const heartbeatDedupKey = (heartbeat: Pick<HeartbeatRow, 'id'>) => `heartbeat:${heartbeat.id}`;

/** A heartbeat without an integration files its alerts under its own id (alerts have no integration FK). */
const OWN_DEDUP_WINDOW_MINUTES = 1440;

/** The event a missed heartbeat sends through the ingest path, as a sender's alert would arrive. */
export function missedHeartbeatAlert(heartbeat: HeartbeatRow): NormalizedAlert {
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

export function recoveredHeartbeatEvent(heartbeat: HeartbeatRow): NormalizedAlert {
  return { ...missedHeartbeatAlert(heartbeat), status: 'resolved', occurredAt: heartbeat.lastPingAt };
}

/**
 * The integration the heartbeat's alerts go through: its own (routing rules, then the
 * integration's default team, then the heartbeat's team), or a stand-in named after the
 * heartbeat that routes straight to the heartbeat's team.
 */
export function heartbeatAlertTarget(heartbeat: HeartbeatRow, integration: IntegrationRow | undefined): IntegrationRow {
  if (integration !== undefined) {
    return { ...integration, defaultTeamId: integration.defaultTeamId ?? heartbeat.teamId };
  }
  return {
    id: heartbeat.id,
    name: `heartbeat:${heartbeat.name}`,
    type: 'generic',
    secretCiphertext: '',
    secretHash: '',
    secretPrefix: '',
    previousSecretCiphertext: null,
    previousSecretHash: null,
    previousSecretExpiresAt: null,
    signatureScheme: 'token',
    signatureHeader: '',
    signatureAlgorithm: 'sha256',
    signatureFormat: 'hex',
    signaturePrefix: '',
    deduplicationWindowMinutes: OWN_DEDUP_WINDOW_MINUTES,
    rateLimitPerMinute: null,
    isActive: true,
    defaultTeamId: heartbeat.teamId,
    createdAt: heartbeat.createdAt,
    updatedAt: heartbeat.updatedAt,
  };
}

/** The delivery record of a heartbeat event: the delivery log shows what Klaxon itself sent. */
export function heartbeatDelivery(
  target: IntegrationRow,
  heartbeat: HeartbeatRow,
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
