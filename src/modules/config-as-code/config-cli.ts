import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse, stringify } from 'yaml';
import { CommandUsageError, callApi, remoteTarget } from '../../lib/remote-api.js';
import type { ApplyResult } from './config-as-code.service.js';
import type { PlannedChange } from './config-plan.js';

const remoteOptions = { url: { type: 'string' }, 'api-key': { type: 'string' } } as const;

const KIND_LABELS: Record<PlannedChange['kind'], string> = {
  users: 'user',
  teams: 'team',
  integrations: 'integration',
  routingRules: 'routing rule',
  schedules: 'schedule',
  escalationPolicies: 'escalation policy',
};
const SIGNS = { create: '+', update: '~', delete: '-', reorder: '~' } as const;

/** The diff as people read it: one line per object, then a count. */
export function formatChanges(result: ApplyResult, dryRun: boolean): string {
  if (result.changes.length === 0) return 'No changes: the configuration matches the file.\n';
  const lines = result.changes.map((change) => {
    const fields = change.fields === undefined ? '' : ` (${change.fields.join(', ')})`;
    return `${SIGNS[change.action]} ${change.action} ${KIND_LABELS[change.kind]} ${change.name}${fields}`;
  });
  const count = (action: PlannedChange['action']) => result.changes.filter((c) => c.action === action).length;
  lines.push(
    '',
    `${count('create')} to create, ${count('update') + count('reorder')} to update, ${count('delete')} to delete${
      dryRun ? ' (dry run: nothing was changed)' : ''
    }.`,
  );
  for (const secret of result.secrets) {
    lines.push(
      '',
      `Integration ${secret.integration}: webhook secret ${secret.webhookSecret}`,
      ...(secret.standardWebhooksSecret === undefined
        ? []
        : [`  Standard Webhooks secret ${secret.standardWebhooksSecret}`]),
      '  Shown this once: store it in the sender now.',
    );
  }
  return `${lines.join('\n')}\n`;
}

export async function applyCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      ...remoteOptions,
      file: { type: 'string', short: 'f' },
      'dry-run': { type: 'boolean' },
      prune: { type: 'boolean' },
    },
    strict: true,
  });
  if (values.file === undefined) throw new CommandUsageError('apply needs -f <klaxon.yaml>');
  const target = remoteTarget(values);
  let document: unknown;
  try {
    document = parse(readFileSync(values.file, 'utf8'));
  } catch (error) {
    throw new CommandUsageError(`cannot read ${values.file}: ${(error as Error).message}`);
  }
  const dryRun = values['dry-run'] === true;
  const response = await callApi(target, 'POST', '/api/config/apply', {
    document,
    dryRun,
    prune: values.prune === true,
  });
  process.stdout.write(formatChanges((await response.json()) as ApplyResult, dryRun));
}

export async function exportCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { ...remoteOptions, output: { type: 'string', short: 'o' } },
    strict: true,
  });
  const target = remoteTarget(values);
  const document = await (await callApi(target, 'GET', '/api/config')).json();
  const text = `# yaml-language-server: $schema=${target.url}/klaxon.schema.json\n${stringify(document)}`;
  if (values.output === undefined) {
    process.stdout.write(text);
    return;
  }
  writeFileSync(`${values.output}.partial`, text);
  renameSync(`${values.output}.partial`, values.output);
  process.stderr.write(`klaxon: configuration written to ${values.output}\n`);
}
