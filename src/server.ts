import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { loggerOptions } from './logger.js';
import { resolveMasterKey } from './master-key.js';
import { startDeliveryRetention } from './modules/deliveries/delivery-retention.js';
import { createServices } from './services.js';

/** One serving process: database → (migrate) → app → listen; SIGTERM/SIGINT drain in-flight requests and exit 0. */
export async function serve(config: Config, options: { migrate: boolean }): Promise<void> {
  const masterKey = resolveMasterKey(config);
  const database = await openDatabase(config);
  if (options.migrate) await database.migrate();
  // The engine logs through the app's logger once it exists.
  let appLog: Pick<Console, 'info' | 'warn' | 'error'> = console;
  const jobLog: Pick<Console, 'info' | 'warn' | 'error'> = {
    info: (...args) => appLog.info(...args),
    warn: (...args) => appLog.warn(...args),
    error: (...args) => appLog.error(...args),
  };
  const services = createServices({
    database,
    masterKey,
    webhookRateLimitPerMinute: config.webhookRateLimitPerMinute,
    passwordLinkTtlHours: config.passwordLinkTtlHours,
    incidents: { ...config.incidents, log: jobLog },
  });
  const app = await buildApp({
    database,
    masterKey,
    services,
    bodyLimitBytes: config.bodyLimitBytes,
    requestTimeoutMs: config.requestTimeoutMs,
    webhookRateLimitPerMinute: config.webhookRateLimitPerMinute,
    logger: loggerOptions(config),
  });
  appLog = {
    info: (object, message) => app.log.info(object, message),
    warn: (object, message) => app.log.warn(object, message),
    error: (object, message) => app.log.error(object, message),
  };
  // Escalation jobs start after migrations (pg-boss creates its own schema here) and before listening.
  if (config.incidents.jobWorkers) await services.escalationEngine.start();
  // Heartbeats that expired while no process was running fire now; then a timer and a periodic sweep.
  if (config.incidents.jobWorkers) await services.heartbeatMonitor.start();
  const stopRetention = startDeliveryRetention({
    deliveriesService: services.deliveriesService,
    retentionDays: config.deliveryRetentionDays,
    log: app.log,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info({ signal }, 'shutting down: draining in-flight requests');
    try {
      stopRetention();
      services.heartbeatMonitor.stop();
      await app.close();
      await services.escalationEngine.stop();
      await database.close();
      process.exit(0);
    } catch (error) {
      app.log.error({ err: error }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));

  await app.listen({ port: config.port, host: config.host });
  app.log.info(
    { database: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
    'Klaxon is ready',
  );
}
