import type { z } from 'zod';
import type { ImportVendor } from '../../core/imports.js';
import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import type { Services } from '../../services.js';
import { createPolicyBody } from '../escalation-policies/escalation-policies.schema.js';
import { createIntegrationBody } from '../integrations/integrations.schema.js';
import { createWindowBody } from '../maintenance/maintenance.schema.js';
import { createRuleBody } from '../routing/routing-rules.schema.js';
import { createLayerBody, createOverrideBody, createScheduleBody } from '../schedules/schedules.schema.js';
import { createTeamBody } from '../teams/teams.schema.js';
import { createUserBody } from '../users/users.schema.js';
import type { ImportBundle, ImportService, Unmapped } from './import-bundle.js';
import type { ImportKind, ImportRefsRepository } from './import-refs.repository.js';

export type ImportAction = { action: 'create' | 'update' | 'skip'; kind: string; name: string; detail?: string };

export interface ImportReport {
  vendor: ImportVendor;
  dryRun: boolean;
  actions: ImportAction[];
  unmapped: Unmapped[];
  /** Set-password links of the users this run created (shown once). */
  invites: Array<{ email: string; url: string }>;
  /** Webhook URL and secret of each integration this run created (shown once). */
  integrations: Array<{ name: string; webhookUrl: string; webhookSecret: string }>;
}

type ImporterServices = Pick<
  Services,
  | 'usersService'
  | 'passwordLinksService'
  | 'teamsService'
  | 'schedulesService'
  | 'escalationPoliciesService'
  | 'integrationsService'
  | 'routingService'
  | 'maintenanceService'
>;

const VENDOR_NAMES: Record<ImportVendor, string> = {
  pagerduty: 'PagerDuty',
  oncall: 'Grafana OnCall',
  opsgenie: 'Opsgenie',
};
const INTEGRATION_PREFIX: Record<ImportVendor, string> = { pagerduty: 'pd', oncall: 'oncall', opsgenie: 'opsgenie' };
/** The team that takes whatever the vendor gives no team. */
const IMPORT_TEAM = '__import__';

/** `pd-checkout-api`: an integration name (lowercase letters, digits, dashes) from a vendor name. */
export function integrationName(vendor: ImportVendor, name: string): string {
  const slug = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return `${INTEGRATION_PREFIX[vendor]}-${slug || 'service'}`.slice(0, 100).replace(/-+$/, '');
}

/**
 * Writes what a vendor adapter read into Klaxon through the same services the HTTP API uses (so
 * every write is validated, authorized for the acting admin and audited), remembering each
 * object in `import_refs`. An object already imported, or already in Klaxon under the same
 * natural key (email, team name, schedule or policy name in its team, integration name), is left
 * alone, so a second run changes nothing. A dry run reads the same and writes nothing: objects
 * it would create get placeholder ids, so what depends on them is planned too.
 */
