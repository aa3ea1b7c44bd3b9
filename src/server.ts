import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { buildApp } from './app.js';
import type { Config } from './config.js';
import { openDatabase } from './db/client.js';
import { loggerOptions } from './logger.js';
import { resolveMasterKey } from './master-key.js';
import { startDeliveryRetention } from './modules/deliveries/delivery-retention.js';
import { startMaintenanceEndings } from './modules/maintenance/maintenance-endings.js';
import { createServices, type Services } from './services.js';

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
    ...(config.sso ? { sso: config.sso } : {}),
    passwordSignIn: config.passwordSignIn,
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
    trustProxy: config.trustProxy,
  });
  appLog = {
    info: (object, message) => app.log.info(object, message),
    warn: (object, message) => app.log.warn(object, message),
    error: (object, message) => app.log.error(object, message),
  };
  // Escalation jobs start after migrations (pg-boss creates its own schema here) and before listening.
  if (config.incidents.jobWorkers) await services.escalationEngine.start();
  // Windows with openIncidentsOnEnd open incidents when they end (exactly once across processes).
  const stopMaintenanceEndings = config.incidents.jobWorkers
    ? startMaintenanceEndings({ maintenanceService: services.maintenanceService, log: app.log })
    : () => {};
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
      stopMaintenanceEndings();
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
  // One worker of a cluster prints the link; every process would print the same one.
  if (cluster.isPrimary || cluster.worker?.id === 1) {
    const setupUrl = await setupUrlWhileNoUser(services, consoleBase(config, app.server.address()));
    if (setupUrl !== undefined) {
      app.log.warn({ setupUrl }, 'No user exists yet: open setupUrl in a browser to create the first admin');
      process.stderr.write(setupBanner(setupUrl));
    }
  }
  app.log.info(
    { database: database.kind, dataDir: database.kind === 'pglite' ? config.dataDir : undefined },
    'Klaxon is ready',
  );
}

/** The console's address for links: KLAXON_PUBLIC_URL, or where this server listens (PORT=0 picks a port). */
function consoleBase(config: Config, address: string | AddressInfo | null): string {
  if (config.port !== 0 || address === null || typeof address === 'string') return config.incidents.publicUrl;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

async function setupUrlWhileNoUser(services: Services, base: string): Promise<string | undefined> {
  const token = await services.setupService.tokenWhileNoUser();
  // In the fragment, the token never reaches a server or proxy log with the request for the page.
  return token === undefined ? undefined : `${base}/setup#token=${token}`;
}

function setupBanner(setupUrl: string): string {
  return [
    '',
    '  Klaxon has no users yet. To create the first admin account, open this link in a browser:',
    '',
    `      ${setupUrl}`,
    '',
    '  It works once, and only until a user exists. Restarting Klaxon prints it again.',
    '',
    '',
  ].join('\n');
}
