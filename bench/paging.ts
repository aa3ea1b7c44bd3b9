/**
 * Time to page alone: `npm run bench:paging -- [--db postgres|pglite] [--incidents 20] [--storm 1000]
 * [--server path/to/dist/main.js] [--cpu-prof dir] [--statements]`. `--server` runs another build (a copy of the
 * base's dist/, for A/B runs on the same minutes) instead of this tree's, which is then not
 * rebuilt; `--cpu-prof` has the server write a V8 profile of the whole run into `dir` (read it
 * with `npm run bench:profile`); `--statements` (PostgreSQL) prints the storm's statements from
 * pg_stat_statements, heaviest first, per storm incident.
 * `npm run bench` runs the same measurement (workload `paging`); see bench/lib/paging.ts for what
 * is measured and bench/README.md for the figures.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { KlaxonTarget } from './lib/klaxon-db.js';
import { formatPaging, measurePaging } from './lib/paging.js';
import { type PostgresCluster, startPostgresCluster } from './lib/postgres-cluster.js';

const ROOT = join(new URL('.', import.meta.url).pathname, '..');

const { values } = parseArgs({
  options: {
    db: { type: 'string', default: 'postgres' },
    incidents: { type: 'string', default: '20' },
    storm: { type: 'string', default: '1000' },
    server: { type: 'string' },
    'cpu-prof': { type: 'string' },
    statements: { type: 'boolean', default: false },
  },
});
const db = values.db === 'pglite' ? 'pglite' : 'postgres';
const incidents = Number(values.incidents);
const storm = Number(values.storm);

// What `npm start`'s prestart does: rebuild dist/ only when a file under src/ changed.
if (values.server === undefined) {
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-server.mjs'), '--if-stale'], { stdio: 'inherit' });
}
let cluster: PostgresCluster | undefined;
let dataDir: string | undefined;
try {
  let target: KlaxonTarget;
  if (db === 'postgres') {
    cluster = await startPostgresCluster({ statements: values.statements });
    target = { kind: 'postgres', url: await cluster.createDatabase('klaxon_paging') };
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'klaxon-paging-'));
    target = { kind: 'pglite', dataDir };
  }
  const result = await measurePaging(target, {
    incidents,
    storm,
    log: (line) => process.stderr.write(`${line}\n`),
    ...(values.server === undefined ? {} : { serverScript: values.server }),
    ...(cluster === undefined ? {} : { databaseCpuMs: cluster.cpuMs }),
    ...(cluster?.statements === undefined ? {} : { statements: cluster.statements }),
    ...(values['cpu-prof'] === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] }),
  });
  console.log(
    `Klaxon time to page (${db}, ${values.server ?? 'this tree'}, load average ${loadavg()[0]?.toFixed(1)} at the end):`,
  );
  for (const line of formatPaging(result, incidents)) console.log(`  ${line}`);
  if (result.stormStatements !== undefined) {
    const perIncident = (n: number) => n / Math.max(1, storm);
    const totalMs = result.stormStatements.reduce((sum, s) => sum + s.totalMs, 0);
    const calls = result.stormStatements.reduce((sum, s) => sum + s.calls, 0);
    const planMs = result.stormStatements.reduce((sum, s) => sum + s.planMs, 0);
    const plans = result.stormStatements.reduce((sum, s) => sum + s.plans, 0);
    const µs = (ms: number) => ((perIncident(ms) * 1000) | 0).toString();
    console.log(
      `  storm statements: ${perIncident(calls).toFixed(1)} per incident, ${µs(totalMs)} µs of execution and ${perIncident(plans).toFixed(1)} plans in ${µs(planMs)} µs per incident; heaviest:`,
    );
    console.log('    calls/incident  exec µs/incident  µs/call  plans/incident  plan µs/incident  statement');
    for (const s of result.stormStatements.slice(0, 30)) {
      const text = s.query.replace(/\s+/g, ' ').slice(0, 120);
      console.log(
        `    ${perIncident(s.calls).toFixed(2).padStart(14)}  ${µs(s.totalMs).padStart(16)}  ${((s.totalMs * 1000) / Math.max(1, s.calls)).toFixed(0).padStart(7)}  ${perIncident(s.plans).toFixed(2).padStart(14)}  ${µs(s.planMs).padStart(16)}  ${text}`,
      );
    }
  }
} finally {
  cluster?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}
