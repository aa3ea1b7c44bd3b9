/**
 * `npm run bench -- [--db pglite|postgres] [--workload unique,hot,batch,grown,naive,paging|all]
 *   [--duration 10] [--warmup 3] [--connections 50] [--grown-rows 1000000] [--cpu-prof] [--workers 1]
 *   [--incidents 20] [--storm 1000] [--no-alertmanager] [--server <another tree>/dist/main.js]`
 *
 * Starts Klaxon as its own process on a fresh database per workload, drives signed webhooks at it
 * over loopback with autocannon, and prints every figure with its ratio to a ceiling (a bare
 * Fastify server verifying the same signature and storing nothing) and to Prometheus Alertmanager
 * taking the same alerts in its `POST /api/v2/alerts`, both measured in the same run. Checks that
 * every 202 is stored; exits 1 when one is missing. `paging` measures the time to page and how
 * late delayed escalation steps fire. See bench/README.md.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { alertmanagerSource, startAlertmanager } from './lib/alertmanager.js';
import {
  type BenchIntegrations,
  countStored,
  type KlaxonTarget,
  prefillGrown,
  prepareKlaxonDatabase,
  targetEnv,
} from './lib/klaxon-db.js';
import { type LoadResult, runLoad } from './lib/load.js';
import { formatPaging, measurePaging, type PagingResult } from './lib/paging.js';
import {
  alertmanagerBatches,
  BATCH_SIZE,
  BODY_BYTES,
  batchFingerprints,
  cycledGenericPool,
  type KeyPattern,
  keySequence,
  type RequestSource,
  signedGenericPool,
} from './lib/payloads.js';
import { type PostgresCluster, startPostgresCluster } from './lib/postgres-cluster.js';
import { npmStartNodeFlags, startNodeServer } from './lib/processes.js';
import { formatProfile, summarizeProfile } from './lib/profile.js';

const WORKLOADS = ['unique', 'hot', 'batch', 'grown', 'naive', 'floor', 'paging'] as const;
type Workload = (typeof WORKLOADS)[number];
type DbKind = 'pglite' | 'postgres';

const BENCH_DIR = new URL('.', import.meta.url).pathname;
const ROOT = join(BENCH_DIR, '..');
const RESULTS_DIR = join(BENCH_DIR, 'results');
/** Klaxon as `npm start` runs it: the compiled build, rebuilt by main() when a source changed. */
const KLAXON_ENTRY = join(ROOT, 'dist', 'main.js');
/** The naive PGlite baseline quoted in issue 7, used when this run did not measure one. */
const QUOTED_NAIVE_PGLITE = 2700;

function parseOptions() {
  const { values } = parseArgs({
    options: {
      db: { type: 'string', default: 'pglite' },
      workload: { type: 'string', default: 'all' },
      duration: { type: 'string', default: '10' },
      warmup: { type: 'string', default: '3' },
      connections: { type: 'string', default: '50' },
      'grown-rows': { type: 'string', default: '1000000' },
      'cpu-prof': { type: 'boolean', default: false },
      workers: { type: 'string', default: '1' },
      incidents: { type: 'string', default: '20' },
      storm: { type: 'string', default: '1000' },
      'no-alertmanager': { type: 'boolean', default: false },
      server: { type: 'string' },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      readFileSync(new URL(import.meta.url), 'utf8')
        .split('*/')[0]
        ?.replace('/**', '') ?? '',
    );
    process.exit(0);
  }
  const db = values.db as DbKind;
  if (db !== 'pglite' && db !== 'postgres') throw new Error('--db must be pglite or postgres');
  const requested = values.workload === 'all' ? [...WORKLOADS] : values.workload.split(',').map((w) => w.trim());
  for (const w of requested) {
    if (!(WORKLOADS as readonly string[]).includes(w))
      throw new Error(`unknown workload "${w}" (${WORKLOADS.join('|')}|all)`);
  }
  const number = (name: string, value: string, min: number) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < min) throw new Error(`--${name} must be a number ≥ ${min}`);
    return n;
  };
  return {
    db,
    workloads: WORKLOADS.filter((w) => requested.includes(w)),
    durationSec: number('duration', values.duration, 1),
    warmupSec: number('warmup', values.warmup, 0),
    connections: number('connections', values.connections, 1),
    grownRows: Math.floor(number('grown-rows', values['grown-rows'], 0)),
    cpuProf: values['cpu-prof'],
    workers: Math.floor(number('workers', values.workers, 1)),
    incidents: Math.floor(number('incidents', values.incidents, 1)),
    storm: Math.floor(number('storm', values.storm, 0)),
    alertmanager: !values['no-alertmanager'],
    /** Another build's compiled server (`<tree>/dist/main.js`) instead of this tree's: A/B runs. */
    klaxonEntry: values.server ?? KLAXON_ENTRY,
  };
}

