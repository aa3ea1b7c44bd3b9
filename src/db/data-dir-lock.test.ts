import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, DataDirUnsafeError, lockDataDir } from './data-dir-lock.js';

const LOCK_FILE = 'klaxon.lock';
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'klaxon-lock-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** The pid of a process that has certainly exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', '']);
  if (child.pid === undefined) throw new Error('could not spawn a short-lived process');
  return child.pid;
}

describe('lockDataDir', () => {
  it('writes the holder pid with mode 0600 and releases on demand', () => {
    const release = lockDataDir(dir);
    const path = join(dir, LOCK_FILE);
    expect(readFileSync(path, 'utf8')).toBe(String(process.pid));
    expect(statSync(path).mode & 0o777).toBe(0o600);
    release();
    expect(existsSync(path)).toBe(false);
  });

  it('refuses a second lock while the holder is alive, with a message that says what to do', () => {
    const release = lockDataDir(dir);
    try {
      expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
      expect(() => lockDataDir(dir)).toThrow(
        new RegExp(
          `The data directory .* is in use by another Klaxon process \\(pid ${process.pid}\\)\\. Stop that process`,
        ),
      );
    } finally {
      release();
    }
    // Once released, the directory can be locked again.
    lockDataDir(dir)();
  });

  it('takes over a stale lock left by a process that is gone', () => {
    const stale = deadPid();
    writeFileSync(join(dir, LOCK_FILE), String(stale));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('takes over a lock file with garbage in it', () => {
    writeFileSync(join(dir, LOCK_FILE), 'not a pid');
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('does not remove a lock that another process took over', () => {
    const release = lockDataDir(dir);
    writeFileSync(join(dir, LOCK_FILE), String(deadPid()));
    release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(true);
  });

  it('creates the data dir when it does not exist yet, readable by its owner only', () => {
    const nested = join(dir, 'a', 'b');
    const release = lockDataDir(nested);
    expect(existsSync(join(nested, LOCK_FILE))).toBe(true);
    expect(statSync(nested).mode & 0o777).toBe(0o700);
    release();
  });
});

describe('data directory permissions (issue 18, finding 6)', () => {
  it('creates a missing directory owner-only', () => {
    const fresh = join(dir, 'new');
    lockDataDir(fresh)();
    expect(statSync(fresh).mode & 0o777).toBe(0o700);
  });

  it('tightens an existing directory that others can only read to 0700', () => {
    chmodSync(dir, 0o755);
    lockDataDir(dir)();
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.each([0o777, 0o775, 0o757])('refuses to start on a directory with mode %o, saying how to fix it', (mode) => {
    chmodSync(dir, mode);
    expect(() => lockDataDir(dir)).toThrow(DataDirUnsafeError);
    expect(() => lockDataDir(dir)).toThrow(/can be written by group or others .*chmod 700/);
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a directory that belongs to another user', () => {
    if (process.getuid?.() !== 0) return; // only root can hand a directory to someone else
    chmodSync(dir, 0o700);
    chownSync(dir, 65534, 65534);
    expect(() => lockDataDir(dir)).toThrow(/belongs to another user \(uid 65534\)/);
  });
});

describe('a holder that is still being torn down (issue 18, finding 9f)', () => {
  it('waits briefly for it instead of refusing', () => {
    // A process that is not our child (its shell exits at once), so something else reaps it,
    // as after a kill -9 of a server started by a supervisor; it lives 400 ms more.
    const shell = spawnSync('sh', ['-c', 'sleep 0.4 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' });
    const lingering = Number.parseInt(shell.stdout, 10);
    writeFileSync(join(dir, LOCK_FILE), String(lingering));
    const release = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(String(process.pid));
    release();
  });

  it('gives up after the bounded wait with the usual message', () => {
    const alive = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)']);
    try {
      writeFileSync(join(dir, LOCK_FILE), String(alive.pid));
      const started = Date.now();
      expect(() => lockDataDir(dir, { holderWaitMs: 300 })).toThrow(/in use by another Klaxon process/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    } finally {
      alive.kill('SIGKILL');
    }
  });
});
