import { buildApp } from './app.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { DataDirLockedError } from './db/data-dir-lock.js';
import { loggerOptions } from './logger.js';
import { resolveMasterKey } from './master-key.js';
import { startDeliveryRetention } from './modules/deliveries/delivery-retention.js';
import { createServices } from './services.js';

/** config → database → migrate → app → listen. SIGTERM/SIGINT drain in-flight requests and exit 0. */
async function main(): Promise<void> {
  const config = loadConfig();
  const masterKey = resolveMasterKey(config);
  const database = await openDatabase(config);
  await database.migrate();
  const services = createServices({
    database,
    masterKey,
    webhookRateLimitPerMinute: config.webhookRateLimitPerMinute,
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
      await app.close();
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

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof DataDirLockedError) {
    process.stderr.write(`klaxon: ${error.message}\n`);
  } else {
    process.stderr.write(
      `klaxon: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