type Options = ReturnType<typeof parseOptions>;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function machine() {
  const sh = (cmd: string, args: string[]) => {
    try {
      return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
    } catch {
      return 'unknown';
    }
  };
  return {
    nproc: Number(sh('nproc', [])),
    cpu: cpus()[0]?.model ?? 'unknown',
    memTotalGiB: Number((totalmem() / 2 ** 30).toFixed(1)),
    memFreeGiB: Number((freemem() / 2 ** 30).toFixed(1)),
    loadAvg: sh('cat', ['/proc/loadavg']).split(' ').slice(0, 3).join(' '),
    node: process.version,
    kernel: sh('uname', ['-r']),
  };
}

interface RunRecord {
  name: string;
  kind: 'ceiling' | 'naive' | 'floor' | 'klaxon' | 'alertmanager';
  workload: Workload | 'ceiling' | 'ceiling-batch';
  load: LoadResult;
  /** Accepted requests/s over the matching ceiling's. */
  ratio: number | null;
  /** Alerts/s over Alertmanager's taking the same alerts (Klaxon runs only). */
  alertmanagerRatio?: number;
  peakRssMiB: number | null;
  durability: {
    ok: boolean;
    acknowledged: number;
    sent: number;
    storedDeliveries: number;
    storedOccurrences: number;
    inFlightAtCutoff: number;
    detail: string;
  } | null;
  poolWrapped?: boolean;
  profile?: string;
}

