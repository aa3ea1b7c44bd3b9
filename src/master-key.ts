import { randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Config, ConfigError } from './config.js';

export const MASTER_KEY_FILE = 'master.key';

/**
 * The key that encrypts secrets at rest. Given by KLAXON_MASTER_KEY, or (embedded database
 * only) generated once into the data dir with mode 0600 and read from there afterwards.
 */
export function resolveMasterKey(config: Config): Buffer {
  if (config.masterKeyHex !== undefined) return Buffer.from(config.masterKeyHex, 'hex');
  if (config.database.kind === 'postgres') {
    throw new ConfigError('Invalid configuration: KLAXON_MASTER_KEY is required when DATABASE_URL is set');
  }
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const path = join(config.dataDir, MASTER_KEY_FILE);
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
  const hex = readFileSync(path, 'utf8').trim();
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ConfigError(`Invalid master key file ${path}: expected 64 hex characters`);
  }
  return Buffer.from(hex, 'hex');
}
