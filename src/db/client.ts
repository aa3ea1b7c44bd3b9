import { chmodSync, lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'drizzle-orm';
import { drizzle as drizzlePostgres, type NodePgDatabase } from 'drizzle-orm/node-postgres';
import { migrate as migratePostgres } from 'drizzle-orm/node-postgres/migrator';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import pg from 'pg';
import type { Config } from '../config.js';
import { fromPackageRoot } from '../package-root.js';
import { describeConnectionFailure } from './connection-failure.js';
import { lockDataDir } from './data-dir-lock.js';
import { namingPglite, queryPglitePrepared } from './pglite-prepared.js';
import * as schema from './schema/index.js';
import { NamingStatementClient, UnnamedStatementClient } from './statement-naming.js';

/** Both drivers expose the same query builder; the node-postgres type stands for both. */
export type Database = NodePgDatabase<typeof schema>;
export type Transaction = Parameters<Parameters<Database['transaction']>[0]>[0];
/** What repositories accept: the database, or the transaction a service opened. */
export type Executor = Database | Transaction;

export interface DatabaseHandle {
  db: Database;
  kind: 'postgres' | 'pglite';
  migrate(): Promise<void>;
  ping(): Promise<void>;
  close(): Promise<void>;
  /**
   * Raw SQL for libraries that bring their own (pg-boss). Without values the text may hold
   * several statements; the rows are those of the last one.
   */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /**
   * Runs schema set-up work one process at a time (several processes starting against one
   * PostgreSQL would otherwise race to create the same schema). PGlite has one process anyway.
   */
  withStartupLock<T>(work: () => Promise<T>): Promise<T>;
  /**
   * The embedded database only: its whole data directory as a gzipped tar, taken between two
   * queries, so it is the state of the last commit (what a crash would leave, recovered the same
   * way). PostgreSQL is backed up with its own tools (pg_dump).
   */
  dumpDataDir?(): Promise<Blob>;
  /**
   * LISTENs on a channel for NOTIFYs from any process sharing the database (`pg_notify` sent
   * inside a transaction arrives after its commit). `onResync` runs whenever messages may have
   * been missed (the listening connection was lost and re-established): caches must start over.
   * Resolves to a function that stops listening.
   */
  listen(channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>>;
}

export interface ChannelHandlers {
  onMessage(payload: string): void;
  onResync(): void;
  /**
   * Whether messages are being received: false as soon as the listening connection is lost,
   * true again once it listens anew (just before that `onResync`). A cache that must never
   * serve a change it was not told about trusts its entries only while this is true.
   */
  onListeningChange?(listening: boolean): void;
}

export const MIGRATIONS_DIR = fromPackageRoot('src', 'db', 'migrations');
/** Serialises migrations and other schema set-up when several processes start against one PostgreSQL. */
const MIGRATION_LOCK_ID = 7_240_001;

export async function openDatabase(config: Config): Promise<DatabaseHandle> {
  if (config.database.kind === 'postgres') {
    const { url, directUrl, poolSize, connectTimeoutMs, statementTimeoutMs } = config.database;
    return openPostgres(url, poolSize, { connectTimeoutMs, statementTimeoutMs }, directUrl);
  }
  const release = lockDataDir(config.database.dataDir);
  try {
    // PGlite creates its files with mode 0666 less the umask, now and as the database grows:
    // this process keeps everything it creates owner-only.
    process.umask(0o077);
    const pgdata = join(config.database.dataDir, 'pgdata');
    const client = await PGlite.create(pgdata, { startParams: PGLITE_START_PARAMS });
    restrictTree(pgdata);
    return wrapPglite(client, release);
  } catch (error) {
    release();
    throw error;
  }
}

/**
 * PGlite's own start parameters, with 32 MB of shared buffers instead of PostgreSQL's 128 MB: they
 * live in the process's WASM heap, are zeroed at start-up and filled as the ingest writes, so they
 * were a quarter of the server's peak RSS (~480 MiB). A page that misses them is read from the OS
 * page cache through the file system; measured on the ingest (bench/README.md, 2026-12-06) the
 * CPU per request did not move at 32 MB and rose at 16 MB.
 */
export const PGLITE_START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

export interface PostgresTimeouts {
  /** Longest wait for a pooled connection (all busy, or the server unreachable). */
  connectTimeoutMs?: number;
  /** Longest a statement may run (lock waits included) before PostgreSQL cancels it. */
  statementTimeoutMs?: number;
}

/** Connections for the job queue, start-up locks and migrations when they bypass a pooler. */
const DIRECT_POOL_SIZE = 4;

/**
 * `url` is where queries go. With `directUrl`, `url` is a transaction pooler's address (PgBouncer
 * with pool_mode=transaction): each transaction may land on another server connection, so what
 * needs one session — LISTEN, pg-boss (its own locking), the start-up advisory lock and the
 * migrations under it — uses `directUrl`, and pooled connections carry no session state: no named
 * prepared statements (PgBouncer before 1.21 cannot route them) and no startup options (PgBouncer
 * refuses the ones it does not know, statement_timeout among them).
 */
export function openPostgres(
  url: string,
  poolSize = 10,
  timeouts: PostgresTimeouts = {},
  directUrl?: string,
): DatabaseHandle {
  const behindPooler = directUrl !== undefined;
  const connectTimeoutMs = timeouts.connectTimeoutMs ?? 5_000;
  const poolOptions = (connectionString: string, max: number, withSessionState: boolean): pg.PoolConfig => ({
    connectionString,
    max,
    // A dead or overloaded database must surface as an error (503), never a hung request.
    connectionTimeoutMillis: connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    ...(withSessionState
      ? { statement_timeout: timeouts.statementTimeoutMs ?? 15_000, Client: NamingStatementClient }
      : { Client: UnnamedStatementClient }),
  });
  const pool = new pg.Pool(poolOptions(url, poolSize, !behindPooler));
  const direct = behindPooler ? new pg.Pool(poolOptions(directUrl, DIRECT_POOL_SIZE, true)) : pool;
  // An idle client losing its connection emits here; without a listener the process would crash.
  pool.on('error', () => {});
  direct.on('error', () => {});
  const db = drizzlePostgres({ client: pool, schema });
  /** Holds a PostgreSQL advisory lock on a dedicated connection while `work` runs. */
  async function withStartupLock<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    // The first connection a process makes: a PostgreSQL that cannot be reached is said here.
    const client = await direct.connect().catch((error: unknown) => {
      throw describeConnectionFailure(error, {
        url: directUrl ?? url,
        setting: directUrl === undefined ? 'DATABASE_URL' : 'DATABASE_DIRECT_URL',
        timeoutMs: connectTimeoutMs,
      });
    });
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
      return await work(client);
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
      client.release();
    }
  }
  return {
    db,
    kind: 'postgres',
    async migrate() {
      await withStartupLock(async (client) => {
        await migratePostgres(drizzlePostgres({ client, schema }), { migrationsFolder: MIGRATIONS_DIR });
      });
    },
    withStartupLock: (work) => withStartupLock(() => work()),
    async ping() {
      await db.execute(sql`select 1`);
    },
    async close() {
      await pool.end();
      if (direct !== pool) await direct.end();
    },
    listen: (channel, handlers) => listenOnPostgres(directUrl ?? url, channel, handlers),
    async executeSql(text, values) {
      const result = await direct.query(text, values);
      // A multi-statement text answers one result per statement.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return { rows: (last as pg.QueryResult | undefined)?.rows ?? [] };
    },
  };
}

