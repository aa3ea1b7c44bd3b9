import autocannon from 'autocannon';
import type { RequestSource } from './payloads.js';

export interface LoadResult {
  /** 2xx responses per second over the measured window. */
  acceptedPerSec: number;
  alertsPerSec: number;
  /** Latencies of the responses received in the measured window. */
  latencyMs: { p50: number; p99: number; max: number };
  /** Over the measured window. */
  non2xx: number;
  errors: number;
  statusCodes: Record<string, number>;
  durationSec: number;
  /**
   * CPU time (user + system) the server process spent per 2xx response over the measured window,
   * in µs — robust to a shared machine where throughput is not (null when not sampled).
   */
  cpuUsPerAccepted: number | null;
  /** The same for the database server's processes (PostgreSQL's backends), when sampled. */
  dbCpuUsPerAccepted: number | null;
  /** Over warm-up and measured window together: what the durability check compares against. */
  total: { sent: number; acknowledged: number; non2xx: number; errors: number };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

/**
 * One autocannon run of warm-up + duration seconds on `connections` keep-alive connections (one
 * request in flight each). Responses are timestamped as they arrive; only those of the last
 * `durationSec` count towards the figures, so the warm-up needs no reconnect and leaves no
 * abandoned requests behind mid-run.
 */
export async function runLoad(options: {
  url: string;
  path: string;
  source: RequestSource;
  connections: number;
  durationSec: number;
  warmupSec: number;
  /** The server's CPU time so far in ms, sampled when the measured window opens and closes. */
  cpuMs?: () => number;
  /** The database server's CPU time so far in ms (PostgreSQL's postmaster and backends). */
  dbCpuMs?: () => number;
}): Promise<LoadResult> {
  const { url, path, source, connections } = options;
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let acknowledged = 0;
  let acknowledgedInWindow = 0;
  let non2xx = 0;
  let non2xxInWindow = 0;
  let errors = 0;
  let errorsInWindow = 0;
  const sentBefore = source.issued;
  const started = performance.now();
  const windowStart = started + options.warmupSec * 1000;
  let cpuAtWindowStart: number | undefined;
  let dbCpuAtWindowStart: number | undefined;
  const cpuTimer = setTimeout(() => {
    cpuAtWindowStart = options.cpuMs?.();
    dbCpuAtWindowStart = options.dbCpuMs?.();
  }, options.warmupSec * 1000);
  const instance = autocannon({
    url,
    connections,
    duration: options.warmupSec + options.durationSec,
    timeout: 60,
    requests: [
      {
        method: 'POST',
        path,
        setupRequest(request) {
          const next = source.next();
          request.headers = next.headers;
          request.body = next.body;
          return request;
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    const inWindow = performance.now() >= windowStart;
    const ok = statusCode >= 200 && statusCode < 300;
    if (ok) acknowledged++;
    else non2xx++;
    if (!inWindow) return;
    latencies.push(responseTime);
    statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
    if (ok) acknowledgedInWindow++;
    else non2xxInWindow++;
  });
  instance.on('reqError', () => {
    errors++;
    if (performance.now() >= windowStart) errorsInWindow++;
  });
  await instance;
  clearTimeout(cpuTimer);
  const cpuAtWindowEnd = options.cpuMs?.();
  const dbCpuAtWindowEnd = options.dbCpuMs?.();
  const perAccepted = (start: number | undefined, end: number | undefined) =>
    start === undefined || end === undefined || acknowledgedInWindow === 0
      ? null
      : ((end - start) * 1000) / acknowledgedInWindow;
  const seconds = (performance.now() - windowStart) / 1000;
  latencies.sort((a, b) => a - b);
  const acceptedPerSec = acknowledgedInWindow / seconds;
  return {
    acceptedPerSec,
    alertsPerSec: acceptedPerSec * source.alertsPerRequest,
    latencyMs: { p50: percentile(latencies, 50), p99: percentile(latencies, 99), max: latencies.at(-1) ?? 0 },
    non2xx: non2xxInWindow,
    errors: errorsInWindow,
    statusCodes,
    durationSec: seconds,
    cpuUsPerAccepted: perAccepted(cpuAtWindowStart, cpuAtWindowEnd),
    dbCpuUsPerAccepted: perAccepted(dbCpuAtWindowStart, dbCpuAtWindowEnd),
    total: { sent: source.issued - sentBefore, acknowledged, non2xx, errors },
  };
}
