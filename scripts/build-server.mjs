// Compiles the server (src/, tests excluded) to JavaScript in dist/, which `npm start` runs with
// plain node: no TypeScript compiler in the running server's memory (issue 7 measured ~85 MiB
// less idle RSS than under tsx, see bench/README.md). Run by `npm install` (prepare) and before
// `npm start` (prestart, with --if-stale: only when a file under src/, a tsconfig or package.json
// changed since the last build, so a `git pull` never leaves stale code to serve).
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUpToDate, writeStamp } from './build-stamp.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const distDir = join(root, 'dist');
/** Written after a complete build, dated when that build started: a build that failed leaves none. */
const stamp = join(distDir, '.built');
// package.json too: its "type" decides the module format tsc emits.
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'package.json'].map((input) => join(root, input));

if (process.argv.includes('--if-stale') && isUpToDate(stamp, inputs)) process.exit(0);

const tscBin = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
if (!existsSync(tscBin)) {
  if (existsSync(join(distDir, 'main.js'))) {
    process.stderr.write(
      'klaxon: typescript is not installed (dev dependencies omitted?); serving the existing dist/\n',
    );
    process.exit(0);
  }
  process.stderr.write('klaxon: typescript is not installed (dev dependencies omitted?); cannot build dist/\n');
  process.exit(1);
}
const startedAt = new Date();
// From empty, so a module deleted from src/ does not live on in dist/.
rmSync(distDir, { recursive: true, force: true });
const result = spawnSync(process.execPath, [tscBin, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeStamp(stamp, startedAt);
