import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TEST_NODE_FLAGS } from './node-flags.js';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

/** Runs `npm run cli -- …` as its own process (tsx, as npm does), with only the Klaxon settings given. */
export function runCli(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(KLAXON_|DATABASE_URL$)/.test(name)),
  );
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...TEST_NODE_FLAGS, '--import', 'tsx', 'src/cli.ts', ...args],
      { cwd: REPO, env: { ...base, ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : 1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
