import { randomBytes } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config.js';
import { type DatabaseHandle, openDatabase } from './db/client.js';
import { DatabaseUnreachableError } from './db/connection-failure.js';
import { DataDirLockedError, DataDirUnsafeError } from './db/data-dir-lock.js';
import { AppError } from './lib/errors.js';
import { CommandUsageError, RemoteApiError } from './lib/remote-api.js';
import { MASTER_KEY_FILE, resolveMasterKey } from './master-key.js';
import { backupCommand, restoreCommand } from './modules/backups/backup-cli.js';
import { RestoreRefusedError } from './modules/backups/restore.js';
import { applyCommand, exportCommand } from './modules/config-as-code/config-cli.js';
import { formatReport, runImport } from './modules/importers/run-import.js';
import { VendorApiError } from './modules/importers/vendor-http.js';
import { MIN_PASSWORD_LENGTH } from './modules/sessions/sessions.service.js';
import { createServices } from './services.js';

const HELP = `Usage: npm run cli -- <command> [options]

Commands:
  bootstrap-admin --email <email> [--name <name>] [--password-stdin]
      Create the platform admin (or, for an existing email, make it an admin and
      issue it a new API key). Prints one JSON line: {"userId":"…","apiKey":"…"}.
      --password-stdin also sets the console password, read from standard input.
  set-password --email <email> --password-stdin
      Set a user's console password, read from standard input (never from the
      command line), and end that user's console sessions.
  migrate
      Apply pending database migrations and exit.
  rotate-master-key (--new-key-stdin | --generate)
      Re-encrypt every stored secret under a new master key, in one transaction.
      The new key is 64 hex characters read from standard input, or generated.
      With the embedded database and no KLAXON_MASTER_KEY, the key file in the
      data dir is replaced; otherwise set KLAXON_MASTER_KEY to the new key
      (printed as {"reencrypted":N,"newMasterKey":"…"}) before the next start.
  import (pagerduty|oncall|opsgenie) --url <api url> (--token <token> | --token-stdin)
         [--dry-run] [--as <admin email>]
      Move in from another tool through its REST API: users (with invitation links),
      teams, schedules, escalation policies, services as integrations with routing
      rules, maintenance windows. Running it again changes nothing; --dry-run prints
      the plan only. Prints new integrations' secrets and invitation links once, and
      everything that could not be mapped and why. See docs/migrate.md.
  apply -f <klaxon.yaml> [--dry-run] [--prune] [--url <url>] [--api-key <key>]
      Make the server's configuration match the file (teams, integrations,
      routing rules, schedules, escalation policies; objects matched by name)
      and print the changes. --prune also deletes what the file does not name,
      of the kinds it names. New integrations print their secret once.
  export [-o <file>] [--url <url>] [--api-key <key>]
      Write the server's configuration as klaxon.yaml (stdout without -o).
  backup -o <file> [--url <url>] [--api-key <key>]
      Back up the embedded database: through the running server with --url,
      else from the data dir of the stopped server. PostgreSQL: use pg_dump.
  restore -i <file> --data-dir <dir> [--master-key-file <old data dir>/master.key]
      Restore a backup into a new, empty data directory.
  help, --help
      Show this help.

The CLI reads the same environment as the server (DATABASE_URL, KLAXON_DATA_DIR,
KLAXON_MASTER_KEY, …). With the embedded database, stop the server first.
apply, export and backup --url work remotely over the HTTP API with an admin
API key: --url / KLAXON_URL, --api-key / KLAXON_API_KEY.
`;

class UsageError extends Error {}

