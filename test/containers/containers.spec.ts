import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../helpers/webhooks.js';
import { ensureStandIns, freePortSync, podman, removeUnusedNetworks, run } from './podman.js';

/**
 * The image and compose.yaml of the repository, built and run for real with Podman. Base images
 * are local stand-ins under their public names (see stand-ins/), so the build runs with
 * --pull=never; everything else (the Dockerfile, compose.yaml, HAProxy's configuration) is what
 * users get.
 */
const REPOSITORY = new URL('../..', import.meta.url).pathname;
const IMAGE = 'localhost/klaxon:latest';
const suffix = randomBytes(4).toString('hex');
const cleanups: Array<() => void> = [];

afterAll(() => {
  for (const cleanup of cleanups.reverse()) {
    try {
      cleanup();
    } catch (error) {
      console.error(error);
    }
  }
});

async function waitFor(url: string, timeoutMs: number, describeFailure: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 in ${timeoutMs} ms:\n${describeFailure()}`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

async function healthy(container: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      podman(['healthcheck', 'run', container]);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
    }
  }
}

async function api(base: string, key: string, method: string, path: string, body?: unknown) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Creates a generic integration, posts signed alerts through `base`, and returns what was stored. */
const secrets = new Map<string, string>();

/** Sends one signed webhook per title (through a new integration the first time at `base`); returns every alert's title. */
async function driveWebhooks(base: string, key: string, titles: string[], createIntegration = true) {
  if (createIntegration) {
    const created = await api(base, key, 'POST', '/api/integrations', { name: `ct-${suffix}`, type: 'generic' });
    expect(created.status).toBe(201);
    secrets.set(base, created.body.webhookSecret as string);
  }
  const secret = secrets.get(base) as string;
  for (const title of titles) {
    const body = JSON.stringify({ title, severity: 'critical', dedupKey: randomUUID() });
    const response = await fetch(`${base}/webhooks/alerts/ct-${suffix}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(secret, body) },
      body,
    });
    expect(response.status, await response.text()).toBe(202);
  }
  const alerts = await api(base, key, 'GET', '/api/alerts?limit=100');
  expect(alerts.status).toBe(200);
  return (alerts.body.alerts as Array<{ title: string }>).map((alert) => alert.title).sort();
}

beforeAll(() => {
  removeUnusedNetworks('klaxon-ct-');
  ensureStandIns();
  const started = Date.now();
  podman(['build', '--pull=never', '--network=host', '--format=docker', '-t', IMAGE, REPOSITORY], {
    timeoutMs: 900_000,
  });
  const bytes = Number(podman(['image', 'inspect', '--format', '{{.Size}}', IMAGE]).trim());
  console.log(
    `image ${IMAGE}: ${(bytes / 1e6).toFixed(0)} MB, built in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
}, 1_200_000);

describe('the container image (podman build, podman run)', () => {
  it('runs as node, keeps the embedded database in its volume, answers /healthz and its HEALTHCHECK, stores a signed webhook, stops cleanly on SIGTERM', async () => {
    const volume = `klaxon-ct-${suffix}`;
    const name = `klaxon-ct-${suffix}`;
    const port = freePortSync();
    cleanups.push(() => podman(['volume', 'rm', '-f', volume]));
    cleanups.push(() => podman(['rm', '-f', '-t', '0', name]));

    // HEALTHCHECK is Docker's image format; OCI images (podman's default) drop it.
    // The CLI in the image, before the server holds the embedded database.
    const bootstrap = podman([
      'run',
      '--rm',
      '--network=host',
      '-v',
      `${volume}:/var/lib/klaxon`,
      IMAGE,
      'node',
      'dist/cli.js',
      'bootstrap-admin',
      '--email',
      'admin@example.com',
    ]);
    const { apiKey } = JSON.parse(bootstrap.trim().split('\n').at(-1) ?? '') as { apiKey: string };

    podman([
      'run',
      '-d',
      '--name',
      name,
      '--network=host',
      '-e',
      `PORT=${port}`,
      '-v',
      `${volume}:/var/lib/klaxon`,
      IMAGE,
    ]);
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/healthz`, 90_000, () => podman(['logs', name]));

    expect(podman(['exec', name, 'id', '-un']).trim()).toBe('node');
    expect(podman(['exec', name, 'stat', '-c', '%U %a', '/var/lib/klaxon']).trim()).toBe('node 700');
    // The image's own HEALTHCHECK (retried as its --retries allows: a loaded machine may be slow).
    await healthy(name);

    expect(await driveWebhooks(base, apiKey, ['disk full in a container'])).toEqual(['disk full in a container']);

    podman(['stop', '-t', '30', name], { timeoutMs: 60_000 });
    expect(podman(['inspect', '--format', '{{.State.ExitCode}}', name]).trim()).toBe('0');
  }, 300_000);
});

/**
 * `bootstrap-admin` run in a replica, as docs/deploy.md tells an operator to. Twice in CI (never in
 * dozens of runs alone) a fresh process's first connection to PostgreSQL timed out right after the
 * replicas had connected, with 5 s and then 30 s to connect: something in the container network of
 * a machine that has just run the whole suite, not in Klaxon. An operator would run the command
 * again, and so does this (at most three attempts 5 s apart, when it says it cannot connect); each
 * failed attempt prints what the network looked like then, so the next occurrence says where it was.
 */
