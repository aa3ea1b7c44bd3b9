import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { inject } from 'vitest';
import { type DatabaseHandle, PGLITE_START_PARAMS, wrapPglite } from '../../src/db/client.js';
import { createTestDatabase, testDatabaseKind } from './database.js';

export interface ServerStorage {
  /** The database, opened in the test process (for PGlite: only while no server runs on it). */
  open(): Promise<DatabaseHandle>;
  /** Environment for a server process on this database. */
  env: Record<string, string>;
  /** Whether the server holds the database exclusively (PGlite), so the test must close it first. */
  exclusive: boolean;
}

/**
 * A migrated database for real server processes: a file-backed PGlite data dir seeded from the
 * run's snapshot (no initdb), or a cloned PostgreSQL database on the PostgreSQL pass.
 */
export async function prepareServerStorage(
  masterKey: Buffer,
  cleanups: Array<() => Promise<void> | void>,
): Promise<ServerStorage> {
  const env = { KLAXON_MASTER_KEY: masterKey.toString('hex') };
  if (testDatabaseKind() === 'postgres') {
    const database = await createTestDatabase();
    cleanups.push(() => database.close());
    return { open: async () => database, env: { ...env, DATABASE_URL: database.url as string }, exclusive: false };
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-server-'));
  cleanups.push(() => rmSync(dataDir, { recursive: true, force: true, maxRetries: 5 }));
  const target = inject('testDatabase');
  if (target.kind !== 'pglite') throw new Error('unreachable');
  const seeded = await PGlite.create(join(dataDir, 'pgdata'), {
    loadDataDir: new Blob([readFileSync(target.snapshotPath)]),
    startParams: PGLITE_START_PARAMS,
  });
  await seeded.close();
  return {
    open: async () => wrapPglite(await PGlite.create(join(dataDir, 'pgdata'), { startParams: PGLITE_START_PARAMS })),
    env: { ...env, DATABASE_URL: '', KLAXON_DATA_DIR: dataDir },
    exclusive: true,
  };
}
