import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config.js';
import { openDatabase } from '../../db/client.js';
import { CommandUsageError, callApi, remoteTarget } from '../../lib/remote-api.js';
import { restoreBackup } from './restore.js';

/**
 * `backup -o file`: through the running server when --url/KLAXON_URL is given (the server
 * holds the embedded database's lock), else straight from the stopped server's data dir.
 */
export async function backupCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { output: { type: 'string', short: 'o' }, url: { type: 'string' }, 'api-key': { type: 'string' } },
    strict: true,
  });
  if (values.output === undefined) throw new CommandUsageError('backup needs -o <file>');
  let dump: Buffer;
  if (values.url !== undefined || process.env.KLAXON_URL !== undefined) {
    const response = await callApi(remoteTarget(values), 'POST', '/api/backups');
    dump = Buffer.from(await response.arrayBuffer());
  } else {
    const config = loadConfig();
    if (config.database.kind === 'postgres') {
      throw new CommandUsageError('with DATABASE_URL, back up PostgreSQL with pg_dump (docs/deploy.md, Backups)');
    }
    const database = await openDatabase(config);
    try {
      if (database.dumpDataDir === undefined) throw new CommandUsageError('this database cannot be dumped');
      dump = Buffer.from(await (await database.dumpDataDir()).arrayBuffer());
    } finally {
      await database.close();
    }
  }
  // Owner-only, and complete or absent: a backup holds every stored (encrypted) secret.
  writeFileSync(`${values.output}.partial`, dump, { mode: 0o600 });
  renameSync(`${values.output}.partial`, values.output);
  process.stdout.write(`${JSON.stringify({ backup: values.output, bytes: dump.length })}\n`);
}

export async function restoreCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      input: { type: 'string', short: 'i' },
      'data-dir': { type: 'string' },
      'master-key-file': { type: 'string' },
    },
    strict: true,
  });
  if (values.input === undefined || values['data-dir'] === undefined) {
    throw new CommandUsageError('restore needs -i <backup file> and --data-dir <new, empty directory>');
  }
  await restoreBackup({
    input: values.input,
    dataDir: values['data-dir'],
    ...(values['master-key-file'] === undefined ? {} : { masterKeyFile: values['master-key-file'] }),
  });
  process.stdout.write(`${JSON.stringify({ restored: values['data-dir'] })}\n`);
}
