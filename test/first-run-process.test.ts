import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIfStale } from './helpers/build-once.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';

/** First run as an operator sees it: the server process prints a one-time setup link at start-up. */
const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The setup link as the JSON log carries it (`setupUrl`), once the server has printed it. */
async function setupUrlOf(server: ServerProcess, timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const line of server.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { setupUrl?: string };
      if (entry.setupUrl !== undefined) return entry.setupUrl;
    }
    await new Promise((resolve) => server.child.stdout?.once('data', resolve));
  }
  throw new Error(`no setupUrl in the log:\n${server.output()}`);
}

async function outputContains(server: ServerProcess, text: string): Promise<void> {
  while (!server.output().includes(text)) {
    await new Promise((resolve) => server.child.stdout?.once('data', resolve));
  }
}

describe('the setup link printed at start-up', () => {
  it('the compiled server (npm start) on an empty data dir prints it on stderr and as setupUrl; it makes the admin', async () => {
    buildIfStale('build-server.mjs');
    const dataDir = mkdtempSync(join(tmpdir(), 'klaxon-first-run-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = await startServer({ DATABASE_URL: '', KLAXON_DATA_DIR: dataDir });
    cleanups.push(() => server.stop());

    const setupUrl = await setupUrlOf(server);
    expect(setupUrl).toMatch(new RegExp(`^${server.url}/setup#token=[A-Za-z0-9_-]{43}$`));
    // The banner on stderr, for a person reading the terminal (its own pipe: it may arrive after the log line).
    while (!server.stderr().includes(`      ${setupUrl}\n`)) {
      await new Promise((resolve) => server.child.stderr?.once('data', resolve));
    }

    const page = await fetch(setupUrl.replace(/#.*/, ''), { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const token = new URL(setupUrl).hash.replace('#token=', '');
    const created = await fetch(`${server.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token, email: 'op@example.com', name: 'Op', password: 'a first password' }),
    });
    expect(created.status).toBe(201);
    expect((await created.json()).isPlatformAdmin).toBe(true);
    expect(await server.stop()).toBe(0);

    // Restarted with a user present, the server prints no link.
    const again = await startServer({ DATABASE_URL: '', KLAXON_DATA_DIR: dataDir });
    cleanups.push(() => again.stop());
    // The link, when there is one, is printed before the ready line.
    await outputContains(again, 'Klaxon is ready');
    expect(again.output()).not.toContain('setupUrl');
  }, 180_000);

  it.runIf(testDatabaseKind() === 'postgres')(
    'two processes on one PostgreSQL print the same link',
    async () => {
      const database = await createTestDatabase();
      cleanups.push(() => database.close());
      const env = { DATABASE_URL: database.url as string, KLAXON_MASTER_KEY: randomBytes(32).toString('hex') };
      const [a, b] = await Promise.all([startServer(env), startServer(env)]);
      cleanups.push(
        () => a.stop(),
        () => b.stop(),
      );
      const [first, second] = await Promise.all([setupUrlOf(a), setupUrlOf(b)]);
      expect(new URL(first).hash).toBe(new URL(second).hash);
    },
    120_000,
  );
});
