import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { buildIfStale } from './build-once.js';
import { TEST_NODE_FLAGS } from './node-flags.js';

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** What the process wrote on stderr alone. */
  stderr: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts the server as its own process on a free port and waits until it listens: by default the
 * compiled server `npm start` runs (`dist/main.js`, rebuilt first when src/ changed since the last
 * build, so it cannot be stale), or `src/main.ts` through tsx. Compiled, a process starts in
 * about half the time: under tsx every server process compiled the sources again.
 */
export async function startServer(
  env: Record<string, string>,
  // A limit against a hang, not a speed target: a first start on an empty data dir (initdb and every
  // migration) took over 90 s at load 25, and the test's own limit (180 s) still ends a real hang.
  timeoutMs = 150_000,
  entry = 'dist/main.js',
): Promise<ServerProcess> {
  if (entry.startsWith('dist/')) buildIfStale('build-server.mjs');
  const loader = entry.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child = spawn(process.execPath, [...TEST_NODE_FLAGS, ...loader, entry], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), timeoutMs);
    const check = () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    stderr: () => stderr,
    async stop(signal = 'SIGTERM') {
      // A process killed by a signal has exitCode null and signalCode set; it will not exit again.
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill(signal);
      const [code] = await once(child, 'exit');
      return code as number | null;
    },
  };
}
