import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import type { ProvidedContext } from 'vitest';
import type { TestProject } from 'vitest/node';
import { openPostgres, wrapPglite } from '../../src/db/client.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testDatabase:
      | { kind: 'pglite'; snapshotPath: string }
      | { kind: 'postgres'; url: string; template: string; databasePrefix: string };
  }
}

type TestDatabase = ProvidedContext['testDatabase'];
interface Prepared {
  target: TestDatabase;
  teardown: () => Promise<void> | void;
  users: number;
}
/** Where the run's one migrated database is kept while the projects of vitest.config.ts use it. */
const PREPARED = Symbol.for('klaxon.testDatabase');

/**
 * Migrates one database per test run, which each test file then clones: a PGlite data-dir
 * snapshot loaded in memory, or a PostgreSQL template database when DATABASE_URL is set. Each
 * project of vitest.config.ts runs this set-up in vitest's process; they share the first one's
 * database (migrating it again would cost as much again), and the last to finish removes it.
 */
export default async function setup(project: TestProject) {
  const shared = globalThis as { [PREPARED]?: Promise<Prepared> };
  shared[PREPARED] ??= prepare();
  const prepared = await shared[PREPARED];
  prepared.users += 1;
  project.provide('testDatabase', prepared.target);
  return async () => {
    prepared.users -= 1;
    if (prepared.users > 0) return;
    delete shared[PREPARED];
    await prepared.teardown();
  };
}

async function prepare(): Promise<Prepared> {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    // Names carry this run's id, so a run cleans up only its own databases: several runs
    // (other worktrees, other terminals) may share one PostgreSQL at the same time.
    const runId = `${process.pid.toString(36)}${randomBytes(2).toString('hex')}`;
    const template = `klaxon_template_${runId}`;
    const databasePrefix = `klaxon_test_${runId}_`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${template}`);
    await admin.query(`CREATE DATABASE ${template}`);
    const handle = openPostgres(withDatabaseName(url, template), 2);
    await handle.migrate();
    await handle.close();
    return {
      target: { kind: 'postgres', url, template, databasePrefix },
      users: 0,
      async teardown() {
        const { rows } = await admin.query<{ datname: string }>(
          'SELECT datname FROM pg_database WHERE starts_with(datname, $1) OR datname = $2',
          [databasePrefix, template],
        );
        for (const row of rows) await admin.query(`DROP DATABASE IF EXISTS ${row.datname} WITH (FORCE)`);
        await admin.end();
      },
    };
  }
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-test-'));
  const client = new PGlite();
  const handle = wrapPglite(client);
  await handle.migrate();
  // Every clone unpacks the snapshot file by file into PGlite's in-memory file system, and the two
  // template databases were two thirds of its files: nothing connects to them (PGlite's clients and
  // the server use `postgres`; no test creates a database on PGlite), so they are left out, which
  // took a clone from ~540 to ~340 ms of CPU.
  for (const template of ['template0', 'template1']) {
    await client.query(`ALTER DATABASE ${template} WITH is_template false`);
    await client.query(`DROP DATABASE ${template}`);
  }
  // A checkpoint first, so that no clone replays the migrations' write-ahead log when it starts.
  await client.query('CHECKPOINT');
  const snapshot = await client.dumpDataDir('none');
  const snapshotPath = join(dir, 'snapshot.tar');
  writeFileSync(snapshotPath, Buffer.from(await snapshot.arrayBuffer()));
  await handle.close();
  return {
    target: { kind: 'pglite', snapshotPath },
    users: 0,
    teardown: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function withDatabaseName(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}