/** Everything created for one run that must go away at the end. */
const cleanups: Array<() => Promise<void> | void> = [];
async function cleanup(): Promise<void> {
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch (error) {
      log(`cleanup: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}

/** Fresh Klaxon databases: a temp data dir (PGlite) or a new database in the cluster. */
function databaseFactory(db: DbKind, cluster: PostgresCluster | undefined, existingUrl: string | undefined) {
  let n = 0;
  return async (
    label: string,
  ): Promise<{ target: KlaxonTarget; drop: () => Promise<void>; dbCpuMs?: () => number }> => {
    n++;
    if (db === 'pglite') {
      const dataDir = mkdtempSync(join(tmpdir(), `klaxon-bench-${label}-`));
      return {
        target: { kind: 'pglite', dataDir },
        drop: async () => rmSync(dataDir, { recursive: true, force: true }),
      };
    }
    const name = `klaxon_bench_${Date.now()}_${n}_${label}`;
    if (cluster !== undefined)
      return {
        target: { kind: 'postgres', url: await cluster.createDatabase(name) },
        drop: async () => {},
        dbCpuMs: () => cluster.cpuMs(),
      };
    // An existing server (DATABASE_URL): create and drop a database of our own in it.
    const admin = new pg.Client({ connectionString: existingUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = new URL(existingUrl as string);
    url.pathname = `/${name}`;
    return {
      target: { kind: 'postgres', url: url.toString() },
      drop: async () => {
        const c = new pg.Client({ connectionString: existingUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  };
}

function poolSizeFor(options: Options, ceilingRps: number): number {
  // Klaxon cannot outrun the ceiling by much; 1.5× its rate over warm-up + run leaves headroom.
  return Math.ceil(ceilingRps * 1.5 * (options.warmupSec + options.durationSec)) + 10_000;
}

async function measureCeiling(options: Options, secret: string): Promise<{ generic: RunRecord; batch?: RunRecord }> {
  const server = await startNodeServer(join(BENCH_DIR, 'ceiling-server.ts'), { BENCH_SECRET: secret });
  try {
    log(`ceiling: bare Fastify + HMAC-SHA256 over ${BODY_BYTES} B, stores nothing (${server.url})`);
    const load = await runLoad({
      url: server.url,
      path: '/webhooks/alerts/bench-generic',
      source: cycledGenericPool(secret),
      connections: options.connections,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      cpuMs: server.cpuMs,
    });
    const generic: RunRecord = {
      name: 'ceiling (1 KiB, HMAC)',
      kind: 'ceiling',
      workload: 'ceiling',
      load,
      ratio: 1,
      peakRssMiB: server.peakRssMiB(),
      durability: null,
    };
    let batch: RunRecord | undefined;
    if (options.workloads.includes('batch')) {
      log(`ceiling: the same with Alertmanager batches of ${BATCH_SIZE} (bearer token)`);
      const batchLoad = await runLoad({
        url: server.url,
        path: '/webhooks/alerts/bench-alertmanager',
        source: alertmanagerBatches(secret, 'c'),
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        cpuMs: server.cpuMs,
      });
      batch = {
        name: `ceiling (batch of ${BATCH_SIZE}, token)`,
        kind: 'ceiling',
        workload: 'ceiling-batch',
        load: batchLoad,
        ratio: 1,
        peakRssMiB: server.peakRssMiB(),
        durability: null,
      };
    }
    return batch === undefined ? { generic } : { generic, batch };
  } finally {
    await server.stop();
  }
}

/**
 * The ceiling plus storage: `naive`, one INSERT per request; `floor`, the durable floor — the
 * requests that arrive during a commit written together by one multi-row INSERT (ceiling-server.ts).
 */
async function measureStoringCeiling(
  options: Options,
  mode: 'naive' | 'floor',
  secret: string,
  fresh: ReturnType<typeof databaseFactory>,
  ceilingRps: number,
): Promise<RunRecord> {
  const { target, drop, dbCpuMs } = await fresh(mode);
  cleanups.push(drop);
  const naiveDb = target.kind === 'pglite' ? `pglite:${join(target.dataDir, 'pgdata')}` : `postgres:${target.url}`;
  const server = await startNodeServer(join(BENCH_DIR, 'ceiling-server.ts'), {
    BENCH_SECRET: secret,
    BENCH_NAIVE_DB: naiveDb,
    ...(mode === 'floor'
      ? { BENCH_GROUP_COMMIT: '1', BENCH_BATCHES_IN_FLIGHT: process.env.BENCH_BATCHES_IN_FLIGHT ?? '1' }
      : {}),
  });
  try {
    log(
      mode === 'naive'
        ? `naive: the ceiling plus one INSERT per request into ${target.kind}`
        : `floor: the ceiling plus group-committed multi-row INSERTs of the body into ${target.kind}`,
    );
    const load = await runLoad({
      url: server.url,
      path: '/webhooks/alerts/bench-generic',
      source: cycledGenericPool(secret),
      connections: options.connections,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      cpuMs: server.cpuMs,
      ...(dbCpuMs === undefined ? {} : { dbCpuMs }),
    });
    return {
      name: mode === 'naive' ? 'naive (1 INSERT/request)' : 'durable floor (group commit)',
      kind: mode,
      workload: mode,
      load,
      ratio: load.acceptedPerSec / ceilingRps,
      peakRssMiB: server.peakRssMiB(),
      durability: null,
    };
  } finally {
    await server.stop();
    await drop();
  }
}

/** Which of Alertmanager's runs a Klaxon workload compares with. */
function alertmanagerPattern(workload: Workload): KeyPattern | 'batch' | undefined {
  // The naive server and the floor store the unique workload's requests: one new alert each.
  if (workload === 'unique' || workload === 'grown' || workload === 'naive' || workload === 'floor') return 'unique';
  if (workload === 'hot') return 'hot';
  if (workload === 'batch') return 'batch';
  return undefined;
}

/**
 * Alertmanager taking the same alerts as the Klaxon workloads (the same keys, one alert per
 * request; for `batch`, BATCH_SIZE per request), one fresh process per pattern.
 */
async function measureAlertmanager(options: Options, runTag: string): Promise<Map<KeyPattern | 'batch', RunRecord>> {
  const patterns = [...new Set(options.workloads.map(alertmanagerPattern))].filter((p) => p !== undefined);
  const records = new Map<KeyPattern | 'batch', RunRecord>();
  for (const pattern of patterns) {
    const server = await startAlertmanager(log);
    try {
      log(`alertmanager ${pattern}: POST /api/v2/alerts (${server.url}, pid ${server.pid})`);
      const source =
        pattern === 'batch'
          ? alertmanagerSource(batchFingerprints(`a${runTag}`), BATCH_SIZE)
          : alertmanagerSource(keySequence(pattern, `a${runTag}`), 1);
      const load = await runLoad({
        url: server.url,
        path: '/api/v2/alerts',
        source,
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        cpuMs: server.cpuMs,
      });
      records.set(pattern, {
        name: pattern === 'batch' ? `alertmanager batch of ${BATCH_SIZE}` : `alertmanager ${pattern}`,
        kind: 'alertmanager',
        workload: pattern,
        load,
        ratio: null,
        peakRssMiB: server.peakRssMiB(),
        durability: null,
      });
      log(
        `alertmanager ${pattern}: ${fmt(load.alertsPerSec)} alerts/s, p99 ${fmt(load.latencyMs.p99, 1)} ms, ${fmt(load.non2xx)} non-2xx`,
      );
    } finally {
      await server.stop();
    }
  }
  return records;
}

async function measureKlaxon(
  options: Options,
  workload: Exclude<Workload, 'naive' | 'floor' | 'paging'>,
  fresh: ReturnType<typeof databaseFactory>,
  ceiling: { generic: RunRecord; batch?: RunRecord },
  runTag: string,
): Promise<RunRecord> {
  const { target, drop, dbCpuMs } = await fresh(workload);
  cleanups.push(drop);
  try {
    const masterKeyHex = randomBytes(32).toString('hex');
    log(`${workload}: preparing a fresh ${target.kind} database`);
    const integrations: BenchIntegrations = await prepareKlaxonDatabase(target, masterKeyHex);
    if (workload === 'grown' && options.grownRows > 0) {
      log(`${workload}: pre-filling ${options.grownRows.toLocaleString('en')} alerts, deliveries and occurrences`);
      await prefillGrown(target, masterKeyHex, integrations.generic, options.grownRows, log);
    }
    const before = await countStored(target, masterKeyHex);

    const ceilingRps = ceiling.generic.load.acceptedPerSec;
    let source: RequestSource;
    let path: string;
    if (workload === 'batch') {
      source = alertmanagerBatches(integrations.alertmanager.secret, runTag);
      path = `/webhooks/alerts/${integrations.alertmanager.name}`;
    } else {
      const size = poolSizeFor(options, ceilingRps);
      const t0 = performance.now();
      source = signedGenericPool({
        secret: integrations.generic.secret,
        size,
        pattern: workload === 'hot' ? 'hot' : 'unique',
        tag: runTag,
      });
      log(
        `${workload}: pre-signed ${size.toLocaleString('en')} requests in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
      );
      path = `/webhooks/alerts/${integrations.generic.name}`;
    }

    const profileDir = join(RESULTS_DIR, 'profiles', `${runTag}-${target.kind}-${workload}`);
    const nodeArgs = [
      ...npmStartNodeFlags(options.klaxonEntry),
      ...(options.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ];
    const server = await startNodeServer(
      options.klaxonEntry,
      {
        ...targetEnv(target, masterKeyHex),
        KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE: '10000000',
        KLAXON_WORKERS: String(options.workers),
      },
      {
        nodeArgs,
        // With workers, /readyz answers as soon as the first listens; the primary says when all do.
        ...(options.workers > 1 && target.kind === 'postgres'
          ? { readyWhen: (output: string) => output.includes(`"workers":${options.workers},"msg":"Klaxon is ready"`) }
          : {}),
      },
    );
    let load: LoadResult;
    let peakRssMiB: number;
    try {
      log(
        `${workload}: driving Klaxon (${server.url}, pid ${server.pid}) for ${options.warmupSec} s warm-up + ${options.durationSec} s`,
      );
      load = await runLoad({
        url: server.url,
        path,
        source,
        connections: options.connections,
        durationSec: options.durationSec,
        warmupSec: options.warmupSec,
        cpuMs: server.cpuMs,
        ...(dbCpuMs === undefined ? {} : { dbCpuMs }),
      });
      // Requests in flight when the load stopped are still being processed (their clients are
      // gone); let them finish before SIGTERM so shutdown does not race them.
      await sleep(Math.min(60_000, 1000 + 1.5 * load.latencyMs.max));
      peakRssMiB = server.peakRssMiB();
    } finally {
      const code = await server.stop();
      if (code !== 0) log(`${workload}: Klaxon exited with ${code}:\n${server.output()}`);
    }
    // Klaxon runs at the default log level (one line per request at info): show only warnings and errors.
    const warnings = server
      .output()
      .split('\n')
      // The kept output is a tail, so its first line may be cut: match the level anywhere in the line.
      .filter((line) => line.trim() !== '' && !/"level":(10|20|30),/.test(line))
      .join('\n');
    if (warnings !== '') log(`${workload}: Klaxon printed:\n${warnings.slice(-2000)}`);

    const after = await countStored(target, masterKeyHex);
    const storedDeliveries = after.acceptedDeliveries - before.acceptedDeliveries;
    const storedOccurrences = after.occurrences - before.occurrences;
    const { acknowledged, sent } = load.total;
    const perRequest = source.alertsPerRequest;
    const inFlightAtCutoff = storedDeliveries - acknowledged;
    const problems: string[] = [];
    if (storedDeliveries < acknowledged)
      problems.push(`${acknowledged - storedDeliveries} acknowledged deliveries missing`);
    if (storedOccurrences !== storedDeliveries * perRequest)
      problems.push(`${storedOccurrences} occurrences for ${storedDeliveries} deliveries × ${perRequest}`);
    if (storedDeliveries > sent) problems.push(`${storedDeliveries} stored but only ${sent} sent`);
    const detail =
      problems.length > 0
        ? problems.join('; ')
        : `${storedOccurrences.toLocaleString('en')} occurrences = ${storedDeliveries.toLocaleString('en')} deliveries × ${perRequest}; 202s ${acknowledged.toLocaleString('en')}${inFlightAtCutoff > 0 ? ` + ${inFlightAtCutoff} in flight at cut-off` : ''}`;
    const ratioBase = workload === 'batch' ? ceiling.batch?.load.acceptedPerSec : ceilingRps;

    let profile: string | undefined;
    if (options.cpuProf) {
      // Every thread that runs JavaScript writes a profile of its own; the main thread's is the largest.
      const file = readdirSync(profileDir)
        .filter((f) => f.endsWith('.cpuprofile'))
        .sort((a, b) => statSync(join(profileDir, b)).size - statSync(join(profileDir, a)).size)[0];
      if (file !== undefined) {
        profile = join(profileDir, file);
        log(`${workload}: CPU profile ${profile}\n${formatProfile(summarizeProfile(profile, 30))}`);
      }
    }
    const record: RunRecord = {
      name: `klaxon ${workload}`,
      kind: 'klaxon',
      workload,
      load,
      ratio: ratioBase === undefined ? null : load.acceptedPerSec / ratioBase,
      peakRssMiB,
      durability: {
        ok: problems.length === 0,
        acknowledged,
        sent,
        storedDeliveries,
        storedOccurrences,
        inFlightAtCutoff,
        detail,
      },
      poolWrapped: source.wrapped,
    };
    if (profile !== undefined) record.profile = profile;
    return record;
  } finally {
    await drop();
  }
}

