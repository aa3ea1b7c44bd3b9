import type { OccurrenceKind } from '../../core/alerts.js';
import type { DeliveryRecord } from '../../core/deliveries.js';
import type { Database, Executor, Transaction } from '../../db/client.js';
import { isRetryableConflict } from '../../db/client.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import type { DeliveriesRepository, NewOccurrence } from '../deliveries/deliveries.repository.js';
import type { AfterCommit, AlertChange, IncidentsService } from '../incidents/incidents.service.js';
import { type NewAlertDecision, recordAlertDecisions } from '../trace/alert-decisions.repository.js';
import type { AlertsRepository, IngestTarget } from './alerts.repository.js';
import { createIngestBatcher } from './ingest-batcher.js';
import type { NormalizedAlert } from './normalized-alert.js';

export type IngestAction = 'created' | 'deduplicated' | 'resolved' | 'ignored';

export interface IngestedAlert {
  id: string | null;
  dedupKey: string;
  action: IngestAction;
}

/**
 * Chooses the teams a firing alert is routed to. It runs inside the ingest transaction and is
 * given it, so its reads see the same snapshot and (on PGlite's single connection) do not wait on it.
 * What it reads is reused for the rest of one batch: `batch` names that batch (default: the
 * executor, which is a new object per transaction but the same database handle every time).
 */
export type AlertRouter = (
  integration: IntegrationRow,
  alert: NormalizedAlert,
  executor: Executor,
  batch?: object,
) => Promise<RouteOutcome> | RouteOutcome;

/** The teams an alert reached, and why: the rules that matched, or the integration's default team. */
export interface RouteOutcome {
  teamIds: string[];
  ruleIds: string[];
  defaultTeamUsed: boolean;
}

const UNROUTED: RouteOutcome = { teamIds: [], ruleIds: [], defaultTeamUsed: false };

/** The routing decision as the trace shows it. */
export function routingDecision(alertId: string, outcome: RouteOutcome, at: Date): NewAlertDecision {
  if (outcome.teamIds.length === 0) {
    return { alertId, kind: 'unrouted', message: 'No routing rule matched and no default team: no incident', at };
  }
  return {
    alertId,
    kind: 'routed',
    message: outcome.defaultTeamUsed
      ? "No routing rule matched: the integration's default team takes it"
      : `Routed by ${outcome.ruleIds.length} rule(s) to ${outcome.teamIds.length} team(s)`,
    refs: { ruleIds: outcome.ruleIds, teamIds: outcome.teamIds },
    at,
  };
}

/**
 * Looks at a request's normalized alerts before they are written: returns each alert to store
 * (possibly changed) or null for one it consumed (a watchdog ping, an alert an event rule
 * drops), which is answered `ignored` and stored nowhere but in the delivery record.
 */
export type AlertScreen = (
  integration: IntegrationRow,
  alerts: NormalizedAlert[],
  at: Date,
  /** The sender's parsed body (templates of event rules read it). */
  payload: unknown,
) => Promise<Array<NormalizedAlert | null>>;

export class DuplicateDeliveryError extends Error {
  override name = 'DuplicateDeliveryError';
}

