import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** /proc/<pid>/stat counts CPU time in clock ticks: USER_HZ, 100 on Linux (getconf CLK_TCK). */
const MS_PER_CLOCK_TICK = 10;

/**
 * The Node flags `npm start` gives the server: the flags between `node` and `dist/main.js` in the
 * start script of the tree `entry` (`<tree>/dist/main.js`) belongs to, so the bench runs each build
 * as its users run it.
 */
export function npmStartNodeFlags(entry: string): string[] {
  const packageJson = join(dirname(dirname(entry)), 'package.json');
  const start: unknown = JSON.parse(readFileSync(packageJson, 'utf8')).scripts?.start;
  const flags = typeof start === 'string' ? /\bnode((?:\s+--\S+)*)\s+dist\/main\.js\b/.exec(start)?.[1] : undefined;
  if (flags === undefined) throw new Error(`${packageJson}: the start script does not run node [flags] dist/main.js`);
  return flags.split(/\s+/).filter((flag) => flag !== '');
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  output(): string;
  /**
   * Peak resident set size so far (VmHWM), in MiB: of the process and every process it started
   * (cluster workers), each process's own peak, summed.
   */
  peakRssMiB(): number;
  /** CPU time (user + system) used so far, in ms: of the process and every process it started. */
  cpuMs(): number;
  stop(): Promise<number | null>;
}

/**
 * Starts `node [nodeArgs] <script>` on a free port — through tsx when the script is TypeScript —
 * and waits until GET /readyz answers 200.
 */
export async function startNodeServer(
  script: string,
  env: Record<string, string>,
  options: {
    nodeArgs?: string[];
    timeoutMs?: number;
    /** Ready only once this holds for the output too (e.g. every cluster worker listens). */
    readyWhen?: (output: string) => boolean;
  } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const loader = script.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), ...loader, script], {
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`${script} did not become ready:\n${output}`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200 && (options.readyWhen?.(output) ?? true)) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  const pid = child.pid ?? 0;
  const peaks = new Map<number, number>();
  return {
    url,
    pid,
    output: () => output,
    peakRssMiB: () => processPeakRssMiB(pid, peaks),
    cpuMs: () => processCpuMs(pid),
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const [code] = await exited;
      clearTimeout(timer);
      return code as number | null;
    },
  };
}

/** The process and its descendants, from /proc/<pid>/task/<tid>/children. */
function processTree(root: number): number[] {
  const found = [root];
  for (let index = 0; index < found.length; index++) {
    const pid = found[index] as number;
    try {
      for (const task of readdirSync(`/proc/${pid}/task`)) {
        const children = readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim();
        if (children !== '') found.push(...children.split(/\s+/).map(Number));
      }
    } catch {
      // Gone, or no children file: nothing below it.
    }
  }
  return found;
}

/**
 * Peak resident set size (VmHWM), in MiB, of a process and every process it started, each
 * process's own peak summed; `peaks` keeps the last sample of processes that are gone.
 */
export function processPeakRssMiB(root: number, peaks = new Map<number, number>()): number {
  for (const member of processTree(root)) {
    try {
      const status = readFileSync(`/proc/${member}/status`, 'utf8');
      const match = /VmHWM:\s+(\d+) kB/.exec(status) ?? /VmRSS:\s+(\d+) kB/.exec(status);
      if (match?.[1]) peaks.set(member, Math.max(peaks.get(member) ?? 0, Number(match[1]) / 1024));
    } catch {
      // The process is gone: keep its last sample.
    }
  }
  return [...peaks.values()].reduce((sum, peak) => sum + peak, 0);
}

/**
 * CPU time (user + system) used so far, in ms, by a process and every process it started
 * (cluster workers; for the PostgreSQL postmaster, its backends and background workers).
 */
export function processCpuMs(root: number): number {
  let ticks = 0;
  for (const member of processTree(root)) {
    try {
      const stat = readFileSync(`/proc/${member}/stat`, 'utf8');
      // Fields after "pid (comm) ": state is the first, utime the 12th, stime the 13th.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks * MS_PER_CLOCK_TICK;
}
