import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { type DatabaseHandle, openDatabase } from '../src/db/client.js';
import { users } from '../src/db/schema/index.js';
import { verifyPassword } from '../src/lib/password.js';
import { buildIfStale } from './helpers/build-once.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';
import { TEST_NODE_FLAGS } from './helpers/node-flags.js';

/**
 * The CLI and the server as real processes, the way an operator runs them: on a fresh embedded
 * data dir, or (when the suite runs with DATABASE_URL) on a fresh PostgreSQL database. They run
 * compiled (dist/, as `npm start` and the container's `node dist/cli.js` do): under tsx each
 * process spent seconds compiling the sources before doing anything. `npm run cli` (tsx on
 * src/cli.ts, as the README has it) is run once, for --help.
 */

const REPO = fileURLToPath(new URL('..', import.meta.url));
const STEP_TIMEOUT_MS = 120_000;
const kind = testDatabaseKind();
const children = new Set<ChildProcess>();
const tempDirs: string[] = [];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-cli-'));
  tempDirs.push(dir);
  return dir;
}

/** The environment of the test runner without any Klaxon setting, so each process gets only what we give it. */
function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^(KLAXON_|DATABASE_|PORT$|HOST$|LOG_LEVEL$)/.test(name)) env[name] = value;
  }
  return { ...env, ...extra };
}