export function wrapPglite(client: PGlite, onClose: () => void = () => {}): DatabaseHandle {
  // Drizzle's and pg-boss's parameterised queries run as named prepared statements (pglite-prepared.ts).
  const naming = namingPglite(client);
  const db = drizzlePglite({ client: naming, schema }) as unknown as Database;
  pgliteBehind.set(db, client);
  return {
    db,
    kind: 'pglite',
    async migrate() {
      await migratePglite(drizzlePglite({ client, schema }), { migrationsFolder: MIGRATIONS_DIR });
    },
    async ping() {
      await client.query('select 1');
    },
    async close() {
      try {
        await client.close();
      } finally {
        onClose();
      }
    },
    withStartupLock: (work) => work(),
    async dumpDataDir() {
      // A checkpoint first, so the restored copy starts without replaying the write-ahead log.
      await client.query('CHECKPOINT');
      return client.dumpDataDir('gzip');
    },
    async listen(channel, handlers) {
      // One process owns a PGlite database, so nothing can be missed: no resync ever needed.
      const unlisten = await client.listen(channel, handlers.onMessage);
      return unlisten;
    },
    async executeSql(text, values) {
      // PGlite's extended protocol takes one statement; `exec` runs a script (no parameters).
      if (values === undefined || values.length === 0) {
        const results = await client.exec(text);
        return { rows: results[results.length - 1]?.rows ?? [] };
      }
      const result = await naming.query(text, values);
      return { rows: result.rows };
    },
  };
}

const LISTEN_RETRY_MS = 1_000;

/**
 * A dedicated connection (outside the pool, so LISTEN never sits on a pooled client) that
 * reconnects after losing the server and then asks for a resync.
 */
