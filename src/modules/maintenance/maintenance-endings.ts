import type { FastifyBaseLogger } from 'fastify';
import type { MaintenanceService } from './maintenance.service.js';

/**
 * Looks for ended maintenance windows every `intervalMs` (and at once on start, catching up on
 * endings missed while no process ran). Every job-running process sweeps; the claim row in
 * handleEndings makes each ending act exactly once.
 */
export function startMaintenanceEndings(options: {
  maintenanceService: Pick<MaintenanceService, 'handleEndings'>;
  log: Pick<FastifyBaseLogger, 'info' | 'warn'>;
  intervalMs?: number;
}): () => void {
  let running = false;
  const run = async () => {
    if (running) return;
    running = true;
    try {
      const handled = await options.maintenanceService.handleEndings();
      if (handled > 0)
        options.log.info({ handled }, 'maintenance windows ended: held alerts still firing opened incidents');
    } catch (error) {
      options.log.warn({ err: error }, 'handling ended maintenance windows failed; will retry');
    } finally {
      running = false;
    }
  };
  void run();
  const timer = setInterval(run, options.intervalMs ?? 15_000);
  timer.unref();
  return () => clearInterval(timer);
}