export function createImporterService(deps: {
  db: Database;
  refs: ImportRefsRepository;
  services: ImporterServices;
  publicUrl: string;
  now?: () => Date;
}) {
  const { db, refs, services } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    async run(bundle: ImportBundle, actor: Principal, options: { dryRun: boolean }): Promise<ImportReport> {
      const { vendor } = bundle;
      const { dryRun } = options;
      const report: ImportReport = {
        vendor,
        dryRun,
        actions: [],
        unmapped: [...bundle.unmapped],
        invites: [],
        integrations: [],
      };
      const act = (action: ImportAction['action'], kind: string, name: string, detail?: string) =>
        report.actions.push(detail === undefined ? { action, kind, name } : { action, kind, name, detail });
      const unmapped = (kind: string, externalId: string, name: string, reason: string) =>
        report.unmapped.push({ kind, externalId, name, reason });
      const planned = (kind: ImportKind, externalId: string) => `planned:${kind}:${externalId}`;
      const isPlanned = (id: string) => id.startsWith('planned:');
      const remember = async (kind: ImportKind, externalId: string, klaxonId: string) => {
        if (!dryRun) await refs.record(db, vendor, kind, externalId, klaxonId);
      };
      /** The input as the HTTP route would accept it, or null with the reasons in the report. */
      function valid<S extends z.ZodType>(schema: S, input: unknown, kind: string, externalId: string, name: string) {
        const parsed = schema.safeParse(input);
        if (parsed.success) return parsed.data as z.output<S>;
        const why = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'value'}: ${issue.message}`);
        unmapped(kind, externalId, name, `not valid in Klaxon (${why.join('; ')})`);
        return null;
      }

      // Users, matched by email; new ones get an invitation link, never a password.
      const userIds = new Map<string, string>();
      for (const user of bundle.users) {
        const known = await refs.find(db, vendor, 'user', user.externalId);
        if (known !== undefined) {
          userIds.set(user.externalId, known);
          act('skip', 'user', user.email, 'already imported');
          continue;
        }
        const existing = await services.usersService.findByEmail(user.email);
        if (existing !== undefined) {
          userIds.set(user.externalId, existing.id);
          await remember('user', user.externalId, existing.id);
          act('skip', 'user', user.email, 'already in Klaxon (same email)');
          continue;
        }
        const input = valid(
          createUserBody,
          { email: user.email, ...(user.name === null ? {} : { name: user.name.slice(0, 200) }) },
          'user',
          user.externalId,
          user.email,
        );
        if (input === null) continue;
        act('create', 'user', user.email);
        if (dryRun) {
          userIds.set(user.externalId, planned('user', user.externalId));
          continue;
        }
        const created = await services.usersService.create(input, actor.userId);
        await remember('user', user.externalId, created.id);
        userIds.set(user.externalId, created.id);
        const link = await services.passwordLinksService.create(created.id, actor.userId);
        report.invites.push({ email: created.email, url: link.url });
      }

      // Teams, matched by name; membership is added, never removed.
      const klaxonTeams = await services.teamsService.list(actor);
      const teamIds = new Map<string, string>();
      const members = new Map<string, Set<string>>();
      const teamNames = new Map<string, string>();
      async function membersOf(teamId: string): Promise<Set<string>> {
        let set = members.get(teamId);
        if (set === undefined) {
          set = isPlanned(teamId)
            ? new Set()
            : new Set((await services.teamsService.listMembers(actor, teamId)).map((member) => member.userId));
          members.set(teamId, set);
        }
        return set;
      }
      async function ensureMember(teamId: string, userId: string, role: 'member' | 'manager', why: string) {
        const set = await membersOf(teamId);
        if (set.has(userId)) return;
        set.add(userId);
        act('update', 'team', teamNames.get(teamId) ?? teamId, `add member ${userId}${why}`);
        if (!dryRun) await services.teamsService.addMember(teamId, { userId, role }, actor);
      }
      async function importTeam(externalId: string, name: string, description: string | null): Promise<string | null> {
        const known = await refs.find(db, vendor, 'team', externalId);
        const sameName = klaxonTeams.find((team) => team.name.toLowerCase() === name.toLowerCase());
        let id = known ?? sameName?.id;
        if (id !== undefined) {
          act('skip', 'team', name, known !== undefined ? 'already imported' : 'already in Klaxon (same name)');
          if (known === undefined) await remember('team', externalId, id);
        } else {
          const input = valid(createTeamBody, { name: name.slice(0, 100), description }, 'team', externalId, name);
          if (input === null) return null;
          act('create', 'team', name);
          id = dryRun ? planned('team', externalId) : (await services.teamsService.create(input, actor)).id;
          await remember('team', externalId, id);
        }
        teamIds.set(externalId, id);
        teamNames.set(id, name);
        return id;
      }
      for (const team of bundle.teams) {
        const id = await importTeam(team.externalId, team.name, team.description);
        if (id === null) continue;
        for (const member of team.members) {
          const userId = userIds.get(member.userId);
          if (userId === undefined) unmapped('team member', member.userId, team.name, 'the user was not imported');
          else await ensureMember(id, userId, member.role, '');
        }
      }
      async function teamFor(externalId: string | null): Promise<string | null> {
        const id = externalId === null ? undefined : teamIds.get(externalId);
        if (id !== undefined) return id;
        return teamIds.get(IMPORT_TEAM) ?? importTeam(IMPORT_TEAM, `Imported from ${VENDOR_NAMES[vendor]}`, null);
      }
      /** A vendor user as a member of the team, added if need be; null when the user was not imported. */
      async function memberFor(teamId: string, externalUserId: string, where: string): Promise<string | null> {
        const userId = userIds.get(externalUserId);
        if (userId === undefined) return null;
        await ensureMember(teamId, userId, 'member', ` (on ${where})`);
        return userId;
      }

      // Schedules with their layers and the overrides ahead.
      const scheduleIds = new Map<string, { id: string; teamId: string }>();
      for (const schedule of bundle.schedules) {
        const teamId = await teamFor(schedule.teamId);
        if (teamId === null) continue;
        const known = await refs.find(db, vendor, 'schedule', schedule.externalId);
        const sameName = isPlanned(teamId)
          ? undefined
          : (await services.schedulesService.list(actor, teamId)).find((row) => row.name === schedule.name);
        let id = known ?? sameName?.id;
        if (id !== undefined) {
          act(
            'skip',
            'schedule',
            schedule.name,
            known !== undefined ? 'already imported' : 'already in Klaxon (same name)',
          );
          if (known === undefined) await remember('schedule', schedule.externalId, id);
        } else {
          const input = valid(
            createScheduleBody,
            {
              teamId: isPlanned(teamId) ? '00000000-0000-4000-8000-000000000000' : teamId,
              name: schedule.name.slice(0, 100),
              description: schedule.description?.slice(0, 500) ?? null,
              timeZone: schedule.timeZone,
            },
            'schedule',
            schedule.externalId,
            schedule.name,
          );
          if (input === null) continue;
          act('create', 'schedule', schedule.name);
          id = dryRun
            ? planned('schedule', schedule.externalId)
            : (await services.schedulesService.create({ ...input, teamId }, actor)).id;
          await remember('schedule', schedule.externalId, id);
        }
        scheduleIds.set(schedule.externalId, { id, teamId });
        for (const layer of schedule.layers) {
          if ((await refs.find(db, vendor, 'layer', layer.externalId)) !== undefined) {
            act('skip', 'schedule layer', layer.name, 'already imported');
            continue;
          }
          const participantIds: string[] = [];
          for (const externalUserId of layer.participantIds) {
            const userId = await memberFor(teamId, externalUserId, schedule.name);
            if (userId === null) unmapped('layer participant', externalUserId, layer.name, 'the user was not imported');
            else participantIds.push(userId);
          }
          if (participantIds.length === 0) {
            unmapped('schedule layer', layer.externalId, layer.name, 'nobody in the rotation could be imported');
            continue;
          }
          const input = valid(
            createLayerBody,
            {
              name: layer.name,
              timeZone: layer.timeZone,
              startsAt: layer.startsAt.toISOString(),
              endsAt: layer.endsAt?.toISOString() ?? null,
              turnUnit: layer.turnUnit,
              turnLength: layer.turnLength,
              restrictions: layer.restrictions,
              participantIds: participantIds.map((userId) =>
                isPlanned(userId) ? '00000000-0000-4000-8000-000000000000' : userId,
              ),
            },
            'schedule layer',
            layer.externalId,
            layer.name,
          );
          if (input === null) continue;
          act(
            'create',
            'schedule layer',
            layer.name,
            `${participantIds.length} people, every ${layer.turnLength} ${layer.turnUnit}`,
          );
          if (dryRun) continue;
          const created = await services.schedulesService.createLayer(id, { ...input, participantIds }, actor);
          await remember('layer', layer.externalId, created.id);
        }
        for (const override of schedule.overrides) {
          if (override.endsAt.getTime() <= now().getTime()) continue;
          const label = `${schedule.name} ${override.startsAt.toISOString()}`;
          if ((await refs.find(db, vendor, 'override', override.externalId)) !== undefined) {
            act('skip', 'schedule override', label, 'already imported');
            continue;
          }
          const userId = await memberFor(teamId, override.userId, schedule.name);
          if (userId === null) {
            unmapped('schedule override', override.externalId, label, 'the covering user was not imported');
            continue;
          }
          const input = valid(
            createOverrideBody,
            {
              userId: isPlanned(userId) ? '00000000-0000-4000-8000-000000000000' : userId,
              startsAt: override.startsAt.toISOString(),
              endsAt: override.endsAt.toISOString(),
            },
            'schedule override',
            override.externalId,
            label,
          );
          if (input === null) continue;
          act('create', 'schedule override', label);
          if (dryRun) continue;
          const created = await services.schedulesService.createOverride(id, { ...input, userId }, actor);
          await remember('override', override.externalId, created.id);
        }
      }

      // Escalation policies. Klaxon pages by team: each team's default policy is the one its
      // first service used (else its first policy), unless the team already has a default.
      const policyTeam = (policyId: string) => {
        const policy = bundle.policies.find((candidate) => candidate.externalId === policyId);
        return policy?.teamId ?? bundle.services.find((service) => service.policyId === policyId)?.teamId ?? null;
      };
      const defaultPolicy = new Map<string, string>();
      for (const service of bundle.services) {
        if (service.policyId === null) continue;
        const team = service.teamId ?? policyTeam(service.policyId) ?? IMPORT_TEAM;
        if (!defaultPolicy.has(team)) defaultPolicy.set(team, service.policyId);
      }
      for (const policy of bundle.policies) {
        const team = policy.teamId ?? policyTeam(policy.externalId) ?? IMPORT_TEAM;
        if (!defaultPolicy.has(team)) defaultPolicy.set(team, policy.externalId);
      }
      const policyIds = new Map<string, { id: string; teamId: string; isDefault: boolean }>();
      for (const policy of bundle.policies) {
        const externalTeam = policy.teamId ?? policyTeam(policy.externalId);
        const teamId = await teamFor(externalTeam);
        if (teamId === null) continue;
        const existing = isPlanned(teamId) ? [] : await services.escalationPoliciesService.list(actor, teamId);
        const known = await refs.find(db, vendor, 'policy', policy.externalId);
        const sameName = existing.find((row) => row.name === policy.name);
        const id = known ?? sameName?.id;
        const wantsDefault = defaultPolicy.get(externalTeam ?? IMPORT_TEAM) === policy.externalId;
        if (id !== undefined) {
          act(
            'skip',
            'escalation policy',
            policy.name,
            known !== undefined ? 'already imported' : 'already in Klaxon (same name)',
          );
          if (known === undefined) await remember('policy', policy.externalId, id);
          policyIds.set(policy.externalId, {
            id,
            teamId,
            isDefault: existing.find((row) => row.id === id)?.isDefault ?? false,
          });
          continue;
        }
        const levels: Array<{
          delayMinutes: number;
          targets: Array<{ type: 'user' | 'schedule' | 'team'; id: string }>;
        }> = [];
        for (const [index, level] of policy.levels.entries()) {
          const targets: Array<{ type: 'user' | 'schedule' | 'team'; id: string }> = [];
          for (const target of level.targets) {
            const where = `${policy.name} level ${index + 1}`;
            if (target.type === 'user') {
              const userId = await memberFor(teamId, target.id, policy.name);
              if (userId === null) unmapped('escalation target', target.id, where, 'the user was not imported');
              else targets.push({ type: 'user', id: userId });
            } else if (target.type === 'schedule') {
              const schedule = scheduleIds.get(target.id);
              if (schedule === undefined)
                unmapped('escalation target', target.id, where, 'the schedule was not imported');
              else if (schedule.teamId !== teamId)
                unmapped(
                  'escalation target',
                  target.id,
                  where,
                  "the schedule belongs to another team; Klaxon policies page their own team's schedules",
                );
              else targets.push({ type: 'schedule', id: schedule.id });
            } else {
              const team = teamIds.get(target.id);
              if (team === teamId) targets.push({ type: 'team', id: team });
              else
                unmapped(
                  'escalation target',
                  target.id,
                  where,
                  "another team; Klaxon policies page their own team's people",
                );
            }
          }
          if (targets.length > 0) levels.push({ delayMinutes: Math.min(level.delayMinutes, 1440), targets });
          else if (levels.length > 0) {
            // Keep the timing: the empty level's wait moves to the level before it.
            const last = levels[levels.length - 1];
            if (last !== undefined) last.delayMinutes = Math.min(last.delayMinutes + level.delayMinutes, 1440);
          }
        }
        if (levels.length === 0) {
          unmapped('escalation policy', policy.externalId, policy.name, 'no level has a target Klaxon can page');
          continue;
        }
        const isDefault = wantsDefault && !existing.some((row) => row.isDefault);
        const placeholder = '00000000-0000-4000-8000-000000000000';
        const input = valid(
          createPolicyBody,
          {
            teamId: isPlanned(teamId) ? placeholder : teamId,
            name: policy.name.slice(0, 100),
            description: policy.description?.slice(0, 1000) ?? null,
            repeatCount: policy.repeatCount,
            isDefault,
            levels: levels.map((level) => ({
              ...level,
              targets: level.targets.map((target) => ({
                ...target,
                id: isPlanned(target.id) ? placeholder : target.id,
              })),
            })),
          },
          'escalation policy',
          policy.externalId,
          policy.name,
        );
        if (input === null) continue;
        act(
          'create',
          'escalation policy',
          policy.name,
          `${levels.length} levels${isDefault ? ", the team's default" : ''}`,
        );
        const created = dryRun
          ? planned('policy', policy.externalId)
          : (await services.escalationPoliciesService.create(actor, { ...input, teamId, levels })).id;
        await remember('policy', policy.externalId, created);
        policyIds.set(policy.externalId, { id: created, teamId, isDefault });
      }

      // Services and integrations: a Klaxon integration each, routed to its team by a rule.
      const integrationIds = new Map<string, string>();
      for (const service of bundle.services) {
        const teamId = await teamFor(
          service.teamId ?? (service.policyId === null ? null : policyTeam(service.policyId)),
        );
        if (teamId === null) continue;
        const name = integrationName(vendor, service.name);
        const known = await refs.find(db, vendor, 'integration', service.externalId);
        const sameName = known === undefined ? await services.integrationsService.getByName(name) : undefined;
        let id = known ?? sameName?.id;
        if (id !== undefined) {
          act('skip', 'integration', name, known !== undefined ? 'already imported' : 'already in Klaxon (same name)');
          if (known === undefined) await remember('integration', service.externalId, id);
        } else {
          const input = valid(
            createIntegrationBody,
            { name, type: service.type },
            'service',
            service.externalId,
            service.name,
          );
          if (input === null) continue;
          act('create', 'integration', name, `type ${service.type}, from "${service.name}"`);
          if (dryRun) id = planned('integration', service.externalId);
          else {
            const created = await services.integrationsService.create(input, actor.userId);
            id = created.integration.id;
            await remember('integration', service.externalId, id);
            report.integrations.push({
              name,
              webhookUrl: `${deps.publicUrl}/webhooks/alerts/${name}`,
              webhookSecret: created.webhookSecret,
            });
          }
        }
        integrationIds.set(service.externalId, id);
        await routeService(service, id, teamId, name);
      }
      async function routeService(service: ImportService, integrationId: string, teamId: string, name: string) {
        const policy = service.policyId === null ? undefined : policyIds.get(service.policyId);
        if (policy !== undefined && !policy.isDefault) {
          unmapped(
            'service policy',
            service.externalId,
            service.name,
            `Klaxon pages a team by its default policy: alerts of ${name} follow the team's default, not "${bundle.policies.find((p) => p.externalId === service.policyId)?.name}"`,
          );
        }
        if ((await refs.find(db, vendor, 'routing-rule', service.externalId)) !== undefined) {
          act('skip', 'routing rule', `${name} → ${teamNames.get(teamId) ?? teamId}`, 'already imported');
          return;
        }
        const placeholder = '00000000-0000-4000-8000-000000000000';
        const input = valid(
          createRuleBody,
          {
            name: `${VENDOR_NAMES[vendor]}: ${service.name}`.slice(0, 100),
            teamId: isPlanned(teamId) ? placeholder : teamId,
            integrationId: isPlanned(integrationId) ? placeholder : integrationId,
          },
          'routing rule',
          service.externalId,
          service.name,
        );
        if (input === null) return;
        act('create', 'routing rule', `${name} → ${teamNames.get(teamId) ?? teamId}`);
        if (dryRun) return;
        const rule = await services.routingService.create({ ...input, teamId, integrationId }, actor);
        await remember('routing-rule', service.externalId, rule.id);
      }

      // Maintenance windows still ahead (or under way), on the integrations they cover.
      for (const window of bundle.maintenance) {
        if (window.endsAt.getTime() <= now().getTime()) continue;
        if ((await refs.find(db, vendor, 'maintenance', window.externalId)) !== undefined) {
          act('skip', 'maintenance window', window.name, 'already imported');
          continue;
        }
        const covered = window.serviceIds.flatMap((serviceId) => integrationIds.get(serviceId) ?? []);
        if (covered.length === 0) {
          unmapped(
            'maintenance window',
            window.externalId,
            window.name,
            'covers no imported service (it would silence everything)',
          );
          continue;
        }
        const placeholder = '00000000-0000-4000-8000-000000000000';
        const input = valid(
          createWindowBody,
          {
            name: window.name.slice(0, 200),
            startsAt: window.startsAt.toISOString(),
            endsAt: window.endsAt.toISOString(),
            integrationIds: covered.map((id) => (isPlanned(id) ? placeholder : id)),
          },
          'maintenance window',
          window.externalId,
          window.name,
        );
        if (input === null) continue;
        act(
          'create',
          'maintenance window',
          window.name,
          `${window.startsAt.toISOString()} – ${window.endsAt.toISOString()}`,
        );
        if (dryRun) continue;
        const created = await services.maintenanceService.create({ ...input, integrationIds: covered }, actor);
        await remember('maintenance', window.externalId, created.id);
      }
      return report;
    },
  };
}

export type ImporterService = ReturnType<typeof createImporterService>;
