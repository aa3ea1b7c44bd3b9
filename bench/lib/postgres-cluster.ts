import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort, processCpuMs } from './processes.js';

export interface PostgresCluster {
  /** postgres://… of the maintenance database; use `createDatabase` for a fresh one. */
  adminUrl: string;
  version: string;
  createDatabase(name: string): Promise<string>;
  /** CPU time (user + system) so far, in ms, of the postmaster, its backends and background workers. */
  cpuMs(): number;
  /**
   * Per-statement calls and time since the last call (then reset), heaviest first; only when
   * started with `statements: true` (pg_stat_statements, which costs the cluster a little CPU).
   */
  statements?: () => Promise<StatementStats[]>;
  stop(): void;
}

export interface StatementStats {
  query: string;
  calls: number;
  totalMs: number;
  rows: number;
  /** Plans made (custom plans, and the generic one when it is made), and the time spent making them. */
  plans: number;
  planMs: number;
}

function findBinDir(): string {
  const root = '/usr/lib/postgresql';
  if (existsSync(join(root, '15', 'bin', 'initdb'))) return join(root, '15', 'bin');
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions)
    if (existsSync(join(root, version, 'bin', 'initdb'))) return join(root, version, 'bin');
  throw new Error('no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql-15)');
}

function asPostgres(command: string, args: string[]): string {
  return execFileSync('runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8', stdio: 'pipe' });
}

/**
 * A throwaway PostgreSQL cluster: initdb into a temp dir owned by `postgres`, trust auth, a
 * free port on 127.0.0.1, default durability (fsync and synchronous_commit on). `stop()` stops
 * it and removes the directory.
 */
export async function startPostgresCluster(options: { statements?: boolean } = {}): Promise<PostgresCluster> {
  const bin = findBinDir();
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-bench-pg-'));
  const data = join(dir, 'data');
  execFileSync('chown', ['postgres:postgres', dir]);
  const port = await freePort();
  let started = false;
  const stop = () => {
    if (started) {
      try {
        asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } catch {
        // Already stopped.
      }
      started = false;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    asPostgres(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
    const settings = `-p ${port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${dir} -c max_connections=200${
      options.statements === true
        ? ' -c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track_planning=on'
        : ''
    }`;
    asPostgres(join(bin, 'pg_ctl'), ['-D', data, '-o', settings, '-l', join(dir, 'postgres.log'), '-w', 'start']);
    started = true;
  } catch (error) {
    stop();
    throw error;
  }
  // The first line of postmaster.pid is the postmaster's pid; every backend is its child.
  const postmasterPid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
  const adminUrl = `postgres://postgres@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const { rows } = await client.query<{ server_version: string; synchronous_commit: string; fsync: string }>(
    "SELECT current_setting('server_version') AS server_version, current_setting('synchronous_commit') AS synchronous_commit, current_setting('fsync') AS fsync",
  );
  if (options.statements === true) await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  await client.end();
  const found = rows[0];
  if (found?.synchronous_commit !== 'on' || found.fsync !== 'on') {
    stop();
    throw new Error('the benchmark cluster must run with fsync and synchronous_commit on');
  }
  return {
    adminUrl,
    version: found.server_version,
    cpuMs: () => processCpuMs(postmasterPid),
    ...(options.statements === true
      ? {
          async statements() {
            const admin = new pg.Client({ connectionString: adminUrl });
            await admin.connect();
            try {
              const { rows: stats } = await admin.query<StatementStats>(
                `SELECT query, calls::float8 AS calls, total_exec_time AS "totalMs", rows::float8 AS rows,
                     plans::float8 AS plans, total_plan_time AS "planMs"
                   FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC`,
              );
              await admin.query('SELECT pg_stat_statements_reset()');
              return stats;
            } finally {
              await admin.end();
            }
          },
        }
      : {}),
    async createDatabase(name: string) {
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      return `postgres://postgres@127.0.0.1:${port}/${name}`;
    },
    stop,
  };
}
