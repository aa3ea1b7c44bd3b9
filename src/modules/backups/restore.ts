import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { MASTER_KEY_FILE } from '../../master-key.js';

export class RestoreRefusedError extends Error {}

/**
 * Restores a backup into a fresh data directory, never over an existing database. The backup
 * holds secrets encrypted under the master key, so the restored Klaxon needs that same key:
 * `masterKeyFile` (the old data dir's master.key) is copied in beside the database, or the same
 * KLAXON_MASTER_KEY must be set.
 */
export async function restoreBackup(options: { input: string; dataDir: string; masterKeyFile?: string }) {
  if (existsSync(options.dataDir) && readdirSync(options.dataDir).length > 0) {
    throw new RestoreRefusedError(`${options.dataDir} is not empty: restore into a new, empty data directory`);
  }
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const previous = process.umask(0o077);
  try {
    const client = await PGlite.create(join(options.dataDir, 'pgdata'), {
      loadDataDir: new Blob([readFileSync(options.input)]),
    });
    // A query proves the restored cluster opens; the schema is migrated at the next start.
    await client.query('select 1');
    await client.close();
    if (options.masterKeyFile !== undefined) {
      const target = join(options.dataDir, MASTER_KEY_FILE);
      copyFileSync(options.masterKeyFile, target);
      chmodSync(target, 0o600);
    }
  } finally {
    process.umask(previous);
  }
}
