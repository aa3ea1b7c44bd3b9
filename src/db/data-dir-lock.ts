import { chmodSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

/** The data directory could be changed by someone else: the database and master key would not be ours alone. */
export class DataDirUnsafeError extends Error {
  override name = 'DataDirUnsafeError';
}

/** After a kill -9 the old process lingers a moment while the kernel tears it down. */
const DEFAULT_HOLDER_WAIT_MS = 5_000;
const HOLDER_POLL_MS = 100;

const LOCK_FILE = 'klaxon.lock';

/**
 * PGlite is single-process: two processes writing one data dir corrupt it. The first opener
 * takes an exclusive lock file holding its pid; others fail with a clear message. A lock whose
 * process is gone (a crash, a kill -9) is stale and taken over.
 */
export function lockDataDir(dir: string, options: { holderWaitMs?: number } = {}): () => void {
  ensureOwnerOnlyDir(dir);
  const path = join(dir, LOCK_FILE);
  const waitUntil = Date.now() + (options.holderWaitMs ?? DEFAULT_HOLDER_WAIT_MS);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => releaseLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
    // A holder that is still alive may be a process just killed and not yet reaped: wait for
    // it briefly (never for ourselves), so an immediate restart after a kill -9 succeeds.
    while (holder !== undefined && holder !== process.pid && isAlive(holder) && Date.now() < waitUntil) {
      sleepSync(HOLDER_POLL_MS);
    }
    if (holder !== undefined && isAlive(holder)) {
      throw new DataDirLockedError(
        `The data directory ${dir} is in use by another Klaxon process (pid ${holder}). ` +
          'Stop that process first (the CLI needs the server stopped when using the embedded database), ' +
          'or use PostgreSQL via DATABASE_URL to run several processes.',
      );
    }
    try {
      unlinkSync(path);
    } catch {
      // Another process removed the stale lock first; the next attempt settles who gets it.
    }
  }
  throw new DataDirLockedError(`Could not lock the data directory ${dir}`);
}

/**
 * Owner-only: the directory holds the database files and the master key. A new directory is
 * created 0700; an existing one that group or others can write, or that another user owns, is
 * refused (whoever can write it can swap the database or the key); one they can only read is
 * tightened to 0700.
 */
function ensureOwnerOnlyDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stats = statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && stats.uid !== uid) {
    throw new DataDirUnsafeError(
      `The data directory ${dir} belongs to another user (uid ${stats.uid}); run Klaxon as that user or give it its own directory.`,
    );
  }
  if ((stats.mode & 0o022) !== 0) {
    throw new DataDirUnsafeError(
      `The data directory ${dir} can be written by group or others (mode ${(stats.mode & 0o777).toString(8)}); ` +
        `make it owner-only with: chmod 700 ${dir}`,
    );
  }
  if ((stats.mode & 0o077) !== 0) chmodSync(dir, 0o700);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function readHolder(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(path: string): void {
  try {
    if (readHolder(path) === process.pid) unlinkSync(path);
  } catch {
    // Already gone.
  }
}