const MAX_ATTEMPTS = 3;
/** A batch stops growing at this many alerts, so one transaction stays short. */
const MAX_ALERTS_PER_BATCH = 500;

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
  /** Screens run in order on every request's alerts (watchdog heartbeats, event rules). */
  screens?: AlertScreen[];
  now?: () => Date;
}) {
  const { db, alertsRepository, deliveriesRepository } = deps;
  const route: AlertRouter = deps.route ?? (() => UNROUTED);
  const now = deps.now ?? (() => new Date());

  async function applyOne(
    tx: Transaction,
    integration: IntegrationRow,
    alert: NormalizedAlert,
    at: Date,
  ): Promise<{ id: string | null; action: IngestAction; kind: OccurrenceKind; routed?: RouteOutcome }> {
    if (alert.status === 'firing') {
      const routed = await route(integration, alert, tx);
      const target = {
        integrationId: integration.id,
        integrationName: integration.name,
        windowMinutes: integration.deduplicationWindowMinutes,
      };
      const { id, created } = await alertsRepository.upsertFiring(tx, target, alert, routed.teamIds, at);
      const action = created ? 'created' : 'deduplicated';
      return { id, action, kind: action, routed };
    }
    const id = await alertsRepository.transitionOpen(tx, integration.id, alert.dedupKey, alert.status, at);
    if (id === undefined) return { id: null, action: 'ignored', kind: 'ignored' };
    return alert.status === 'resolved'
      ? { id, action: 'resolved', kind: 'resolved' }
      : { id, action: 'deduplicated', kind: 'acknowledged' };
  }

  interface PendingIngest {
    integration: IntegrationRow;
    normalized: NormalizedAlert[];
    delivery: DeliveryRecord;
    startedAt: number;
  }

  interface WrittenBatch {
    results: IngestedAlert[][];
    afterCommit: AfterCommit | undefined;
  }

  interface KeyedEvent {
    request: number;
    index: number;
    alert: NormalizedAlert;
  }

  /** The events of one batch that share an integration and a dedup key, in arrival order. */
  interface KeyGroup {
    integration: IntegrationRow;
    /** The first event's alert: what a new alert is opened from. */
    alert: NormalizedAlert;
    events: KeyedEvent[];
    firingOnly: boolean;
  }

  /** A batch grouped by key once, for whichever write path takes it. */
  interface GroupedBatch {
    /** Sorted by key: every write locks alert rows in the same order, so none deadlock. */
    groups: KeyGroup[];
    /** The group index of each request's alerts (`groupOf[request][index]`). */
    groupOf: number[][];
  }

  function groupByKey(batch: PendingIngest[]): GroupedBatch {
    const byKey = new Map<string, KeyGroup>();
    batch.forEach(({ integration, normalized }, request) => {
      normalized.forEach((alert, index) => {
        const key = `${integration.id}\u0000${alert.dedupKey}`;
        const group = byKey.get(key);
        const event = { request, index, alert };
        if (group === undefined)
          byKey.set(key, { integration, alert, events: [event], firingOnly: alert.status === 'firing' });
        else {
          group.events.push(event);
          group.firingOnly &&= alert.status === 'firing';
        }
      });
    });
    const groups = [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, group]) => group);
    const groupOf = batch.map(({ normalized }) => new Array<number>(normalized.length));
    groups.forEach((group, row) => {
      for (const { request, index } of group.events) (groupOf[request] as number[])[index] = row;
    });
    return { groups, groupOf };
  }

  function ingestTarget(integration: IntegrationRow): IngestTarget {
    return {
      integrationId: integration.id,
      integrationName: integration.name,
      windowMinutes: integration.deduplicationWindowMinutes,
    };
  }

  /**
   * Applies the alerts of several requests and records their accepted deliveries in one
   * transaction. Keys whose events are all `firing` (the common case) go through multi-row
   * statements, with repeats of a key inside the batch folded into one row; keys that also
   * carry resolve or acknowledge events are applied event by event, in arrival order.
   */
  async function writeBatchInTransaction(batch: PendingIngest[], { groups }: GroupedBatch): Promise<WrittenBatch> {
    return db.transaction(async (tx) => {
      const at = now();
      const results: IngestedAlert[][] = batch.map(({ normalized }) => new Array(normalized.length));
      const occurrences: NewOccurrence[] = [];
      const changes: AlertChange[] = [];
      const decisions: NewAlertDecision[] = [];
      // New alerts that reached no team, or that an event rule suppressed, open no incident.
      const unrouted = new Set<string>();
      const record = (event: KeyedEvent, id: string | null, action: IngestAction, kind: OccurrenceKind) => {
        (results[event.request] as IngestedAlert[])[event.index] = { id, dedupKey: event.alert.dedupKey, action };
        const deliveryId = (batch[event.request] as PendingIngest).delivery.id;
        if (id === null) return;
        occurrences.push({ alertId: id, deliveryId, userId: null, kind, occurredAt: at });
        if (kind === 'created' && unrouted.has(id)) return;
        if (kind === 'created' || kind === 'acknowledged' || kind === 'resolved')
          changes.push({ alertId: id, change: kind });
      };

      const firingOnly = groups.filter((group) => group.firingOnly);
      const routed: RouteOutcome[] = [];
      for (const { integration, alert } of firingOnly) routed.push(await route(integration, alert, tx));
      const upserted = await alertsRepository.upsertFiringMany(
        tx,
        firingOnly.map(({ integration, alert, events }, row) => ({
          target: ingestTarget(integration),
          alert,
          count: events.length,
          teamIds: (routed[row] as RouteOutcome).teamIds,
        })),
        at,
      );
      firingOnly.forEach(({ alert, events }, row) => {
        const { id, created } = upserted[row] as { id: string; created: boolean };
        const outcome = routed[row] as RouteOutcome;
        if (outcome.teamIds.length === 0 || alert.suppressed === true) unrouted.add(id);
        if (created) decisions.push(routingDecision(id, outcome, at));
        events.forEach((event, position) => {
          const action = position === 0 && created ? 'created' : 'deduplicated';
          record(event, id, action, action);
        });
      });
      for (const { integration, events, firingOnly: onlyFiring } of groups) {
        if (onlyFiring) continue;
        for (const event of events) {
          const outcome = await applyOne(tx, integration, event.alert, at);
          if (event.alert.suppressed === true && outcome.id !== null) unrouted.add(outcome.id);
          record(event, outcome.id, outcome.action, outcome.kind);
          if (outcome.action === 'created' && outcome.id !== null && outcome.routed !== undefined) {
            decisions.push(routingDecision(outcome.id, outcome.routed, at));
          }
        }
      }

      const deliveries = batch.map(({ delivery, startedAt }, request) => ({
        ...delivery,
        status: 'accepted' as const,
        alertIds: [...new Set((results[request] as IngestedAlert[]).flatMap((r) => (r.id === null ? [] : [r.id])))],
        processingMs: Math.round(performance.now() - startedAt),
      }));
      // Fewer rows than requests: a concurrent request with the same webhook-id committed first.
      if ((await deliveriesRepository.insertManyWithOccurrences(tx, deliveries, occurrences)) < deliveries.length) {
        throw new DuplicateDeliveryError();
      }
      await recordAlertDecisions(tx, decisions);
      const afterCommit = changes.length > 0 ? await deps.incidents?.alertsChanged(tx, changes, at, null) : undefined;
      return { results, afterCommit };
    });
  }

  /**
   * The common batch — every event `firing`, no Standard Webhooks id, no new alert that could
   * open an incident (none routed to a team) — in one statement (upsertFiringBatch): no
   * BEGIN/COMMIT round trips nor transaction set-up, which were a tenth of the ingest's CPU. The
   * rest, and batches where a key's open alert went stale, go through writeBatchInTransaction.
   */
  async function writeBatch(batch: PendingIngest[], grouped: GroupedBatch): Promise<WrittenBatch> {
    const written = await writeBatchInOneStatement(batch, grouped);
    return written ?? writeBatchInTransaction(batch, grouped);
  }

  async function writeBatchInOneStatement(
    batch: PendingIngest[],
    { groups, groupOf }: GroupedBatch,
  ): Promise<WrittenBatch | undefined> {
    if (batch.some(({ delivery }) => delivery.webhookId !== null)) return undefined;
    if (groups.some((group) => !group.firingOnly)) return undefined;
    const rows: Parameters<AlertsRepository['upsertFiringBatch']>[1] = [];
    // Outside a transaction the executor is the long-lived database handle: the router is given
    // this batch's own key, or it would keep the rules it read for the first batch forever.
    const thisBatch = {};
    for (const { integration, alert, events } of groups) {
      const { teamIds } = await route(integration, alert, db, thisBatch);
      // A new alert routed to a team opens or joins an incident in the same transaction.
      if (teamIds.length > 0 && deps.incidents !== undefined && alert.suppressed !== true) return undefined;
      rows.push({ target: ingestTarget(integration), alert, count: events.length, teamIds });
    }
    const at = now();
    const seen = new Set<number>();
    // In arrival order (request, then alert within it): a delivery's alert ids keep its alerts' order.
    const events = batch.flatMap(({ delivery }, request) =>
      (groupOf[request] as number[]).map((row) => {
        const first = !seen.has(row);
        seen.add(row);
        return { row, deliveryId: delivery.id, first };
      }),
    );
    const deliveries = batch.map(({ delivery, startedAt }) => ({
      ...delivery,
      processingMs: Math.round(performance.now() - startedAt),
    }));
    const upserted = await alertsRepository.upsertFiringBatch(db, rows, events, deliveries, at);
    if (upserted === undefined) return undefined;
    const results: IngestedAlert[][] = batch.map(({ normalized }) => new Array(normalized.length));
    groups.forEach((group, row) => {
      const { id, created } = upserted[row] as { id: string; created: boolean };
      group.events.forEach((event, position) => {
        (results[event.request] as IngestedAlert[])[event.index] = {
          id,
          dedupKey: event.alert.dedupKey,
          action: position === 0 && created ? 'created' : 'deduplicated',
        };
      });
    });
    return { results, afterCommit: undefined };
  }

  /**
   * writeBatch, retried when PostgreSQL picks it as a deadlock or serialization victim; after
   * the commit it wakes the incident engine. That wake-up is not part of what the 202 promises:
   * the incident rows are committed and the engine's sweep finds any step a lost wake-up missed.
   */
  async function writeWithRetry(batch: PendingIngest[]): Promise<IngestedAlert[][]> {
    const grouped = groupByKey(batch);
    for (let attempt = 1; ; attempt++) {
      try {
        const { results, afterCommit } = await writeBatch(batch, grouped);
        await afterCommit?.().catch(() => {});
        return results;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryableConflict(error)) throw error;
      }
    }
  }

  const batcher = createIngestBatcher<PendingIngest, IngestedAlert[]>({
    maxBatchWeight: MAX_ALERTS_PER_BATCH,
    weigh: (pending) => pending.normalized.length,
    writeBatch: writeWithRetry,
  });

  return {
    /**
     * Applies the alerts and records the accepted delivery in one transaction (shared with
     * other requests arriving at the same time): when this returns, both are committed and
     * the 202 may go out.
     */
    async ingest(
      integration: IntegrationRow,
      normalized: NormalizedAlert[],
      delivery: DeliveryRecord,
      startedAt: number,
      /** The parsed body, when the delivery log keeps only a size note of it. */
      payload: unknown = delivery.payload,
    ): Promise<IngestedAlert[]> {
      let screened: Array<NormalizedAlert | null> = normalized;
      for (const screen of deps.screens ?? []) {
        const kept = screened.filter((alert): alert is NormalizedAlert => alert !== null);
        const verdicts = await screen(integration, kept, now(), payload);
        let next = 0;
        screened = screened.map((alert) => (alert === null ? null : (verdicts[next++] ?? null)));
      }
      const kept = screened.filter((alert): alert is NormalizedAlert => alert !== null);
      const pending = { integration, normalized: kept, delivery, startedAt };
      // A Standard Webhooks delivery may be a replay that must roll back alone: it is never batched.
      const written =
        delivery.webhookId !== null
          ? ((await writeWithRetry([pending]))[0] as IngestedAlert[])
          : await batcher.submit(pending);
      if (kept.length === normalized.length) return written;
      let next = 0;
      return screened.map((alert, index) =>
        alert === null
          ? { id: null, dedupKey: (normalized[index] as NormalizedAlert).dedupKey, action: 'ignored' as const }
          : (written[next++] as IngestedAlert),
      );
    },

    /** Records a rejected request; the caller decides what of its body `delivery` keeps. */
    async recordRejected(delivery: DeliveryRecord, httpStatus: number, reason: string, startedAt: number) {
      await deliveriesRepository.insert(db, {
        ...delivery,
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
