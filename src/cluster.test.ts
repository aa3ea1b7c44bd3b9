import { afterEach, describe, expect, it, vi } from 'vitest';
import { primaryLog } from './cluster.js';

function captureStdout(): { lines: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  });
  return {
    lines: () =>
      written
        .join('')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line)),
  };
}

describe('the cluster primary log', () => {
  afterEach(() => vi.restoreAllMocks());

  it('writes pino-shaped JSON lines at or above LOG_LEVEL', () => {
    const stdout = captureStdout();
    const log = primaryLog('info');
    log('info', 'Klaxon is ready', { workers: 2 });
    log('error', 'a worker exited', { code: 1 });
    expect(stdout.lines()).toEqual([
      expect.objectContaining({ level: 30, msg: 'Klaxon is ready', workers: 2, pid: process.pid }),
      expect.objectContaining({ level: 50, msg: 'a worker exited', code: 1 }),
    ]);
  });

  it('drops lines below LOG_LEVEL, and everything when LOG_LEVEL=silent', () => {
    const stdout = captureStdout();
    primaryLog('warn')('info', 'Klaxon is ready');
    primaryLog('warn')('warn', 'KLAXON_WORKERS ignored');
    primaryLog('silent')('error', 'a worker exited');
    expect(stdout.lines().map((line) => line.msg)).toEqual(['KLAXON_WORKERS ignored']);
  });
});