async function withDatabase<T>(run: (database: DatabaseHandle, masterKey: Buffer) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const masterKey = resolveMasterKey(config);
  const database = await openDatabase(config);
  try {
    await database.migrate();
    return await run(database, masterKey);
  } finally {
    await database.close();
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

async function bootstrapAdmin(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const email = values.email?.trim();
  if (email === undefined || !/^[^\s@]+@[^\s@]+$/.test(email))
    throw new UsageError('bootstrap-admin needs --email <email>');
  let password: string | undefined;
  if (values['password-stdin'] === true) {
    password = await readStdin();
    if (password.length < 8) throw new UsageError('the password read from stdin must be at least 8 characters');
  }
  const result = await withDatabase((database, masterKey) =>
    createServices({ database, masterKey }).bootstrapAdminService.bootstrap({ email, name: values.name, password }),
  );
  process.stdout.write(`${JSON.stringify({ userId: result.userId, apiKey: result.apiKey })}\n`);
}

async function rotateMasterKey(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { 'new-key-stdin': { type: 'boolean' }, generate: { type: 'boolean' } },
    strict: true,
  });
  if ((values['new-key-stdin'] === true) === (values.generate === true)) {
    throw new UsageError('rotate-master-key needs exactly one of --new-key-stdin or --generate');
  }
  const newKeyHex =
    values.generate === true ? randomBytes(32).toString('hex') : (await readStdin()).trim().toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(newKeyHex)) throw new UsageError('the new master key must be 64 hex characters');
  const config = loadConfig();
  const keyFile = config.masterKeyHex === undefined ? join(config.dataDir, MASTER_KEY_FILE) : undefined;
  const reencrypted = await withDatabase(async (database, masterKey) => {
    // Stage the new key file before the commit, so a crash never leaves secrets under a key
    // that is written nowhere: the staged file is moved into place right after the commit.
    if (keyFile !== undefined) writeFileSync(`${keyFile}.new`, `${newKeyHex}\n`, { mode: 0o600 });
    const count = await createServices({ database, masterKey }).integrationsService.reencryptSecrets(
      Buffer.from(newKeyHex, 'hex'),
    );
    if (keyFile !== undefined) renameSync(`${keyFile}.new`, keyFile);
    return count;
  });
  const output = keyFile === undefined ? { reencrypted, newMasterKey: newKeyHex } : { reencrypted, keyFile };
  process.stdout.write(`${JSON.stringify(output)}\n`);
}

async function setPassword(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { email: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
    strict: true,
  });
  const email = values.email?.trim();
  if (email === undefined || !/^[^\s@]+@[^\s@]+$/.test(email))
    throw new UsageError('set-password needs --email <email>');
  if (values['password-stdin'] !== true) {
    throw new UsageError('set-password reads the password from standard input: pass --password-stdin');
  }
  const password = await readStdin();
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`the password read from stdin must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  const result = await withDatabase((database, masterKey) =>
    createServices({ database, masterKey }).sessionsService.setPassword({ email }, password, null),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

const IMPORT_VENDORS = ['pagerduty', 'oncall', 'opsgenie'] as const;

async function importFrom(args: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      url: { type: 'string' },
      token: { type: 'string' },
      'token-stdin': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      as: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const vendor = IMPORT_VENDORS.find((name) => name === positionals[0]);
  if (vendor === undefined || positionals.length !== 1) {
    throw new UsageError('import needs one of pagerduty, oncall, opsgenie');
  }
  if (values.url === undefined || !/^https?:\/\//.test(values.url))
    throw new UsageError('import needs --url <api url>');
  const token = values['token-stdin'] === true ? (await readStdin()).trim() : values.token;
  if (token === undefined || token === '') throw new UsageError('import needs --token <token> or --token-stdin');
  const config = loadConfig();
  const report = await withDatabase((database, masterKey) =>
    runImport({
      database,
      masterKey,
      publicUrl: config.incidents.publicUrl,
      vendor,
      url: values.url as string,
      token,
      dryRun: values['dry-run'] === true,
      actorEmail: values.as,
    }),
  );
  process.stdout.write(formatReport(report));
}

async function run(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bootstrap-admin':
      return bootstrapAdmin(rest);
    case 'rotate-master-key':
      return rotateMasterKey(rest);
    case 'set-password':
      return setPassword(rest);
    case 'import':
      return importFrom(rest);
    case 'apply':
      return applyCommand(rest);
    case 'export':
      return exportCommand(rest);
    case 'backup':
      return backupCommand(rest);
    case 'restore':
      return restoreCommand(rest);
    case 'migrate':
      await withDatabase(async () => {});
      process.stderr.write('klaxon: database is up to date\n');
      return;
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return;
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

run(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    if (
      error instanceof UsageError ||
      error instanceof CommandUsageError ||
      (error as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
    ) {
      process.stderr.write(`klaxon: ${(error as Error).message}\n\n${HELP}`);
      process.exit(2);
    }
    const known =
      error instanceof ConfigError ||
      error instanceof DatabaseUnreachableError ||
      error instanceof DataDirLockedError ||
      error instanceof DataDirUnsafeError ||
      error instanceof VendorApiError ||
      error instanceof RemoteApiError ||
      error instanceof RestoreRefusedError ||
      (error instanceof AppError && error.code === 'user-not-found');
    process.stderr.write(`klaxon: ${known ? (error as Error).message : String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