/** `dist/cli.js`, `dist/main.js`, or under tsx a source file (`src/cli.ts`). */
function start(script: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...TEST_NODE_FLAGS, ...loader, script, ...args], {
    cwd: REPO,
    env,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function waitForExit(child: ChildProcess, timeoutMs = STEP_TIMEOUT_MS): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`process did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

function cli(args: string[], env: NodeJS.ProcessEnv, input?: string, script = 'dist/cli.js'): Promise<Exit> {
  const child = start(script, args, env);
  const exit = waitForExit(child);
  child.stdin?.end(input ?? '');
  return exit;
}

/** The one JSON line bootstrap-admin prints, checked to be exactly that. */
function bootstrapOutput(exit: Exit): { userId: string; apiKey: string } {
  expect(exit.code, exit.stderr).toBe(0);
  const lines = exit.stdout.split('\n');
  expect(lines).toHaveLength(2);
  expect(lines[1]).toBe('');
  const parsed = JSON.parse(lines[0] ?? '');
  expect(Object.keys(parsed).sort()).toEqual(['apiKey', 'userId']);
  expect(parsed.userId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(parsed.apiKey).toMatch(/^klx_[A-Za-z0-9_-]{43}$/);
  return parsed;
}

let env: NodeJS.ProcessEnv;
let dataDir: string;
let postgres: (DatabaseHandle & { url?: string }) | undefined;

beforeAll(async () => {
  buildIfStale('build-server.mjs');
  dataDir = tempDir();
  if (kind === 'postgres') {
    postgres = await createTestDatabase();
    env = baseEnv({
      DATABASE_URL: postgres.url ?? '',
      KLAXON_MASTER_KEY: randomBytes(32).toString('hex'),
      KLAXON_DATA_DIR: dataDir,
    });
  } else {
    env = baseEnv({ KLAXON_DATA_DIR: dataDir });
  }
});

afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await postgres?.close();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** The stored password hash of a user, read the way the server would. */
async function storedPasswordHash(email: string): Promise<string | null | undefined> {
  const database = postgres ?? (await openDatabase(loadConfig({ KLAXON_DATA_DIR: dataDir })));
  try {
    const [row] = await database.db.select().from(users).where(eq(users.email, email));
    return row?.passwordHash;
  } finally {
    if (database !== postgres) await database.close();
  }
}

describe(`CLI and server as processes (${kind})`, { timeout: 120_000 }, () => {
  let first: { userId: string; apiKey: string };

  // The first three are independent of each other and of the database the rest build up: they run
  // at once.
  it.concurrent('--help lists every command the CLI dispatches, and exits 0', async () => {
    // The commands come from the CLI's own dispatch, so a new command without help text fails here.
    const source = readFileSync(join(REPO, 'src/cli.ts'), 'utf8');
    const commands = [...source.matchAll(/case '([a-z][a-z-]*)':/g)].map((match) => match[1] ?? '');
    expect(commands).toEqual(expect.arrayContaining(['bootstrap-admin', 'migrate', 'help']));
    const exit = await cli(['--help'], env, undefined, 'src/cli.ts');
    expect(exit.code, exit.stderr).toBe(0);
    for (const command of [...commands, '--email', '--name', '--password-stdin']) {
      expect(exit.stdout).toContain(command);
    }
  });

  it.concurrent('an unknown command or option exits 2 with the usage on stderr and nothing on stdout', async () => {
    const [unknown, badOption] = await Promise.all([
      cli(['frobnicate'], env),
      cli(['bootstrap-admin', '--email', 'a@b.c', '--admin'], env),
    ]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    expect(unknown.stderr).toContain('Usage:');
    expect(badOption.code).toBe(2);
    expect(badOption.stdout).toBe('');
    expect(badOption.stderr).toContain('--admin');
  });

  it.concurrent('with PostgreSQL unreachable: the CLI and the server say where and why in one line, exit 1', async () => {
    // Port 1 (tcpmux): nothing listens there, and no listen(0) elsewhere in the suite can take it.
    const port = 1;
    const password = randomBytes(8).toString('hex');
    const unreachable = baseEnv({
      DATABASE_URL: `postgres://klaxon:${password}@127.0.0.1:${port}/klaxon`,
      KLAXON_MASTER_KEY: randomBytes(32).toString('hex'),
    });
    const [command, server] = await Promise.all([
      cli(['bootstrap-admin', '--email', 'a@b.c'], unreachable),
      waitForExit(start('dist/main.js', [], unreachable)),
    ]);
    for (const exit of [command, server]) {
      expect(exit.code).toBe(1);
      expect(exit.stdout).toBe('');
      expect(exit.stderr).toBe(
        `klaxon: cannot connect to PostgreSQL at 127.0.0.1:${port}/klaxon (DATABASE_URL): connection refused: nothing listens there; is PostgreSQL running, on that port?\n`,
      );
    }
  });

  it.concurrent('with the data dir locked by a live process: a clear message and exit 1', async () => {
    const lockedDir = tempDir();
    const holder = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    children.add(holder);
    try {
      writeFileSync(join(lockedDir, 'klaxon.lock'), String(holder.pid));
      const exit = await cli(['bootstrap-admin', '--email', 'a@b.c'], baseEnv({ KLAXON_DATA_DIR: lockedDir }));
      expect(exit.code).toBe(1);
      expect(exit.stdout).toBe('');
      expect(exit.stderr).toContain(`is in use by another Klaxon process (pid ${holder.pid})`);
      expect(exit.stderr).toContain('Stop that process first');
      expect(exit.stderr).not.toMatch(/\n\s+at /);
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('bootstrap-admin prints exactly one JSON line {"userId","apiKey"} and exits 0', async () => {
    first = bootstrapOutput(await cli(['bootstrap-admin', '--email', 'a@b.c', '--name', 'Root'], env));
    if (kind === 'pglite') {
      expect(existsSync(join(dataDir, 'master.key'))).toBe(true);
      expect(existsSync(join(dataDir, 'klaxon.lock'))).toBe(false);
    }
  });

  it('run again for the same email: the same user, a new key', async () => {
    const again = bootstrapOutput(await cli(['bootstrap-admin', '--email', 'A@B.C'], env));
    expect(again.userId).toBe(first.userId);
    expect(again.apiKey).not.toBe(first.apiKey);
  });

  it('--password-stdin sets the console password from standard input', async () => {
    const password = `correct horse ${randomBytes(4).toString('hex')}`;
    const result = bootstrapOutput(
      await cli(['bootstrap-admin', '--email', 'a@b.c', '--password-stdin'], env, `${password}\n`),
    );
    expect(result.userId).toBe(first.userId);
    const hash = await storedPasswordHash('a@b.c');
    expect(hash).toMatch(/^scrypt\$/);
    expect(await verifyPassword(password, hash ?? '')).toBe(true);
    expect(await verifyPassword(`${password}\n`, hash ?? '')).toBe(false);

    const short = await cli(['bootstrap-admin', '--email', 'a@b.c', '--password-stdin'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stdout).toBe('');
    expect(short.stderr).toContain('at least 8 characters');
  });

  it('the server starts on that database, accepts the printed key, and exits 0 on SIGTERM', async () => {
    const latest = bootstrapOutput(await cli(['bootstrap-admin', '--email', 'a@b.c'], env));
    // PORT=0: the kernel's choice, read from the log, so no other process can take it meanwhile.
    const server = start('dist/main.js', [], { ...env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
    const exited = waitForExit(server, 90_000);
    let logs = '';
    server.stdout?.on('data', (chunk: Buffer) => {
      logs += chunk.toString('utf8');
    });
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (!logs.includes('Klaxon is ready')) {
      if (server.exitCode !== null) throw new Error(`server exited early: ${(await exited).stderr}`);
      if (Date.now() > deadline) throw new Error(`server not ready in time: ${logs}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(logs)?.[1];
    if (base === undefined) throw new Error(`no listening address in the log: ${logs}`);

    const list = await fetch(`${base}/api/users`, { headers: { authorization: `Bearer ${latest.apiKey}` } });
    expect(list.status).toBe(200);
    const body = (await list.json()) as { users: Array<{ id: string; email: string; isPlatformAdmin: boolean }> };
    expect(body.users).toContainEqual(
      expect.objectContaining({ id: first.userId, email: 'a@b.c', isPlatformAdmin: true }),
    );
    expect((await fetch(`${base}/api/users`)).status).toBe(401);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);

    if (kind === 'pglite') {
      // The running server holds the embedded database; the CLI must refuse rather than corrupt it.
      const blocked = await cli(['bootstrap-admin', '--email', 'a@b.c'], env);
      expect(blocked.code).toBe(1);
      expect(blocked.stderr).toContain(`is in use by another Klaxon process (pid ${server.pid})`);
    }

    server.kill('SIGTERM');
    const exit = await exited;
    expect(exit.signal).toBeNull();
    expect(exit.code, exit.stderr).toBe(0);
    expect(logs).toContain('shutting down');
    expect(logs).not.toContain(latest.apiKey);

    // Shutdown released the database: the CLI works again straight away.
    expect(bootstrapOutput(await cli(['bootstrap-admin', '--email', 'a@b.c'], env)).userId).toBe(first.userId);
  });
});
