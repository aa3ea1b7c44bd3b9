import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

/** Debian's prometheus-alertmanager, installed by .ci/run; tests that need it skip without it. */
export const ALERTMANAGER_BINARY = '/usr/bin/prometheus-alertmanager';
export const alertmanagerAvailable = existsSync(ALERTMANAGER_BINARY);

export interface AlertmanagerProcess {
  url: string;
  output: () => string;
  /** Posts alerts to its API (`/api/v2/alerts`) as Prometheus would. */
  postAlerts(alerts: Array<Record<string, unknown>>): Promise<Response>;
  /** Stops it and removes its files once it has exited (it writes its state while shutting down). */
  stop(): Promise<void>;
}

/**
 * Starts a real Alertmanager with this YAML configuration on loopback and waits until it is ready.
 * It must be told its port: should another process take the port between choosing and binding,
 * it exits saying so, and it is started again on another (at most three times).
 */
export async function startAlertmanager(config: string, timeoutMs = 30_000): Promise<AlertmanagerProcess> {
  for (let attempt = 1; attempt <= 3; attempt++) {
    const started = await startAlertmanagerOnce(config, timeoutMs);
    if (started !== 'port taken') return started;
  }
  throw new Error('alertmanager: each of three ports was taken before it could bind');
}

async function startAlertmanagerOnce(config: string, timeoutMs: number): Promise<AlertmanagerProcess | 'port taken'> {
  const dir = mkdtempSync(join(tmpdir(), 'klaxon-am-'));
  writeFileSync(join(dir, 'alertmanager.yml'), config);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child: ChildProcess = spawn(
    ALERTMANAGER_BINARY,
    [
      `--config.file=${join(dir, 'alertmanager.yml')}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--cluster.listen-address=',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = once(child, 'exit');
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + timeoutMs;
  while (!(await fetch(`${url}/-/ready`).catch(() => undefined))?.ok) {
    if (child.exitCode !== null && /address already in use/.test(output)) {
      await stop();
      return 'port taken';
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`alertmanager did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    output: () => output,
    postAlerts: (alerts) =>
      fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
      }),
    stop,
  };
}