async function bootstrapAdminInCompose(container: (service: string) => string): Promise<string> {
  const command = ['node', 'dist/cli.js', 'bootstrap-admin', '--email', 'admin@example.com'];
  for (let attempt = 1; ; attempt++) {
    try {
      return podman(['exec', '-e', 'DATABASE_CONNECT_TIMEOUT_MS=20000', container('klaxon-1'), ...command]);
    } catch (error) {
      const connectionFailure = String(error).includes('cannot connect to PostgreSQL');
      if (!connectionFailure) throw error;
      console.log(
        `bootstrap-admin, attempt ${attempt}: ${String(error)}\nthe network then:\n${describeNetwork(container)}`,
      );
      if (attempt === 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

/** What a replica sees of PostgreSQL (the name lookup and a TCP connect, timed) and what PostgreSQL says. */
function describeNetwork(container: (service: string) => string): string {
  const probe = `
    const dns = require('node:dns'), net = require('node:net');
    const t0 = Date.now();
    dns.lookup('postgres', { all: true }, (error, addresses) => {
      console.log('lookup postgres:', error ? error.code : JSON.stringify(addresses), Date.now() - t0, 'ms');
      const t1 = Date.now();
      const socket = net.connect(5432, 'postgres');
      socket.setTimeout(10000, () => { console.log('connect postgres:5432: nothing in', Date.now() - t1, 'ms'); socket.destroy(); });
      socket.on('connect', () => { console.log('connect postgres:5432:', Date.now() - t1, 'ms'); socket.destroy(); });
      socket.on('error', (e) => console.log('connect postgres:5432:', e.code, Date.now() - t1, 'ms'));
    });`;
  const section = (label: string, args: string[]) => {
    try {
      return `--- ${label}\n${podman(args, { timeoutMs: 30_000 })}`;
    } catch (error) {
      return `--- ${label}\n${String(error)}`;
    }
  };
  const activity = 'select coalesce(state, backend_type), count(*) from pg_stat_activity group by 1';
  return [
    section('from klaxon-1', ['exec', container('klaxon-1'), 'node', '-e', probe]),
    section('pg_stat_activity', [
      'exec',
      container('postgres'),
      'psql',
      '-U',
      'klaxon',
      '-d',
      'klaxon',
      '-Atc',
      activity,
    ]),
    section('postgres log', ['logs', '--tail', '30', container('postgres')]),
    section('klaxon-1 log', ['logs', '--tail', '20', container('klaxon-1')]),
    section('networks', ['network', 'ls']),
  ].join('\n');
}

describe('compose.yaml (podman-compose): PostgreSQL and two replicas behind one port', () => {
  it('serves through the shared port, stores a signed webhook, keeps serving with one replica stopped', async () => {
    const project = `klaxon-ct-${suffix}`;
    const port = freePortSync();
    const env = {
      KLAXON_PORT: String(port),
      KLAXON_MASTER_KEY: randomBytes(32).toString('hex'),
      POSTGRES_PASSWORD: randomBytes(12).toString('hex'),
    };
    const compose = (...args: string[]) =>
      run(
        'env',
        [
          ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
          'podman-compose',
          '-p',
          project,
          '-f',
          `${REPOSITORY}compose.yaml`,
          ...args,
        ],
        {
          timeoutMs: 300_000,
        },
      );
    // podman-compose 1.0 leaves the project's network behind on `down`; netavark has 256 subnets to give.
    cleanups.push(() => podman(['network', 'rm', `${project}_default`]));
    cleanups.push(() => compose('down', '-v'));
    compose('up', '-d');
    const container = (service: string) => `${project}_${service}_1`;
    const base = `http://127.0.0.1:${port}`;
    await waitFor(`${base}/readyz`, 120_000, () =>
      ['postgres', 'klaxon-1', 'klaxon-2', 'proxy']
        .map((s) => `--- ${s}\n${podman(['logs', container(s)])}`)
        .join('\n'),
    );

    // The proxy answers once one replica is ready; the other may still be starting (a loaded
    // machine): wait until each has said it is ready before using either.
    const deadline = Date.now() + 120_000;
    for (const replica of ['klaxon-1', 'klaxon-2']) {
      while (!podman(['logs', container(replica)]).includes('Klaxon is ready')) {
        if (Date.now() > deadline)
          throw new Error(`${replica} never became ready:\n${podman(['logs', container(replica)])}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }

    const bootstrap = await bootstrapAdminInCompose(container);
    const { apiKey } = JSON.parse(bootstrap.trim().split('\n').at(-1) ?? '') as { apiKey: string };

    // Round robin: both replicas answer webhooks through the one port. HAProxy puts a replica in
    // rotation at its next health check (every 2 s) after it is ready, so webhooks go on, a few
    // at a time, until both have taken some (or the deadline: then the assertion below fails).
    const titles: string[] = [];
    const answered = (replica: string) => podman(['logs', container(replica)]).includes('/webhooks/alerts/');
    do {
      const next = [1, 2, 3, 4].map((n) => `through the proxy ${titles.length + n}`);
      expect(await driveWebhooks(base, apiKey, next, titles.length === 0)).toEqual([...titles, ...next].sort());
      titles.push(...next);
    } while (!(answered('klaxon-1') && answered('klaxon-2')) && Date.now() < deadline + 60_000);
    for (const replica of ['klaxon-1', 'klaxon-2']) {
      expect(podman(['logs', container(replica)])).toContain('/webhooks/alerts/');
    }

    // One replica gone: HAProxy retries on the other, the port keeps answering.
    podman(['stop', '-t', '30', container('klaxon-1')], { timeoutMs: 60_000 });
    const after = await fetch(`${base}/readyz`);
    expect(after.status).toBe(200);
    const alerts = await api(base, apiKey, 'GET', '/api/alerts?limit=100');
    expect((alerts.body.alerts as unknown[]).length).toBe(titles.length);
  }, 600_000);
});
