import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

const LOCK_FILE = 'klaxon.lock';

/**
 * PGlite is single-process: two processes writing one data dir corrupt it. The first opener
 * takes an exclusive lock file holding its pid; others fail with a clear message. A lock whose
 * process is gone (a crash, a kill -9) is stale and taken over.
 */
export function lockDataDir(dir: string): () => void {
  // Owner-only: the directory holds the database files and the master key.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(path, String(process.pid), { flag: 'wx', mode: 0o600 });
      return () => releaseLock(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = readHolder(path);
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