function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

/** CPU per accepted request of the server and of PostgreSQL's backends together, in µs. */
function totalCpuUs(r: RunRecord): number | null {
  if (r.load.cpuUsPerAccepted === null) return null;
  return r.load.cpuUsPerAccepted + (r.load.dbCpuUsPerAccepted ?? 0);
}

function table(db: DbKind, runs: RunRecord[]): string {
  const unique = runs.find((r) => r.workload === 'unique');
  const naive = runs.find((r) => r.workload === 'naive');
  const floor = runs.find((r) => r.workload === 'floor');
  const header = [
    'run',
    'accepted/s',
    'alerts/s',
    '× ceiling',
    '× AM',
    'other',
    'p50 ms',
    'p99 ms',
    'max ms',
    'non-2xx',
    'errors',
    'CPU µs/req',
    'of it DB',
    'peak RSS',
    'durable',
  ];
  const rows = runs.map((r) => {
    const other: string[] = [];
    if (r.workload === 'grown' && unique !== undefined)
      other.push(`${fmt(r.load.acceptedPerSec / unique.load.acceptedPerSec, 2)}× unique`);
    if (r.kind === 'klaxon' && db === 'pglite' && r.workload !== 'batch') {
      const base = naive?.load.acceptedPerSec ?? QUOTED_NAIVE_PGLITE;
      other.push(`${fmt(r.load.acceptedPerSec / base, 2)}× naive${naive === undefined ? ' (quoted 2.7k)' : ''}`);
    }
    if (r.kind === 'klaxon' && floor !== undefined && r.workload !== 'batch')
      other.push(`${fmt(r.load.acceptedPerSec / floor.load.acceptedPerSec, 2)}× floor`);
    return [
      r.name,
      fmt(r.load.acceptedPerSec),
      fmt(r.load.alertsPerSec),
      r.ratio === null ? '–' : `${fmt(r.ratio, 3)}`,
      r.alertmanagerRatio === undefined ? '–' : `${fmt(r.alertmanagerRatio, 2)}`,
      other.join(', '),
      fmt(r.load.latencyMs.p50, 1),
      fmt(r.load.latencyMs.p99, 1),
      fmt(r.load.latencyMs.max, 0),
      fmt(r.load.non2xx),
      fmt(r.load.errors),
      totalCpuUs(r) === null ? '–' : fmt(totalCpuUs(r) ?? 0),
      r.load.dbCpuUsPerAccepted === null ? '–' : fmt(r.load.dbCpuUsPerAccepted),
      r.peakRssMiB === null ? '–' : `${fmt(r.peakRssMiB)} MiB`,
      r.durability === null ? '–' : r.durability.ok ? 'yes' : 'NO',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i === 0 || i === 5 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function targets(db: DbKind, runs: RunRecord[]): string[] {
  const out: string[] = [];
  const mark = (ok: boolean) => (ok ? 'MET   ' : 'MISSED');
  const unique = runs.find((r) => r.workload === 'unique');
  for (const r of runs.filter((x) => x.kind === 'klaxon')) {
    const errors = r.load.non2xx + r.load.errors;
    if (db === 'postgres' && (r.workload === 'unique' || r.workload === 'hot')) {
      const ok = (r.ratio ?? 0) >= 0.9 && r.load.latencyMs.p99 <= 15 && errors === 0 && r.durability?.ok === true;
      out.push(
        `${mark(ok)} postgres ${r.workload}: ≥0.9× ceiling (${fmt(r.ratio ?? 0, 3)}), p99 ≤15 ms (${fmt(r.load.latencyMs.p99, 1)}), 0 errors (${errors}), every 202 durable (${r.durability?.ok ? 'yes' : 'no'})`,
      );
    }
    if (db === 'pglite' && r.workload !== 'batch') {
      const naive = runs.find((x) => x.workload === 'naive')?.load.acceptedPerSec ?? QUOTED_NAIVE_PGLITE;
      const x = r.load.acceptedPerSec / naive;
      out.push(
        `${mark(x >= 3 && r.load.latencyMs.p99 <= 50)} pglite ${r.workload}: ≥3× naive (${fmt(x, 2)}×), p99 ≤50 ms (${fmt(r.load.latencyMs.p99, 1)})`,
      );
    }
    if (r.workload === 'grown' && unique !== undefined) {
      const x = r.load.acceptedPerSec / unique.load.acceptedPerSec;
      out.push(`${mark(x >= 0.9)} ${db} grown: ≥0.9× unique on an empty database (${fmt(x, 2)}×)`);
    }
    if (r.peakRssMiB !== null)
      out.push(
        `${mark(r.peakRssMiB * 1.048576 <= 250)} ${db} ${r.workload}: peak RSS ≤250 MB (${fmt(r.peakRssMiB * 1.048576)} MB)`,
      );
  }
  return out;
}

function targets21(db: DbKind, runs: RunRecord[], paging: PagingResult | undefined): string[] {
  const out: string[] = [];
  const mark = (ok: boolean) => (ok ? 'MET   ' : 'MISSED');
  const ceilingOf = (r: RunRecord) =>
    runs.find((x) => x.workload === (r.workload === 'batch' ? 'ceiling-batch' : 'ceiling'));
  for (const r of runs.filter((x) => x.kind === 'klaxon')) {
    const errors = r.load.non2xx + r.load.errors;
    const pattern = alertmanagerPattern(r.workload as Workload);
    const am = runs.find((x) => x.kind === 'alertmanager' && x.workload === pattern);
    if (db === 'postgres' && am !== undefined && r.workload !== 'grown') {
      const x = r.alertmanagerRatio ?? 0;
      const ok = x >= 1 && r.load.latencyMs.p99 <= am.load.latencyMs.p99 && errors === 0 && r.durability?.ok === true;
      out.push(
        `${mark(ok)} postgres ${r.workload}: ≥1.0× Alertmanager's alerts/s (${fmt(x, 2)}×), p99 ≤ Alertmanager's (${fmt(r.load.latencyMs.p99, 1)} vs ${fmt(am.load.latencyMs.p99, 1)} ms), 0 errors (${errors}), every 202 durable (${r.durability?.ok ? 'yes' : 'no'})`,
      );
    }
    const ceiling = ceilingOf(r);
    const cpu = totalCpuUs(r);
    if (db === 'postgres' && ceiling?.load.cpuUsPerAccepted != null && cpu !== null) {
      const x = cpu / ceiling.load.cpuUsPerAccepted;
      out.push(
        `${mark(x <= 2)} postgres ${r.workload}: CPU per accepted webhook ≤2× the ceiling's, Klaxon + PostgreSQL (${fmt(cpu)} vs ${fmt(ceiling.load.cpuUsPerAccepted)} µs = ${fmt(x, 1)}×)`,
      );
    }
    if (db === 'pglite' && r.workload !== 'batch') {
      const naive = runs.find((x) => x.workload === 'naive')?.load.acceptedPerSec ?? QUOTED_NAIVE_PGLITE;
      const x = r.load.acceptedPerSec / naive;
      const mb = (r.peakRssMiB ?? 0) * 1.048576;
      out.push(
        `${mark(x >= 3 && mb <= 400)} pglite ${r.workload}: ≥3× naive (${fmt(x, 2)}×), peak RSS ≤400 MB (${fmt(mb)} MB)`,
      );
    }
  }
  const floor = runs.find((x) => x.kind === 'floor');
  const ceiling = runs.find((x) => x.workload === 'ceiling');
  const floorCpu = floor === undefined ? null : totalCpuUs(floor);
  if (floor !== undefined && floorCpu !== null && ceiling?.load.cpuUsPerAccepted != null) {
    // What the targets ask of Klaxon, measured on the least a durable receiver does (bench/README).
    const naive = runs.find((x) => x.workload === 'naive');
    const parts = [
      ...(floor.alertmanagerRatio === undefined ? [] : [`${fmt(floor.alertmanagerRatio, 2)}× Alertmanager`]),
      `CPU ${fmt(floorCpu)} µs = ${fmt(floorCpu / ceiling.load.cpuUsPerAccepted, 1)}× the ceiling's`,
      ...(naive === undefined ? [] : [`${fmt(floor.load.acceptedPerSec / naive.load.acceptedPerSec, 2)}× naive`]),
    ];
    out.push(`  the durable floor (store the body, nothing else) on ${db}: ${parts.join(', ')}`);
  }
  if (paging !== undefined) {
    out.push(
      `${mark(paging.late.p99 <= 250 && paging.late.arrived === paging.late.expected)} ${db} delayed steps within 250 ms p99 of their due time (late p99 ${fmt(paging.late.p99)} ms, ${paging.late.arrived}/${paging.late.expected} arrived)`,
      `${mark(paging.stormPage.p99 <= 250 && paging.stormPage.arrived === paging.stormPage.expected)} ${db} first page ≤250 ms p99 in a storm of ${paging.stormSize} within 10 s (${fmt(paging.stormPage.p99)} ms, ${paging.stormPage.arrived}/${paging.stormPage.expected} arrived)`,
    );
  }
  return out;
}

async function main(): Promise<void> {
  const options = parseOptions();
  const startedAt = new Date();
  const runTag = String(Math.floor(Date.now() / 1000) % 100_000);
  const info = machine();
  log(
    `klaxon bench: db=${options.db} workloads=${options.workloads.join(',')} duration=${options.durationSec}s warmup=${options.warmupSec}s connections=${options.connections}`,
  );
  log(
    `machine: ${info.nproc} CPUs (${info.cpu}), ${info.memTotalGiB} GiB RAM, load ${info.loadAvg}, node ${info.node}`,
  );

  // What `npm start`'s prestart does: rebuild dist/ only when a file under src/ changed.
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs'), '--if-stale'], { stdio: 'inherit' });

  let cluster: PostgresCluster | undefined;
  const existingUrl =
    process.env.DATABASE_URL !== undefined && process.env.DATABASE_URL !== '' ? process.env.DATABASE_URL : undefined;
  let postgresVersion: string | undefined;
  if (options.db === 'postgres' && existingUrl === undefined) {
    cluster = await startPostgresCluster();
    cleanups.push(() => cluster?.stop());
    postgresVersion = cluster.version;
    log(`postgres: throwaway cluster ${cluster.version} at ${cluster.adminUrl} (fsync on, synchronous_commit on)`);
  }
  const fresh = databaseFactory(options.db, cluster, existingUrl);

  const secret = randomBytes(32).toString('hex');
  const runs: RunRecord[] = [];
  const ceiling = await measureCeiling(options, secret);
  runs.push(ceiling.generic);
  if (ceiling.batch !== undefined) runs.push(ceiling.batch);
  const ceilingRps = ceiling.generic.load.acceptedPerSec;
  log(`ceiling: ${fmt(ceilingRps)} req/s, p99 ${fmt(ceiling.generic.load.latencyMs.p99, 1)} ms`);
  const alertmanager = options.alertmanager ? await measureAlertmanager(options, runTag) : new Map();
  runs.push(...alertmanager.values());
  for (const mode of ['naive', 'floor'] as const) {
    if (!options.workloads.includes(mode)) continue;
    const record = await measureStoringCeiling(options, mode, secret, fresh, ceilingRps);
    const am = alertmanager.get(alertmanagerPattern(mode));
    if (am !== undefined) record.alertmanagerRatio = record.load.alertsPerSec / am.load.alertsPerSec;
    runs.push(record);
  }
  let paging: PagingResult | undefined;
  for (const workload of options.workloads) {
    if (workload === 'naive' || workload === 'floor') continue;
    if (workload === 'paging') {
      const { target, drop } = await fresh('paging');
      cleanups.push(drop);
      paging = await measurePaging(target, {
        incidents: options.incidents,
        storm: options.storm,
        log,
        serverScript: options.klaxonEntry,
      });
      await drop();
      continue;
    }
    const record = await measureKlaxon(options, workload, fresh, ceiling, runTag);
    const am = alertmanager.get(alertmanagerPattern(workload));
    if (am !== undefined) record.alertmanagerRatio = record.load.alertsPerSec / am.load.alertsPerSec;
    log(
      `${workload}: ${fmt(record.load.acceptedPerSec)} accepted/s (${fmt(record.ratio ?? 0, 3)}× ceiling${am === undefined ? '' : `, ${fmt(record.alertmanagerRatio ?? 0, 2)}× Alertmanager`}), p99 ${fmt(record.load.latencyMs.p99, 1)} ms — durable: ${record.durability?.detail}`,
    );
    if (record.poolWrapped) log(`${workload}: WARNING the pre-signed pool wrapped; keys repeated`);
    runs.push(record);
  }
  await cleanup();

  const output = [
    '',
    `Klaxon ingestion benchmark — ${options.db}${postgresVersion ? ` ${postgresVersion}` : ''}, ${startedAt.toISOString()}`,
    `${info.nproc} CPUs (${info.cpu}), ${info.memTotalGiB} GiB, load avg at start ${info.loadAvg}, at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(
        ' ',
      )}; Klaxon ${options.workers > 1 ? `${options.workers} worker processes (peak RSS summed over them and the primary)` : 'one process'}; ${options.connections} connections, ${options.warmupSec} s warm-up + ${options.durationSec} s, ${BODY_BYTES} B signed generic bodies, batches of ${BATCH_SIZE}`,
    '',
    table(options.db, runs),
    '',
    ...(paging === undefined
      ? []
      : [`time to page (${options.db}):`, ...formatPaging(paging, options.incidents).map((l) => `  ${l}`), '']),
    ...runs
      .filter((r) => r.durability !== null)
      .map((r) => `durability ${r.workload}: ${r.durability?.ok ? 'ok' : 'FAILED'} — ${r.durability?.detail}`),
    ...runs
      .filter((r) => Object.keys(r.load.statusCodes).some((c) => !c.startsWith('2')))
      .map((r) => `status codes ${r.workload}: ${JSON.stringify(r.load.statusCodes)}`),
    '',
    'targets (issue 21):',
    ...targets21(options.db, runs, paging).map((t) => `  ${t}`),
    '',
    'targets (issue 7):',
    ...targets(options.db, runs).map((t) => `  ${t}`),
    '',
  ].join('\n');
  process.stdout.write(output);

  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = startedAt.toISOString().replace(/:/g, '-').replace(/\..*$/, '');
  const file = join(RESULTS_DIR, `${stamp}-${options.db}.json`);
  const json = {
    date: startedAt.toISOString(),
    db: options.db,
    postgresVersion,
    machine: info,
    options,
    bodyBytes: BODY_BYTES,
    batchSize: BATCH_SIZE,
    runs,
    paging,
    targets: [...targets21(options.db, runs, paging), ...targets(options.db, runs)],
  };
  writeFileSync(file, `${JSON.stringify(json, null, 2)}\n`);
  if (options.workloads.length === WORKLOADS.length) copyFileSync(file, join(RESULTS_DIR, `latest-${options.db}.json`));
  process.stdout.write(`results: ${file}\n`);

  const lost = runs.filter((r) => r.durability !== null && !r.durability.ok);
  if (lost.length > 0) {
    process.stderr.write(`FAILED: durability check failed for ${lost.map((r) => r.workload).join(', ')}\n`);
    process.exitCode = 1;
  }
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

main().catch(async (error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  await cleanup();
  process.exit(1);
});