async function listenOnPostgres(url: string, channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retryTimer: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    const candidate = new pg.Client({ connectionString: url });
    candidate.on('error', () => {});
    candidate.on('end', () => {
      if (client !== candidate || stopped) return;
      client = undefined;
      handlers.onListeningChange?.(false);
      handlers.onResync();
      scheduleReconnect();
    });
    candidate.on('notification', (message) => {
      if (message.channel === channel) handlers.onMessage(message.payload ?? '');
    });
    try {
      await candidate.connect();
      await candidate.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    } catch (error) {
      await candidate.end().catch(() => {});
      throw error;
    }
    client = candidate;
  };
  const scheduleReconnect = (): void => {
    if (stopped) return;
    retryTimer = setTimeout(() => {
      connect()
        // Anything changed while nobody listened.
        .then(() => {
          handlers.onListeningChange?.(true);
          handlers.onResync();
        })
        .catch(scheduleReconnect);
    }, LISTEN_RETRY_MS);
    retryTimer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (retryTimer) clearTimeout(retryTimer);
    const current = client;
    client = undefined;
    await current?.end().catch(() => {});
  };
}

/** The PGlite instance behind each database wrapPglite made (not its transactions), for queryHot. */
const pgliteBehind = new WeakMap<Executor, PGlite>();

/** A hand-written statement for the ingest hot path, where building SQL with Drizzle costs. */
export interface HotStatement {
  /** Unique per text: node-postgres prepares it once per connection under this name. */
  name: string;
  text: string;
}

/**
 * Runs a hot-path statement on the database or inside a transaction: a named prepared
 * statement on node-postgres (parsed and planned once per pooled connection) and on PGlite outside
 * a transaction (see queryPglitePrepared), an extended-protocol query in a PGlite transaction.
 * Values are passed as they are (arrays for `unnest`, so the text and the parameter count stay
 * the same whatever the number of rows). Rows come back unmapped: column
 * names as in SQL, timestamps as strings.
 */
export async function queryHot<Row>(executor: Executor, statement: HotStatement, values: unknown[]): Promise<Row[]> {
  // Outside a transaction on PGlite (the one-statement ingest batch), prepared once per database
  // too; a transaction is another executor, which keeps the plain path.
  const pglite = pgliteBehind.get(executor);
  if (pglite !== undefined) return queryPglitePrepared(pglite, statement.name, statement.text, values);
  const prepared = executor._.session.prepareQuery(
    { sql: statement.text, params: values },
    undefined,
    statement.name,
    false,
  );
  const result = (await prepared.execute()) as { rows: Row[] };
  return result.rows;
}

/**
 * A query Drizzle builds once per executor instead of on every call (a prepared query with
 * placeholders): the long-lived database handle keeps it for the process, a transaction builds its
 * own. For hot reads whose building costs more than a round trip (a wide select: 145–194 µs of CPU).
 */
export function builtPerExecutor<T>(build: (executor: Executor) => T): (executor: Executor) => T {
  const built = new WeakMap<Executor, T>();
  return (executor) => {
    let query = built.get(executor);
    if (query === undefined) {
      query = build(executor);
      built.set(executor, query);
    }
    return query;
  };
}

/** A uuid[] per row cannot ride in a 2-D array for `unnest` (rows differ in length): each goes as its literal. */
export function toUuidArrayLiteral(ids: string[]): string {
  return `{${ids.join(',')}}`;
}

/** NOT NULL violation (23502), optionally on one named column. */
export function isNotNullViolation(error: unknown, column?: string): boolean {
  for (let current: unknown = error; current !== undefined && current !== null; ) {
    const candidate = current as { code?: unknown; column?: unknown; cause?: unknown };
    if (candidate.code === '23502') return column === undefined || candidate.column === column;
    current = candidate.cause;
  }
  return false;
}

/** SQLSTATEs worth a retry: deadlock and serialization failure. */
export function isRetryableConflict(error: unknown): boolean {
  return hasCode(error, (code) => code === '40P01' || code === '40001');
}

/**
 * The database is down, restarting, out of connections or too slow: the client should retry
 * later (503), not be told the server is broken (500).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const unavailableCodes = /^(08|53|57P0[1-3]|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|57014)/;
  if (hasCode(error, (code) => unavailableCodes.test(code))) return true;
  for (let current: unknown = error; current instanceof Error; current = current.cause) {
    if (
      /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|PGlite is closed|Cannot use a pool after calling end/i.test(
        current.message,
      )
    ) {
      return true;
    }
  }
  return false;
}

function hasCode(error: unknown, test: (code: string) => boolean): boolean {
  for (let current: unknown = error; current !== undefined && current !== null; ) {
    const candidate = current as { code?: unknown; cause?: unknown };
    if (typeof candidate.code === 'string' && test(candidate.code)) return true;
    current = candidate.cause;
  }
  return false;
}

/** Files an earlier version created group- or world-readable become owner-only. */
function restrictTree(path: string): void {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return;
  if ((stats.mode & 0o077) !== 0) chmodSync(path, stats.isDirectory() ? 0o700 : 0o600);
  if (stats.isDirectory()) for (const entry of readdirSync(path)) restrictTree(join(path, entry));
}
