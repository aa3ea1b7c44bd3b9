/**
 * Time to page, measured from the outside (issue 21 item 4), for `npm run bench` and
 * `npm run bench:paging`.
 *
 * Starts Klaxon (the compiled build, as `npm start` runs it, default log level) on a fresh
 * database with a two-level policy (level 1 pages one person's webhook at once, level 2 another's
 * one minute later) and a loopback webhook receiver, then:
 * 1. opens `incidents` incidents at 20 per second: `page` is the time from each 202 to the
 *    level-1 page at the receiver; `late` is how long after it was due each level-2 page arrived
 *    (its arrival less the level-1 page's arrival less the one-minute delay: the level-1 step's
 *    send time stands for the moment the step ran, a few milliseconds after it);
 * 2. opens `storm` incidents within 10 s: `page` again, for the first pages during the storm
 *    (waiting until each has arrived, 60 s at most), and the CPU time that took.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type KlaxonTarget, targetEnv, withKlaxonDatabase } from './klaxon-db.js';
import type { StatementStats } from './postgres-cluster.js';
import { npmStartNodeFlags, startNodeServer } from './processes.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..', '..');
const LEVEL_DELAY_MS = 60_000;

/** Arrival time of each page, by receiver path and incident title (one alert per incident here). */
async function startReceiver() {
  const arrivals = new Map<string, number>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const at = Date.now();
      try {
        const { data } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { data: { title: string } };
        const key = `${request.url} ${data.title}`;
        if (!arrivals.has(key)) arrivals.set(key, at);
      } catch {
        // Not a page.
      }
      response.writeHead(200).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    arrivals,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
export interface Percentiles {
  p50: number;
  p99: number;
  arrived: number;
  expected: number;
}

function percentiles(samples: number[], expected: number): Percentiles {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), arrived: samples.length, expected };
}

export interface PagingResult {
  /** From each 202 to its level-1 page, incidents opened at 20/s. */
  page: Percentiles;
  /** Level-2 pages after they were due. */
  late: Percentiles;
  /** From each 202 to its level-1 page during the storm. */
  stormPage: Percentiles;
  /**
   * From each storm webhook's POST to its level-1 page: `stormPage` plus the wait for the 202,
   * which a faster ingest shortens and a slower one lengthens (`stormPage` alone cannot tell).
   */
  stormPageFromPost: Percentiles;
  stormSize: number;
  /**
   * CPU time (user + system) from the storm's first webhook until its last page arrived, in ms:
   * Klaxon's processes and, on PostgreSQL, the cluster's (null on PGlite, which runs inside Klaxon).
   */
  stormCpuMs: { klaxon: number; database: number | null };
  /** PostgreSQL's statements during the storm, heaviest first (with `statements`). */
  stormStatements?: StatementStats[];
  errors: string[];
}

export function formatPaging(result: PagingResult, incidents: number): string[] {
  const perIncident = (ms: number) => ((ms * 1000) / Math.max(1, result.stormSize)).toFixed(0);
  const line = (label: string, p: Percentiles) =>
    `${label} p50/p99 ${p.p50.toFixed(0)}/${p.p99.toFixed(0)} ms (${p.arrived}/${p.expected} arrived)`;
  return [
    `${incidents} incidents at 20/s: ${line('page', result.page)}`,
    `${incidents} incidents at 20/s: ${line('late', result.late)} (level 2 after it was due)`,
    `storm of ${result.stormSize} within 10 s:  ${line('page', result.stormPage)}`,
    `storm of ${result.stormSize} within 10 s:  ${line('POST to page', result.stormPageFromPost)}`,
    `storm CPU: Klaxon ${result.stormCpuMs.klaxon.toFixed(0)} ms (${perIncident(result.stormCpuMs.klaxon)} µs per incident)${
      result.stormCpuMs.database === null
        ? ''
        : `, PostgreSQL ${result.stormCpuMs.database.toFixed(0)} ms (${perIncident(result.stormCpuMs.database)} µs per incident)`
    }`,
    `webhook errors: ${result.errors.length}${result.errors.length > 0 ? ` (${[...new Set(result.errors)].join('; ')})` : ''}`,
  ];
}

