import { count } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  auditLogs,
  escalationPolicies,
  importRefs,
  integrations,
  maintenanceWindows,
  routingRules,
  scheduleLayers,
  scheduleLayerVersions,
  scheduleOverrides,
  schedules,
  teamMembers,
  teams,
  users,
} from '../src/db/schema/index.js';
import type { ImportReport } from '../src/modules/importers/importer.service.js';
import { formatReport, runImport } from '../src/modules/importers/run-import.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { ONCALL_TOKEN, startOnCallFake } from './helpers/oncall-fake.js';
import { OPSGENIE_KEY, startOpsgenieFake } from './helpers/opsgenie-fake.js';
import { PAGERDUTY_TOKEN, startPagerDutyFake } from './helpers/pagerduty-fake.js';
import { sendSigned } from './helpers/webhooks.js';

/**
 * `klaxon import` against a local fake of each vendor's API, into a fresh database, in-process
 * (as the CLI runs it): the result, a second run that changes nothing, a dry run that changes
 * nothing, and the report of what could not be mapped.
 */

const PUBLIC_URL = 'https://klaxon.example.com';
let t: TestApp;

beforeEach(async () => {
  t = await createTestApp();
  await t.createAdmin('admin@example.com');
});
afterEach(async () => {
  await t.close();
});

/** Row counts of everything an import can touch, audit trail included: equal means nothing changed. */
async function snapshot() {
  const tables = {
    users,
    teams,
    teamMembers,
    schedules,
    scheduleLayers,
    scheduleOverrides,
    escalationPolicies,
    integrations,
    routingRules,
    maintenanceWindows,
    importRefs,
    auditLogs,
  };
  const counts: Record<string, number> = {};
  for (const [name, table] of Object.entries(tables)) {
    const [row] = await t.database.db.select({ n: count() }).from(table);
    counts[name] = row?.n ?? 0;
  }
  return counts;
}

function importFrom(vendor: 'pagerduty' | 'oncall' | 'opsgenie', url: string, token: string, dryRun: boolean) {
  return runImport({ database: t.database, masterKey: t.masterKey, publicUrl: PUBLIC_URL, vendor, url, token, dryRun });
}

const actions = (report: ImportReport, action: 'create' | 'update' | 'skip') =>
  report.actions.filter((entry) => entry.action === action);
const reasons = (report: ImportReport) => report.unmapped.map((item) => `${item.kind} ${item.name}: ${item.reason}`);

