import type { Database } from '../../db/client.js';
import type { HeartbeatRow, IntegrationRow } from '../../db/schema/index.js';
import type { AlertIngestService } from '../alerts/alert-ingest.service.js';
import type { IntegrationsRepository } from '../integrations/integrations.repository.js';
import { heartbeatDelivery, missedHeartbeatAlert, recoveredHeartbeatEvent } from './heartbeat-alert.js';
import type { HeartbeatsRepository } from './heartbeats.repository.js';

const SWEEP_BATCH = 100;
/** A claim not turned into an alert by then belongs to a process that died: another one finishes it. */
const STALLED_CLAIM_MS = 60_000;
/** Timers further out than this are capped, so a clock jump or a missed notice costs at most this. */
const DEFAULT_SWEEP_INTERVAL_MS = 15_000;
/** A deadline already past (claimed by a slower process) is looked at again no sooner than this. */
const MIN_DELAY_MS = 100;
/** A heartbeat without an integration files its alerts under its own id (alerts have no integration FK). */
const OWN_DEDUP_WINDOW_MINUTES = 1440;

/**
 * The integration the heartbeat's alerts go through: its own (routing rules, then the
 * integration's default team, then the heartbeat's team), or a stand-in named after the
 * heartbeat that routes straight to the heartbeat's team.
 */
function heartbeatAlertTarget(heartbeat: HeartbeatRow, integration: IntegrationRow | undefined): IntegrationRow {
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

/**
 * Turns missed heartbeats into alerts, exactly once across processes: each sweep claims expired
 * heartbeats with a conditional UPDATE (only one process's UPDATE finds the row still `up`), then
 * sends the missed alert through the ordinary ingest path (dedup, routing, incident, paging).
 *
 * Sweeps run at start (a heartbeat that expired while Klaxon was down fires at once), every
 * `sweepIntervalMs` (deadlines set by other processes), and on a timer for the nearest deadline.
 */
export function createHeartbeatMonitor(deps: {
  db: Database;
  repository: HeartbeatsRepository;
  integrationsRepository: Pick<IntegrationsRepository, 'findById'>;
  alertIngestService: Pick<AlertIngestService, 'ingest'>;
  sweepIntervalMs?: number;
  log?: Pick<Console, 'error'>;
  now?: () => Date;
}) {
  const { db, repository, alertIngestService } = deps;
  const now = deps.now ?? (() => new Date());
  const sweepIntervalMs = deps.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
  let running = false;
  let timer: NodeJS.Timeout | undefined;
  let timerAt = Number.POSITIVE_INFINITY;
  let sweeping: Promise<void> | undefined;

  async function send(heartbeat: HeartbeatRow, event: 'missed' | 'recovered') {
    const integration =
      heartbeat.integrationId === null
        ? undefined
        : await deps.integrationsRepository.findById(db, heartbeat.integrationId);
    const target = heartbeatAlertTarget(heartbeat, integration);
    const alert = event === 'missed' ? missedHeartbeatAlert(heartbeat) : recoveredHeartbeatEvent(heartbeat);
    const [result] = await alertIngestService.ingest(
      target,
      [alert],
      heartbeatDelivery(target, heartbeat, event, now()),
      performance.now(),
    );
    return result;
  }

  /** Opens the alert of a claimed heartbeat; resolves it again if a ping came in meanwhile. */
  async function openAlert(claimed: HeartbeatRow) {
    const result = await send(claimed, 'missed');
    if (!(await repository.markDown(db, claimed.id, result?.id ?? null, now()))) {
      const current = await repository.findById(db, claimed.id);
      if (current !== undefined) await send(current, 'recovered');
    }
  }

  async function sweepOnce(): Promise<void> {
    const at = now();
    for (const id of await repository.listExpired(db, at, SWEEP_BATCH)) {
      const claimed = await repository.claimExpired(db, id, at);
      if (claimed !== undefined) await openAlert(claimed);
    }
    const stalledBefore = new Date(at.getTime() - STALLED_CLAIM_MS);
    for (const id of await repository.listStalledClaims(db, stalledBefore, SWEEP_BATCH)) {
      // Dedup makes a repeated missed event join the alert the dead process may have stored.
      const reclaimed = await repository.reclaimStalled(db, id, stalledBefore, at);
      if (reclaimed !== undefined) await openAlert(reclaimed);
    }
  }

  /** Claims and alerts every expired heartbeat, then sets the timer for the nearest deadline. */
  async function sweepAndSchedule(): Promise<void> {
    try {
      await sweepOnce();
      const nearest = await repository.nearestDeadline(db);
      schedule(nearest === null ? now().getTime() + sweepIntervalMs : nearest.getTime());
    } finally {
      // After a failure (database away) the periodic sweep still comes.
      schedule(now().getTime() + sweepIntervalMs);
    }
  }

  function schedule(at: number) {
    if (!running || at >= timerAt) return;
    clearTimeout(timer);
    timerAt = at;
    const delay = Math.min(Math.max(MIN_DELAY_MS, at - now().getTime()), sweepIntervalMs);
    timer = setTimeout(() => {
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
      void monitor.sweep().catch((error: unknown) => deps.log?.error({ err: error }, 'heartbeat sweep failed'));
    }, delay);
    timer.unref?.();
  }

  const monitor = {
    sweep(): Promise<void> {
      // One sweep at a time in a process: a timer firing mid-sweep runs after it.
      const next = (sweeping ?? Promise.resolve()).catch(() => {}).then(sweepAndSchedule);
      sweeping = next;
      return next.finally(() => {
        if (sweeping === next) sweeping = undefined;
      });
    },

    /** A deadline set in this process (ping, create, update): wake up for it if it is the nearest. */
    deadlineChanged(deadline: Date) {
      schedule(deadline.getTime());
    },

    /** Sends the resolve event of a heartbeat that was missed and has just been pinged. */
    recovered: (heartbeat: HeartbeatRow) => send(heartbeat, 'recovered'),

    async start() {
      running = true;
      await monitor.sweep().catch((error: unknown) => deps.log?.error({ err: error }, 'heartbeat sweep failed'));
    },

    stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      timerAt = Number.POSITIVE_INFINITY;
    },
  };
  return monitor;
}

export type HeartbeatMonitor = ReturnType<typeof createHeartbeatMonitor>;
