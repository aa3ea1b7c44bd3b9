import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';
import { MASTER_KEY_FILE, resolveMasterKey } from './master-key.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'klaxon-master-key-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const embedded = (dataDir: string) => loadConfig({ KLAXON_DATA_DIR: dataDir });

describe('resolveMasterKey', () => {
  it('generates a 32-byte key into the data dir with mode 0600', () => {
    const dataDir = join(dir, 'nested', 'data');
    const key = resolveMasterKey(embedded(dataDir));
    expect(key).toHaveLength(32);
    const path = join(dataDir, MASTER_KEY_FILE);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(path, 'utf8').trim()).toBe(key.toString('hex'));
  });

  it('reuses the generated key on the next call', () => {
    const first = resolveMasterKey(embedded(dir));
    const second = resolveMasterKey(embedded(dir));
    expect(second.equals(first)).toBe(true);
  });

  it('tightens a key file that others can read back to 0600', () => {
    const first = resolveMasterKey(embedded(dir));
    chmodSync(join(dir, MASTER_KEY_FILE), 0o644);
    expect(resolveMasterKey(embedded(dir)).equals(first)).toBe(true);
    expect(statSync(join(dir, MASTER_KEY_FILE)).mode & 0o777).toBe(0o600);
  });

  it.each([['not a key'], ['ab'.repeat(31)], [''], ['zz'.repeat(32)]])('rejects a bad key file (%j)', (content) => {
    writeFileSync(join(dir, MASTER_KEY_FILE), content, { mode: 0o600 });
    expect(() => resolveMasterKey(embedded(dir))).toThrow(ConfigError);
    expect(() => resolveMasterKey(embedded(dir))).toThrow(/Invalid master key file .*master\.key: expected 64 hex/);
  });

  it('prefers KLAXON_MASTER_KEY and then writes nothing to the data dir', () => {
    const hex = 'c0ffee'.padEnd(64, '0');
    const key = resolveMasterKey(loadConfig({ KLAXON_DATA_DIR: dir, KLAXON_MASTER_KEY: hex }));
    expect(key.toString('hex')).toBe(hex);
    expect(() => statSync(join(dir, MASTER_KEY_FILE))).toThrow();
  });

  it('never generates a key for PostgreSQL', () => {
    const config = {
      ...embedded(dir),
      database: {
        kind: 'postgres' as const,
        url: 'postgres://x/y',
        poolSize: 1,
        connectTimeoutMs: 1000,
        statementTimeoutMs: 1000,
      },
    };
    expect(() => resolveMasterKey(config)).toThrow(/KLAXON_MASTER_KEY is required/);
  });
});
