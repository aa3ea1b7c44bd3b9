import type { ImportVendor } from '../../core/imports.js';
import type { Principal } from '../../core/principal.js';
import type { DatabaseHandle } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { createServices } from '../../services.js';
import type { ImportBundle } from './import-bundle.js';
import { createImportRefsRepository } from './import-refs.repository.js';
import { createImporterService, type ImportReport } from './importer.service.js';
import { oncallHttp, readOnCall } from './oncall.js';
import { opsgenieHttp, readOpsgenie } from './opsgenie.js';
import { pagerDutyHttp, readPagerDuty } from './pagerduty.js';

/** Reads everything from the vendor's API first, so a vendor error leaves Klaxon untouched. */
function readVendor(vendor: ImportVendor, url: string, token: string, now: Date): Promise<ImportBundle> {
  switch (vendor) {
    case 'pagerduty':
      return readPagerDuty(pagerDutyHttp(url, token), now);
    case 'oncall':
      return readOnCall(oncallHttp(url, token), now);
    case 'opsgenie':
      return readOpsgenie(opsgenieHttp(url, token), now);
  }
}

/**
 * The import as the CLI runs it: in-process on the database, through the services, acting as a
 * platform admin (the one named, else the first). Klaxon's own HTTP API is not used: with the
 * embedded database the server is stopped while the CLI runs, and the services are the same code
 * the API calls, with the same validation, authorization and audit trail.
 */
export async function runImport(options: {
  database: DatabaseHandle;
  masterKey: Buffer;
  publicUrl: string;
  vendor: ImportVendor;
  url: string;
  token: string;
  dryRun: boolean;
  actorEmail?: string | undefined;
  now?: () => Date;
}): Promise<ImportReport> {
  const now = options.now ?? (() => new Date());
  const services = createServices({
    database: options.database,
    masterKey: options.masterKey,
    incidents: { publicUrl: options.publicUrl },
    now,
  });
  const admins = (await services.usersService.list()).filter(
    (user) =>
      user.isPlatformAdmin &&
      user.disabledAt === null &&
      (options.actorEmail === undefined || user.email === options.actorEmail.trim().toLowerCase()),
  );
  admins.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const admin = admins[0];
  if (admin === undefined) {
    throw new AppError(
      'user-not-found',
      options.actorEmail === undefined
        ? 'No platform admin to import as: run bootstrap-admin first'
        : `No active platform admin with email ${options.actorEmail}`,
    );
  }
  const actor: Principal = { userId: admin.id, email: admin.email, isPlatformAdmin: true, apiKeyId: null };
  const bundle = await readVendor(options.vendor, options.url, options.token, now());
  const importer = createImporterService({
    db: options.database.db,
    refs: createImportRefsRepository(),
    services,
    publicUrl: options.publicUrl,
    now,
  });
  return importer.run(bundle, actor, { dryRun: options.dryRun });
}

/** The report as the CLI prints it: the plan, the secrets and links shown once, then what was left out. */
export function formatReport(report: ImportReport): string {
  const lines: string[] = [];
  const counts = { create: 0, update: 0, skip: 0 };
  lines.push(report.dryRun ? 'Plan (dry run: nothing was changed):' : 'Import:');
  for (const action of report.actions) {
    counts[action.action] += 1;
    lines.push(
      `  ${action.action.padEnd(6)} ${action.kind} "${action.name}"${action.detail ? ` (${action.detail})` : ''}`,
    );
  }
  lines.push(`${counts.create} to create, ${counts.update} to update, ${counts.skip} unchanged.`);
  if (report.invites.length > 0) {
    lines.push('', 'Invitation links for the new users (shown once; each sets a password):');
    for (const invite of report.invites) lines.push(`  ${invite.email}: ${invite.url}`);
  }
  if (report.integrations.length > 0) {
    lines.push('', 'New integrations (the secret is shown once; point the senders here):');
    for (const integration of report.integrations) {
      lines.push(`  ${integration.name}: ${integration.webhookUrl}`, `    secret: ${integration.webhookSecret}`);
    }
  }
  if (report.unmapped.length > 0) {
    lines.push('', 'Not imported (and why):');
    for (const item of report.unmapped) {
      lines.push(`  ${item.kind} "${item.name}"${item.externalId ? ` [${item.externalId}]` : ''}: ${item.reason}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
