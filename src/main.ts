import cluster from 'node:cluster';
import { primaryLog, runPrimary } from './cluster.js';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './db/client.js';
import { DatabaseUnreachableError } from './db/connection-failure.js';
import { DataDirLockedError, DataDirUnsafeError } from './db/data-dir-lock.js';

/**
 * config → database → migrate → app → listen (src/server.ts). With KLAXON_WORKERS > 1 on
 * PostgreSQL this process migrates, then becomes the primary of that many worker processes
 * (src/cluster.ts), each of which serves without migrating again.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logLine = primaryLog(config.logLevel);
  if (cluster.isPrimary && config.workers > 1) {
    if (config.database.kind === 'postgres') {
      const database = await openDatabase(config);
      try {
        await database.migrate();
      } finally {
        await database.close();
      }
      runPrimary(config.workers, logLine);
      return;
    }
    logLine('warn', `KLAXON_WORKERS=${config.workers} ignored: the embedded database is open in one process only`);
  }
  // Loaded here so that a cluster primary, which serves nothing, does not hold the app in memory.
  const { serve } = await import('./server.js');
  await serve(config, { migrate: cluster.isPrimary });
}

main().catch((error: unknown) => {
  if (
    error instanceof ConfigError ||
    error instanceof DatabaseUnreachableError ||
    error instanceof DataDirLockedError ||
    error instanceof DataDirUnsafeError
  ) {
    process.stderr.write(`klaxon: ${error.message}\n`);
  } else {
    process.stderr.write(
      `klaxon: failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
  }
  process.exit(1);
});
