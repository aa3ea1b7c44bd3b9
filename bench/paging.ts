/**
 * Time to page alone: `npm run bench:paging -- [--db postgres|pglite] [--incidents 20] [--storm 1000]
 * [--server path/to/dist/main.js] [--cpu-prof dir]`. `--server` runs another build (a copy of the
 * base's dist/, for A/B runs on the same minutes) instead of this tree's, which is then not
 * rebuilt; `--cpu-prof` has the server write a V8 profile of the whole run into `dir` (read it
 * with `npm run bench:profile`).
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
    cluster = await startPostgresCluster();
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
    ...(values['cpu-prof'] === undefined ? {} : { nodeArgs: ['--cpu-prof', '--cpu-prof-dir', values['cpu-prof']] }),
  });
  console.log(
    `Klaxon time to page (${db}, ${values.server ?? 'this tree'}, load average ${loadavg()[0]?.toFixed(1)} at the end):`,
  );
  for (const line of formatPaging(result, incidents)) console.log(`  ${line}`);
} finally {
  cluster?.stop();
  if (dataDir !== undefined) rmSync(dataDir, { recursive: true, force: true });
}