describe('import from PagerDuty', () => {
  it('moves a team in, changes nothing the second time, plans without changing in a dry run', async () => {
    const fake = await startPagerDutyFake();
    try {
      // Bob already has a Klaxon account: matched by email, not created again.
      await t.services.usersService.create({ email: 'Bob@Example.com', name: 'Bob' }, null);
      const before = await snapshot();

      const plan = await importFrom('pagerduty', fake.url, PAGERDUTY_TOKEN, true);
      expect(await snapshot()).toEqual(before);
      expect(plan.dryRun).toBe(true);
      expect(plan.invites).toEqual([]);
      expect(plan.integrations).toEqual([]);
      expect(actions(plan, 'create').map((entry) => `${entry.kind} ${entry.name}`)).toEqual(
        expect.arrayContaining([
          'user alice@example.com',
          'team Payments',
          'schedule Payments Primary',
          'escalation policy Payments EP',
          'integration pd-checkout-api',
          'maintenance window Database upgrade',
        ]),
      );
      // The 429 was answered after its Retry-After, and the import went on.
      expect(fake.rateLimited()).toBe(1);

      const report = await importFrom('pagerduty', fake.url, PAGERDUTY_TOKEN, false);
      expect(actions(report, 'create').map((entry) => `${entry.kind} ${entry.name}`)).toEqual(
        actions(plan, 'create').map((entry) => `${entry.kind} ${entry.name}`),
      );
      // Users: invitation links for the new ones, never passwords; Bob matched by email.
      expect(report.invites.map((invite) => invite.email).sort()).toEqual(['alice@example.com', 'carol@example.com']);
      expect(report.invites[0]?.url).toMatch(/^https:\/\/klaxon\.example\.com\/set-password#token=/);
      const allUsers = await t.services.usersService.list();
      expect(allUsers.filter((user) => user.email === 'bob@example.com')).toHaveLength(1);
      expect(allUsers.every((user) => user.passwordHash === null || user.email === 'admin@example.com')).toBe(true);

      const admin = await t.services.usersService.findByEmail('admin@example.com');
      const actor = { userId: admin?.id ?? '', email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: null };
      const payments = (await t.services.teamsService.list(actor)).find((team) => team.name === 'Payments');
      expect(payments).toBeDefined();
      const teamId = payments?.id ?? '';
      const memberEmails = (await t.services.teamsService.listMembers(actor, teamId)).map(
        (m) => `${m.email}:${m.role}`,
      );
      // Carol joins the team because she is on its schedule.
      expect(memberEmails.sort()).toEqual([
        'alice@example.com:manager',
        'bob@example.com:member',
        'carol@example.com:member',
      ]);

      // The schedule: layers lowest first, rotation and restrictions, the override ahead.
      const [schedule] = await t.services.schedulesService.list(actor, teamId);
      expect(schedule?.name).toBe('Payments Primary');
      expect(schedule?.timeZone).toBe('Europe/Berlin');
      const layerRows = await t.database.db.select().from(scheduleLayers);
      expect(layerRows.map((layer) => [layer.name, layer.position]).sort()).toEqual([
        ['Payments Primary / Weekend', 2],
        ['Payments Primary / Weekly', 1],
      ]);
      const versions = await t.database.db.select().from(scheduleLayerVersions);
      expect(versions).toHaveLength(2);
      expect(versions.map((version) => [version.turnUnit, version.turnLength, version.restrictions])).toEqual(
        expect.arrayContaining([
          // Friday 18:00 for 62 hours: three windows Klaxon can hold.
          [
            'weeks',
            1,
            [
              { days: [5], start: '18:00', end: '18:00' },
              { days: [6], start: '18:00', end: '18:00' },
              { days: [7], start: '18:00', end: '08:00' },
            ],
          ],
          ['weeks', 1, [{ start: '08:00', end: '17:00' }]],
        ]),
      );
      const overrides = await t.database.db.select().from(scheduleOverrides);
      expect(overrides.map((row) => row.userId)).toEqual([allUsers.find((u) => u.email === 'bob@example.com')?.id]);

      // Policies: levels, delays, targets, repeats; the service's policy is the team's default.
      const policies = await t.services.escalationPoliciesService.list(actor, teamId);
      expect(policies).toEqual([
        expect.objectContaining({
          name: 'Payments EP',
          isDefault: true,
          repeatCount: 2,
          levels: [
            { delayMinutes: 15, targets: [{ type: 'schedule', id: schedule?.id }] },
            {
              delayMinutes: 10,
              targets: [{ type: 'user', id: allUsers.find((u) => u.email === 'alice@example.com')?.id }],
            },
          ],
        }),
      ]);
      // A policy and service with no team go to the import's own team.
      const fallback = (await t.services.teamsService.list(actor)).find(
        (team) => team.name === 'Imported from PagerDuty',
      );
      expect(await t.services.escalationPoliciesService.list(actor, fallback?.id)).toEqual([
        expect.objectContaining({ name: 'Night watch', isDefault: true }),
      ]);

      // The service became an integration routed to its team; its secret is printed once and works.
      const checkout = report.integrations.find((entry) => entry.name === 'pd-checkout-api');
      expect(checkout?.webhookUrl).toBe(`${PUBLIC_URL}/webhooks/alerts/pd-checkout-api`);
      expect(checkout?.webhookSecret).toMatch(/^[0-9a-f]{64}$/);
      const sent = await sendSigned(
        t,
        { name: 'pd-checkout-api', webhookSecret: checkout?.webhookSecret ?? '' },
        {
          title: 'Checkout errors',
          severity: 'critical',
        },
      );
      expect(sent.statusCode).toBe(202);
      const alertId = (sent.json() as { alerts: Array<{ id: string }> }).alerts[0]?.id ?? '';
      const { alert } = await t.services.alertsService.get(actor, alertId);
      expect(alert.teamIds).toEqual([teamId]);

      const [window] = await t.database.db.select().from(maintenanceWindows);
      expect(window?.name).toBe('Database upgrade');
      expect(window?.integrationIds).toEqual([(await t.services.integrationsService.getByName('pd-checkout-api'))?.id]);

      // What could not be mapped, and why.
      expect(reasons(report)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^schedule layer Payments Primary \/ Ninety minutes: turn length is not whole hours/),
          expect.stringMatching(/^service Legacy Billing: disabled in PagerDuty/),
        ]),
      );
      expect(formatReport(report)).toContain(`secret: ${checkout?.webhookSecret}`);

      // Again: nothing changes, every object is reported unchanged.
      const after = await snapshot();
      const again = await importFrom('pagerduty', fake.url, PAGERDUTY_TOKEN, false);
      expect(await snapshot()).toEqual(after);
      expect(actions(again, 'create')).toEqual([]);
      expect(actions(again, 'update')).toEqual([]);
      expect(again.invites).toEqual([]);
      expect(again.integrations).toEqual([]);
      const dryAgain = await importFrom('pagerduty', fake.url, PAGERDUTY_TOKEN, true);
      expect(actions(dryAgain, 'create')).toEqual([]);
      expect(await snapshot()).toEqual(after);
    } finally {
      await fake.close();
    }
  });

  it('refuses a wrong token with the vendor error and changes nothing', async () => {
    const fake = await startPagerDutyFake();
    try {
      const before = await snapshot();
      await expect(importFrom('pagerduty', fake.url, 'wrong', false)).rejects.toThrow(/answered 401/);
      expect(await snapshot()).toEqual(before);
    } finally {
      await fake.close();
    }
  });
});

