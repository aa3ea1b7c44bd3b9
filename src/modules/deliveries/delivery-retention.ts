import type { FastifyBaseLogger } from 'fastify';
import type { DeliveriesService } from './deliveries.service.js';

const HOUR_MS = 3_600_000;

/**
 * Prunes deliveries older than the retention period in the background: shortly after start,
 * then hourly. With several processes each prunes; the deletes are idempotent and batched.
 */
export function startDeliveryRetention(options: {
  deliveriesService: Pick<DeliveriesService, 'prune'>;
  retentionDays: number;
  log: FastifyBaseLogger;
  intervalMs?: number;
}): () => void {
  const { deliveriesService, retentionDays, log } = options;
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const deleted = await deliveriesService.prune(retentionDays);
      if (deleted > 0) log.info({ deleted, retentionDays }, 'pruned old webhook deliveries');
    } catch (error) {
      log.warn({ err: error }, 'pruning webhook deliveries failed; will retry');
    } finally {
      running = false;
    }
  };
  const first = setTimeout(run, 30_000);
  const timer = setInterval(run, options.intervalMs ?? HOUR_MS);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
