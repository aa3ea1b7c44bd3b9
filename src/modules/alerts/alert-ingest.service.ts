import type { Database, Executor, Transaction } from '../../db/client.js';
import { isRetryableConflict } from '../../db/client.js';
import type { IntegrationRow, OccurrenceKind, WebhookDeliveryRow } from '../../db/schema/index.js';
import type { DeliveriesRepository } from '../deliveries/deliveries.repository.js';
import type { AfterCommit, AlertChange, IncidentsService } from '../incidents/incidents.service.js';
import type { AlertsRepository } from './alerts.repository.js';
import type { NormalizedAlert } from './normalized-alert.js';

export type IngestAction = 'created' | 'deduplicated' | 'resolved' | 'ignored';

export interface IngestedAlert {
  id: string | null;
  dedupKey: string;
  action: IngestAction;
}

/** The delivery as the webhook path saw it; the ingest fills in status, alert ids and timing. */
export type DeliveryRecord = Omit<WebhookDeliveryRow, 'status' | 'alertIds' | 'processingMs'>;

/**
 * Chooses the teams a firing alert is routed to. It runs inside the ingest transaction and is
 * given it, so its reads see the same snapshot and (on PGlite's single connection) do not wait on it.
 */
export type AlertRouter = (
  integration: IntegrationRow,
  alert: NormalizedAlert,
  executor: Executor,
) => Promise<string[]> | string[];

export class DuplicateDeliveryError extends Error {
  override name = 'DuplicateDeliveryError';
}

const MAX_ATTEMPTS = 3;

export function createAlertIngestService(deps: {
  db: Database;
  alertsRepository: AlertsRepository;
  deliveriesRepository: DeliveriesRepository;
  route?: AlertRouter;
  /**
   * New firing alerts open or join incidents, and acknowledgements and resolutions from the sender
   * carry over to them, inside the ingest transaction: the 202 means the incident exists too.
   */
  incidents?: Pick<IncidentsService, 'alertsChanged'>;
  now?: () => Date;
}) {
  const { db, alertsRepository, deliveriesRepository } = deps;
  const route: AlertRouter = deps.route ?? (() => []);
  const now = deps.now ?? (() => new Date());

  async function applyOne(
    tx: Transaction,
    integration: IntegrationRow,
    alert: NormalizedAlert,
    at: Date,
  ): Promise<{ id: string | null; action: IngestAction; kind: OccurrenceKind }> {
    if (alert.status === 'firing') {
      const teamIds = await route(integration, alert, tx);
      const target = {
        integrationId: integration.id,
        integrationName: integration.name,
        windowMinutes: integration.deduplicationWindowMinutes,
      };
      const { id, created } = await alertsRepository.upsertFiring(tx, target, alert, teamIds, at);
      const action = created ? 'created' : 'deduplicated';
      return { id, action, kind: action };
    }
    const id = await alertsRepository.transitionOpen(tx, integration.id, alert.dedupKey, alert.status, at);
    if (id === undefined) return { id: null, action: 'ignored', kind: 'ignored' };
    return alert.status === 'resolved'
      ? { id, action: 'resolved', kind: 'resolved' }
      : { id, action: 'deduplicated', kind: 'acknowledged' };
  }

  async function ingestOnce(
    integration: IntegrationRow,
    normalized: NormalizedAlert[],
    delivery: DeliveryRecord,
    startedAt: number,
  ): Promise<{ results: IngestedAlert[]; afterCommit: AfterCommit | undefined }> {
    return db.transaction(async (tx) => {
      const at = now();
      // Lock order by dedup key, so two requests touching the same keys cannot deadlock.
      const order = normalized
        .map((_, index) => index)
        .sort((a, b) => {
          const left = normalized[a]?.dedupKey ?? '';
          const right = normalized[b]?.dedupKey ?? '';
          return left < right ? -1 : left > right ? 1 : a - b;
        });
      const results: IngestedAlert[] = new Array(normalized.length);
      const occurrences: Parameters<AlertsRepository['insertOccurrences']>[1] = [];
      const changes: AlertChange[] = [];
      for (const index of order) {
        const alert = normalized[index] as NormalizedAlert;
        const outcome = await applyOne(tx, integration, alert, at);
        results[index] = { id: outcome.id, dedupKey: alert.dedupKey, action: outcome.action };
        if (outcome.id !== null) {
          occurrences.push({
            alertId: outcome.id,
            deliveryId: delivery.id,
            userId: null,
            kind: outcome.kind,
            occurredAt: at,
          });
          if (outcome.kind === 'created' || outcome.kind === 'acknowledged' || outcome.kind === 'resolved') {
            changes.push({ alertId: outcome.id, change: outcome.kind });
          }
        }
      }
      await alertsRepository.insertOccurrences(tx, occurrences);
      const alertIds = [...new Set(results.flatMap((r) => (r.id === null ? [] : [r.id])))];
      const inserted = await deliveriesRepository.insert(tx, {
        ...delivery,
        status: 'accepted',
        alertIds,
        processingMs: Math.round(performance.now() - startedAt),
      });
      // A concurrent request with the same webhook-id committed first: undo ours.
      if (!inserted) throw new DuplicateDeliveryError();
      const afterCommit = changes.length > 0 ? await deps.incidents?.alertsChanged(tx, changes, at, null) : undefined;
      return { results, afterCommit };
    });
  }

  return {
    /**
     * Applies the alerts and records the accepted delivery in one transaction: when this
     * returns, both are committed (the 202 may go out). Deadlocks are retried.
     */
    async ingest(
      integration: IntegrationRow,
      normalized: NormalizedAlert[],
      delivery: DeliveryRecord,
      startedAt: number,
    ): Promise<IngestedAlert[]> {
      for (let attempt = 1; ; attempt++) {
        try {
          const { results, afterCommit } = await ingestOnce(integration, normalized, delivery, startedAt);
          await afterCommit?.();
          return results;
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
        }
      }
    },

    async recordRejected(delivery: DeliveryRecord, httpStatus: number, reason: string, startedAt: number) {
      await deliveriesRepository.insert(db, {
        ...delivery,
        payload: null,
        webhookId: null,
        status: 'rejected',
        httpStatus,
        reason,
        alertIds: [],
        processingMs: Math.round(performance.now() - startedAt),
      });
    },

    findAcceptedByWebhookId(integrationId: string, webhookId: string) {
      return deliveriesRepository.findAcceptedByWebhookId(db, integrationId, webhookId);
    },
  };
}

export type AlertIngestService = ReturnType<typeof createAlertIngestService>;
