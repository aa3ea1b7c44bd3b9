// Builds the web console into web/dist. Run by `npm install` (prepare) and before `npm start`
// (prestart, with --if-missing), so a fresh clone serves the console with no extra step.
// Without Vite (e.g. `npm ci --omit=dev`) it warns and exits 0: the server still starts, and
// answers / with a page saying how to build the console.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = existsSync(fileURLToPath(new URL('../web/dist/index.html', import.meta.url)));
if (process.argv.includes('--if-missing') && built) process.exit(0);

const viteBin = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(viteBin)) {
  process.stderr.write('klaxon: vite is not installed (dev dependencies omitted?); the web console was not built\n');
  process.exit(0);
}
const result = spawnSync(process.execPath, [viteBin, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
