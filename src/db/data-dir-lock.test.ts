import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from './data-dir-lock.js';

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