async function adminActor() {
  const admin = await t.services.usersService.findByEmail('admin@example.com');
  return { userId: admin?.id ?? '', email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: null };
}

/** Dry run, import, second run: the dry run and the second run change nothing. */
async function importTwice(vendor: 'oncall' | 'opsgenie', url: string, token: string) {
  const before = await snapshot();
  const plan = await importFrom(vendor, url, token, true);
  expect(await snapshot()).toEqual(before);
  const report = await importFrom(vendor, url, token, false);
  expect(actions(report, 'create').map((entry) => `${entry.kind} ${entry.name}`)).toEqual(
    actions(plan, 'create').map((entry) => `${entry.kind} ${entry.name}`),
  );
  const after = await snapshot();
  const again = await importFrom(vendor, url, token, false);
  expect(await snapshot()).toEqual(after);
  expect([...actions(again, 'create'), ...actions(again, 'update')]).toEqual([]);
  return report;
}

describe('import from Grafana OnCall', () => {
  it('imports calendar schedules, chains and integrations, and reports web and iCal schedules', async () => {
    const fake = await startOnCallFake();
    try {
      const report = await importTwice('oncall', fake.url, ONCALL_TOKEN);
      expect(fake.rateLimited()).toBe(1);
      // Users came over two pages.
      expect(report.invites.map((invite) => invite.email).sort()).toEqual([
        'dana@example.com',
        'erin@example.com',
        'frank@example.com',
      ]);
      const actor = await adminActor();
      const sre = (await t.services.teamsService.list(actor)).find((team) => team.name === 'SRE');
      const [schedule] = await t.services.schedulesService.list(actor, sre?.id);
      expect(schedule?.name).toBe('SRE Primary');
      const versions = await t.database.db.select().from(scheduleLayerVersions);
      expect(versions.map((version) => [version.turnUnit, version.turnLength, version.participantIds.length])).toEqual([
        ['weeks', 1, 2],
      ]);
      // The one-person override ahead; Frank joins the team to cover it.
      expect(await t.database.db.select().from(scheduleOverrides)).toHaveLength(1);
      const [policy] = await t.services.escalationPoliciesService.list(actor, sre?.id);
      expect(policy).toEqual(expect.objectContaining({ name: 'SRE chain', isDefault: true, repeatCount: 5 }));
      expect(policy?.levels.map((level) => [level.delayMinutes, level.targets[0]?.type])).toEqual([
        [10, 'schedule'],
        [0, 'user'],
      ]);
      const integration = await t.services.integrationsService.getByName('oncall-prod-alertmanager');
      expect(integration?.type).toBe('alertmanager');
      const [window] = await t.database.db.select().from(maintenanceWindows);
      expect(window?.integrationIds).toEqual([integration?.id]);
      expect(reasons(report)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^schedule SRE Secondary: a web schedule/),
          expect.stringMatching(/^schedule Holidays: an iCal schedule/),
          expect.stringMatching(/^shift SRE Primary \/ Pairs: several people on call together/),
          expect.stringMatching(/^escalation step SRE chain: step of type trigger_webhook/),
          expect.stringMatching(/^integration Zabbix: integration of type zabbix/),
        ]),
      );
    } finally {
      await fake.close();
    }
  });
});

