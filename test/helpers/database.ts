import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { inject } from 'vitest';
import { type DatabaseHandle, openPostgres, PGLITE_START_PARAMS, wrapPglite } from '../../src/db/client.js';
import { withDatabaseName } from './global-setup.js';

/** The migrated snapshot, read once per test file's process (a Blob is immutable; PGlite only reads it). */
let snapshot: Blob | undefined;

/** A fresh, migrated database: an in-memory PGlite clone or a PostgreSQL database from the template. */
export async function createTestDatabase(): Promise<DatabaseHandle & { url?: string }> {
  const target = inject('testDatabase');
  if (target.kind === 'pglite') {
    snapshot ??= new Blob([readFileSync(target.snapshotPath)]);
    // The server's own start parameters (32 MB of shared buffers): besides testing what runs, each
    // clone zeroes a quarter of the memory PostgreSQL's default 128 MB would.
    const client = await PGlite.create({ loadDataDir: snapshot, startParams: PGLITE_START_PARAMS });
    return wrapPglite(client);
  }
  const name = `${target.databasePrefix}${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: target.url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${target.template}`);
  } finally {
    await admin.end();
  }
  const url = withDatabaseName(target.url, name);
  const handle = openPostgres(url, 5);
  return {
    ...handle,
    url,
    async close() {
      await handle.close();
      const cleanup = new pg.Client({ connectionString: target.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      await cleanup.end();
    },
  };
}

export const testDatabaseKind = (): 'pglite' | 'postgres' => inject('testDatabase').kind;
