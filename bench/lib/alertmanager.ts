import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BATCH_SIZE, type RequestSource } from './payloads.js';
import { freePort, processCpuMs, processPeakRssMiB } from './processes.js';

const BINARY = '/usr/bin/prometheus-alertmanager';

/** Debian's package, installed as .ci/run does when it is missing (needs root and the network). */
function ensureInstalled(log: (line: string) => void): void {
  if (existsSync(BINARY)) return;
  log('alertmanager: installing Debian prometheus-alertmanager (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'prometheus-alertmanager'], {
    stdio: 'inherit',
    env,
  });
}

export interface AlertmanagerProcess {
  url: string;
  pid: number;
  cpuMs(): number;
  peakRssMiB(): number;
  stop(): Promise<void>;
}

/**
 * Prometheus Alertmanager as the baseline: its own temp storage dir, a free port on
 * loopback, gossip off (one node, as a single Klaxon), and a receiver that sends nothing — so it
 * is measured taking alerts in, as Klaxon's webhook is. It keeps alerts in memory only.
 */
export async function startAlertmanager(log: (line: string) => void): Promise<AlertmanagerProcess> {
  ensureInstalled(log);
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-bench-am-'));
  const config = join(dir, 'alertmanager.yml');
  writeFileSync(config, 'route:\n  receiver: none\nreceivers:\n  - name: none\n');
  const port = await freePort();
  const child = spawn(
    BINARY,
    [
      `--config.file=${config}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let output = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-10_000);
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`alertmanager exited with ${child.exitCode}:\n${output}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`alertmanager did not become ready:\n${output}`);
    }
    try {
      if ((await fetch(`${url}/-/ready`)).status === 200) break;
    } catch {
      // Not listening yet.
    }
    await sleep(100);
  }
  const pid = child.pid ?? 0;
  let peak = 0;
  return {
    url,
    pid,
    cpuMs: () => processCpuMs(pid),
    peakRssMiB: () => {
      peak = Math.max(peak, processPeakRssMiB(pid));
      return peak;
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One alert of the v2 API, built around the same key as the Klaxon run's request. */
function alert(key: string, startsAt: string): string {
  return `{"labels":{"alertname":"HighLatency","dedupKey":"${key}","service":"checkout","env":"bench","region":"eu-west-1","team":"payments","severity":"warning"},"annotations":{"summary":"Checkout latency above SLO on ${key}","description":"p99 latency of the checkout service has been above 750 ms for 5 minutes."},"startsAt":"${startsAt}","generatorURL":"https://runbooks.example.com/checkout/latency"}`;
}

/**
 * The same alerts as a Klaxon source, posted to Alertmanager's `POST /api/v2/alerts`: one per
 * request (the dedup key of each of the source's requests becomes a label), or, for a batch
 * source, its BATCH_SIZE alerts in one request. Alertmanager has no authentication of its own.
 */
export function alertmanagerSource(keys: () => string, alertsPerRequest: number): RequestSource {
  const startsAt = new Date().toISOString();
  const headers = { 'content-type': 'application/json', 'user-agent': 'klaxon-bench/1' };
  let issued = 0;
  return {
    next() {
      issued++;
      const parts: string[] = new Array(alertsPerRequest);
      for (let j = 0; j < alertsPerRequest; j++) parts[j] = alert(keys(), startsAt);
      return { headers, body: `[${parts.join(',')}]` };
    },
    get issued() {
      return issued;
    },
    wrapped: false,
    alertsPerRequest,
  };
}

export { BATCH_SIZE };
