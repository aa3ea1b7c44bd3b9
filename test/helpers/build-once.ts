import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = fileURLToPath(new URL('../..', import.meta.url));
const LOCKS = join(REPO, 'node_modules', '.cache', 'klaxon-test-builds');

/**
 * Runs `scripts/<script> --if-stale` while holding a lock shared by every test process: test files
 * run in parallel, and two builds at once would empty web/dist (or dist/) under a server another
 * file is serving from. The first file builds; the others wait, then find the build up to date.
 */
export function buildIfStale(script: 'build-web.mjs' | 'build-server.mjs'): void {
  const release = lock(join(LOCKS, `${script}.lock`));
  try {
    const build = spawnSync(process.execPath, [join('scripts', script), '--if-stale'], {
      cwd: REPO,
      stdio: 'inherit',
    });
    if (build.status !== 0) throw new Error(`scripts/${script} failed (exit ${build.status})`);
  } finally {
    release();
  }
}

function lock(path: string): () => void {
  mkdirSync(LOCKS, { recursive: true });
  for (;;) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(path, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder killed mid-build (Ctrl-C) leaves its lock behind: take it over. An empty lock
      // is one being written.
      const holder = readHolder(path);
      if (holder !== undefined && !isAlive(holder)) rmSync(path, { force: true });
      else Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  }
}

/** The pid in the lock, undefined while it is being written; 0 when it was just released. */
function readHolder(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    return text === '' ? undefined : Number(text);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
