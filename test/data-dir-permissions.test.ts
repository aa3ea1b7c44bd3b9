import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';

const root = mkdtempSync(join(tmpdir(), 'klaxon-perms-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Every path under `path` that group or others can read, write or enter. */
function groupOrOtherAccessible(path: string): string[] {
  const stats = lstatSync(path);
  const found = (stats.mode & 0o077) !== 0 && !stats.isSymbolicLink() ? [path] : [];
  if (!stats.isDirectory()) return found;
  return [...found, ...readdirSync(path).flatMap((entry) => groupOrOtherAccessible(join(path, entry)))];
}

describe('the embedded database files (issue 18, finding 6)', () => {
  it('are owner-only, even in a data directory that existed with a looser mode', async () => {
    const dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const database = await openDatabase(loadConfig({ KLAXON_DATA_DIR: dataDir }));
    try {
      await database.ping();
    } finally {
      await database.close();
    }
    expect(groupOrOtherAccessible(dataDir)).toEqual([]);
  });
});
