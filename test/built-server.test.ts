import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIfStale } from './helpers/build-once.js';
import { startServer } from './helpers/server-process.js';

// Every server-process test runs the compiled build (dist/); this one starts it as `npm start` does
// on an empty data dir, so every migration and the console are read from disk at run time.
const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-built-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('the compiled server (npm start)', () => {
  it('builds, migrates an empty database, answers /healthz, /readyz and /, and exits 0 on SIGTERM', async () => {
    buildIfStale('build-server.mjs');

    // A fresh embedded database on both test passes: every migration is read from disk.
    const server = await startServer({ DATABASE_URL: '', KLAXON_DATA_DIR: dataDir, KLAXON_MASTER_KEY: '7'.repeat(64) });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${server.url}/readyz`);
      expect(ready.status).toBe(200);
      // web/dist found from dist/ exactly when it exists (503 is the page saying how to build it).
      const consolePage = await fetch(`${server.url}/`);
      expect(consolePage.status).toBe(existsSync('web/dist/index.html') ? 200 : 503);
      expect(consolePage.headers.get('content-type')).toMatch(/^text\/html/);
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