describe('import from Opsgenie', () => {
  it('imports rotations with time restrictions, escalations and integrations, and reports the rest', async () => {
    const fake = await startOpsgenieFake();
    try {
      const report = await importTwice('opsgenie', fake.url, OPSGENIE_KEY);
      expect(fake.rateLimited()).toBe(1);
      expect(report.invites).toHaveLength(3);
      const actor = await adminActor();
      const platform = (await t.services.teamsService.list(actor)).find((team) => team.name === 'Platform');
      const members = await t.services.teamsService.listMembers(actor, platform?.id ?? '');
      expect(members.map((member) => `${member.email}:${member.role}`).sort()).toEqual([
        'gina@example.com:manager',
        'hank@example.com:member',
        'ivy@example.com:member',
      ]);
      const versions = await t.database.db.select().from(scheduleLayerVersions);
      // Monday 09:00 to Friday 17:00 as Klaxon windows of at most a day.
      expect(versions.map((version) => version.restrictions)).toEqual([
        [
          { days: [1], start: '09:00', end: '09:00' },
          { days: [2], start: '09:00', end: '09:00' },
          { days: [3], start: '09:00', end: '09:00' },
          { days: [4], start: '09:00', end: '09:00' },
          { days: [5], start: '09:00', end: '17:00' },
        ],
      ]);
      const [policy] = await t.services.escalationPoliciesService.list(actor, platform?.id);
      expect(policy?.repeatCount).toBe(1);
      expect(policy?.levels.map((level) => [level.delayMinutes, level.targets[0]?.type])).toEqual([
        [10, 'schedule'],
        [0, 'user'],
      ]);
      expect((await t.services.integrationsService.getByName('opsgenie-prometheus-prod'))?.type).toBe('alertmanager');
      expect(report.integrations.map((entry) => entry.name)).toEqual(['opsgenie-prometheus-prod']);
      expect(await t.database.db.select().from(maintenanceWindows)).toHaveLength(1);
      expect(reasons(report)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^rotation participant Platform On-Call \/ Escalation team: a team participant/),
          expect.stringMatching(/^escalation rule Platform Escalation: condition if-not-closed/),
          expect.stringMatching(/^integration Email Ingest: integration of type Email/),
          expect.stringMatching(/^maintenance rule Cluster upgrade: covers a policy/),
        ]),
      );
    } finally {
      await fake.close();
    }
  });
});