/** Runs both phases against a fresh, not yet migrated database; about 90 s. */
export async function measurePaging(
  target: KlaxonTarget,
  options: {
    incidents: number;
    storm: number;
    log: (line: string) => void;
    /** The compiled server to run: this tree's dist/main.js unless another build's (A/B runs). */
    serverScript?: string;
    /** The database's CPU time so far, in ms (PostgreSQL's processes); absent on PGlite. */
    databaseCpuMs?: () => number;
    /** Node flags for the server besides `npm start`'s (`--cpu-prof`, for a profile of the run). */
    nodeArgs?: string[];
    /** The cluster's statement statistics since the last call (then reset): read around the storm. */
    statements?: () => Promise<StatementStats[]>;
  },
): Promise<PagingResult> {
  const { incidents, storm, log } = options;
  const masterKeyHex = randomBytes(32).toString('hex');
  const receiver = await startReceiver();
  try {
    const adminKey = await withKlaxonDatabase(target, masterKeyHex, async (database) => {
      await database.migrate();
      const { createServices } = await import('../../src/services.js');
      const services = createServices({ database, masterKey: Buffer.from(masterKeyHex, 'hex') });
      return (await services.bootstrapAdminService.bootstrap({ email: 'bench@example.com' })).apiKey;
    });
    const serverScript = options.serverScript ?? join(ROOT, 'dist', 'main.js');
    const server = await startNodeServer(
      serverScript,
      {
        ...targetEnv(target, masterKeyHex),
        KLAXON_OUTBOUND_ALLOWED_NETWORKS: '127.0.0.0/8',
        KLAXON_JOB_WORKERS: 'true',
      },
      { nodeArgs: [...npmStartNodeFlags(serverScript), ...(options.nodeArgs ?? [])] },
    );
    try {
      const api = async (method: string, path: string, body?: unknown) => {
        const response = await fetch(`${server.url}${path}`, {
          method,
          headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
        return (await response.json()) as { id: string; webhookSecret: string };
      };
      const team = (await api('POST', '/api/teams', { name: 'paging' })).id;
      const people: string[] = [];
      for (const name of ['first', 'second']) {
        const user = (await api('POST', '/api/users', { email: `${name}@example.com` })).id;
        await api('POST', '/api/contact-methods', { type: 'webhook', address: receiver.url(`/${name}`), userId: user });
        await api('POST', `/api/teams/${team}/members`, { userId: user });
        people.push(user);
      }
      await api('POST', '/api/routing-rules', { name: 'all', teamId: team });
      await api('POST', '/api/escalation-policies', {
        teamId: team,
        name: 'two levels',
        isDefault: true,
        levels: people.map((id) => ({ delayMinutes: 1, targets: [{ type: 'user', id }] })),
      });
      const integration = await api('POST', '/api/integrations', { name: 'paging', type: 'generic' });

      /** Opens `count` incidents at `perSecond`; resolves to each one's title and the times of its POST and its 202. */
      const open = async (prefix: string, count: number, perSecond: number) => {
        const started = Date.now();
        const sends: Array<Promise<Array<{ title: string; postedAt: number; acceptedAt: number }>>> = [];
        for (let i = 0; i < count; i++) {
          const wait = started + (i * 1000) / perSecond - Date.now();
          if (wait > 0) await sleep(wait);
          const title = `${prefix} ${i}`;
          const body = JSON.stringify({ title, dedupKey: `${prefix}-${i}`, severity: 'critical' });
          const signature = createHmac('sha256', integration.webhookSecret).update(body).digest('hex');
          const postedAt = Date.now();
          sends.push(
            fetch(`${server.url}/webhooks/alerts/paging`, {
              method: 'POST',
              headers: { 'content-type': 'application/json', 'x-webhook-signature': signature },
              body,
            })
              .then(async (response) => {
                const acceptedAt = Date.now();
                await response.arrayBuffer();
                if (response.status !== 202) throw new Error(`webhook answered ${response.status}`);
                return [{ title, postedAt, acceptedAt }];
              })
              .catch((error: unknown) => {
                // fetch's own message ("fetch failed") hides the socket error under `cause`.
                const cause = error instanceof Error ? (error.cause as { code?: string } | undefined)?.code : undefined;
                errors.push(`${error instanceof Error ? error.message : String(error)}${cause ? ` (${cause})` : ''}`);
                return [];
              }),
          );
        }
        return (await Promise.all(sends)).flat();
      };
      const pageLatencies = (opened: Array<{ title: string; acceptedAt: number }>) =>
        opened.flatMap(({ title, acceptedAt }) => {
          const at = receiver.arrivals.get(`/first ${title}`);
          return at === undefined ? [] : [at - acceptedAt];
        });

      const errors: string[] = [];
      log(`paging: opening ${incidents} incidents at 20/s, then waiting for level 2 (${LEVEL_DELAY_MS / 1000} s)`);
      const delayed = await open('delayed', incidents, 20);
      // Not much longer: Fastify closes connections idle for 72 s, racing the storm's first requests.
      // No incidents (`--incidents 0`, the storm alone, for quicker A/B runs): no level 2 to wait for.
      if (incidents > 0) await sleep(LEVEL_DELAY_MS + 5_000);
      const late = delayed.flatMap(({ title }) => {
        const first = receiver.arrivals.get(`/first ${title}`);
        const second = receiver.arrivals.get(`/second ${title}`);
        return first === undefined || second === undefined ? [] : [second - first - LEVEL_DELAY_MS];
      });
      log(`paging: a storm of ${storm} incidents within 10 s`);
      await options.statements?.();
      const cpuBefore = { klaxon: server.cpuMs(), database: options.databaseCpuMs?.() ?? null };
      const stormed = await open('storm', storm, storm / 10);
      // Until every storm page arrived (the CPU then counts the whole storm's work), 60 s at most.
      const waitUntil = Date.now() + 60_000;
      while (pageLatencies(stormed).length < stormed.length && Date.now() < waitUntil) await sleep(200);
      const stormCpuMs = {
        klaxon: server.cpuMs() - cpuBefore.klaxon,
        database: cpuBefore.database === null ? null : (options.databaseCpuMs?.() ?? 0) - cpuBefore.database,
      };
      const stormStatements = await options.statements?.();
      return {
        ...(stormStatements === undefined ? {} : { stormStatements }),
        page: percentiles(pageLatencies(delayed), incidents),
        late: percentiles(late, incidents),
        stormPage: percentiles(pageLatencies(stormed), storm),
        stormPageFromPost: percentiles(
          pageLatencies(stormed.map(({ title, postedAt }) => ({ title, acceptedAt: postedAt }))),
          storm,
        ),
        stormSize: storm,
        stormCpuMs,
        errors,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await receiver.close();
  }
}
