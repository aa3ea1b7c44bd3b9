import cluster, { type Worker } from 'node:cluster';

/** A crashed worker is replaced after this pause, so a worker that cannot start does not spin. */
const RESTART_DELAY_MS = 1_000;

const PINO_LEVELS = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Number.POSITIVE_INFINITY,
};

export type PrimaryLog = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/**
 * JSON log lines in the shape the workers' pino writes (the primary has no Fastify logger),
 * filtered by the same LOG_LEVEL, so `LOG_LEVEL=warn` quiets the primary as it quiets the workers.
 */
export function primaryLog(threshold: keyof typeof PINO_LEVELS): PrimaryLog {
  return (level, message, fields = {}) => {
    if (PINO_LEVELS[level] < PINO_LEVELS[threshold]) return;
    process.stdout.write(
      `${JSON.stringify({ level: PINO_LEVELS[level], time: Date.now(), pid: process.pid, ...fields, msg: message })}\n`,
    );
  };
}

/**
 * The primary of a multi-process server (KLAXON_WORKERS > 1). It serves nothing itself: it forks
 * `workers` copies of this program, which share the listening port (node:cluster hands out
 * connections in turn), replaces a worker that dies, and on SIGTERM/SIGINT asks every worker to
 * drain its requests and exits once all have — 0 when each exited cleanly.
 */
export function runPrimary(workers: number, logLine: PrimaryLog): void {
  let stopping = false;
  let exitCode = 0;
  let ready = 0;
  const running = new Set<Worker>();

  const fork = () => {
    const worker = cluster.fork();
    running.add(worker);
    worker.once('listening', () => {
      ready += 1;
      if (ready === workers) logLine('info', 'Klaxon is ready', { workers });
    });
  };

  cluster.on('exit', (worker, code, signal) => {
    running.delete(worker);
    if (stopping) {
      if (code !== 0) exitCode = 1;
      if (running.size === 0) process.exit(exitCode);
      return;
    }
    logLine('error', 'a worker exited; starting another', { worker: worker.process.pid, code, signal });
    setTimeout(() => {
      if (!stopping) fork();
    }, RESTART_DELAY_MS).unref();
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logLine('info', 'shutting down: draining every worker', { signal, workers: running.size });
    if (running.size === 0) process.exit(0);
    for (const worker of running) worker.process.kill('SIGTERM');
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let index = 0; index < workers; index++) fork();
}
