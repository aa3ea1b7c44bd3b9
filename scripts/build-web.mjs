// Builds the web console into web/dist, with brotli and gzip copies of its text files (served
// precompressed). Run by `npm install` (prepare) and before `npm start` (prestart, with
// --if-stale: only when a file under web/, or package.json, changed since the last build), so a
// fresh clone serves the console with no extra step and a `git pull` never leaves a stale console
// to serve.
// Without Vite (e.g. `npm ci --omit=dev`) it warns and exits 0: the server still starts, and
// answers / with a page saying how to build the console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isUpToDate, writeStamp } from './build-stamp.mjs';
import { precompress } from './precompress.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'web', 'dist', '.built');
const inputs = [
  'web/src',
  'web/public',
  'web/index.html',
  'web/vite.config.ts',
  'web/tsconfig.json',
  'package.json',
].map((input) => join(root, input));
if (process.argv.includes('--if-stale') && isUpToDate(stamp, inputs)) process.exit(0);

const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(viteBin)) {
  process.stderr.write('klaxon: vite is not installed (dev dependencies omitted?); the web console was not built\n');
  process.exit(0);
}
const startedAt = new Date();
const result = spawnSync(process.execPath, [viteBin, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
  // A production build whoever runs it: under vitest NODE_ENV is "test", and Vite would then
  // bundle React's development build (double-invoked effects, dev warnings) into web/dist.
  env: { ...process.env, NODE_ENV: 'production' },
});
if (result.status !== 0) process.exit(result.status ?? 1);
precompress(join(root, 'web', 'dist'));
writeStamp(stamp, startedAt);
