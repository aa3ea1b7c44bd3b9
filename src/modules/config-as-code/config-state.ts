import type { Principal } from '../../core/principal.js';
import type { IntegrationRow } from '../../db/schema/index.js';
import type { Services } from '../../services.js';
import { resolveSignatureSettings, type SignatureSettings } from '../integrations/integration-defaults.js';
import type {
  ConfigDocument,
  EscalationPolicySpec,
  IntegrationSpec,
  LayerSpec,
  RoutingRuleSpec,
  ScheduleSpec,
  TargetSpec,
  TeamSpec,
} from './config-document.js';
import { orderedMatcher } from './config-plan.js';

export type ConfigServices = Pick<
  Services,
  | 'usersService'
  | 'teamsService'
  | 'integrationsService'
  | 'routingService'
  | 'schedulesService'
  | 'escalationPoliciesService'
>;

/** Names compare as the database's unique indexes do: case-insensitively. */
export const nameKey = (name: string) => name.trim().toLowerCase();
export const scopedKey = (team: string, name: string) => `${nameKey(team)}\u0000${nameKey(name)}`;

/** What is stored now, as a document, plus the ids behind each name for the apply step. */
export interface CurrentConfig {
  document: Required<ConfigDocument>;
  ids: {
    users: Map<string, string>;
    teams: Map<string, string>;
    integrations: Map<string, string>;
    routingRules: Map<string, string>;
    /** Every rule in evaluation order, with its name key (several rules may share one). */
    ruleOrder: { id: string; key: string }[];
    schedules: Map<string, { id: string; layers: Map<string, string> }>;
    escalationPolicies: Map<string, string>;
  };
}

const SIGNATURE_FIELDS = [
  'signatureHeader',
  'signatureAlgorithm',
  'signatureFormat',
  'signaturePrefix',
  'deduplicationWindowMinutes',
] as const satisfies readonly (keyof SignatureSettings)[];

/** An integration as the file writes it: only the settings that differ from its type's defaults. */
function integrationSpec(row: IntegrationRow, teamName: string | null): IntegrationSpec {
  const defaults = resolveSignatureSettings(row.type, {});
  const schemeDefaults = resolveSignatureSettings(row.type, { signatureScheme: row.signatureScheme });
  const spec: IntegrationSpec = { name: row.name, type: row.type, team: teamName, isActive: row.isActive };
  if (row.signatureScheme !== defaults.signatureScheme) spec.signatureScheme = row.signatureScheme;
  for (const field of SIGNATURE_FIELDS) {
    if (row[field] !== schemeDefaults[field]) Object.assign(spec, { [field]: row[field] });
  }
  if (row.rateLimitPerMinute !== null) spec.rateLimitPerMinute = row.rateLimitPerMinute;
  return spec;
}

export async function loadCurrentConfig(services: ConfigServices, viewer: Principal): Promise<CurrentConfig> {
  const users = await services.usersService.list();
  const emailOf = new Map(users.map((user) => [user.id, user.email]));
  const email = (id: string) => emailOf.get(id) ?? id;

  const teamRows = await services.teamsService.list(viewer);
  const teamNameOf = new Map(teamRows.map((team) => [team.id, team.name]));
  const teamName = (id: string) => teamNameOf.get(id) ?? id;
  const teams: TeamSpec[] = [];
  for (const team of teamRows) {
    const members = await services.teamsService.listMembers(viewer, team.id);
    teams.push({
      name: team.name,
      description: team.description,
      members: members
        .map((member) => ({ email: member.email, role: member.role }))
        .sort((a, b) => a.email.localeCompare(b.email)),
    });
  }

  const integrationRows = (await services.integrationsService.list()).sort((a, b) => a.name.localeCompare(b.name));
  const integrationNameOf = new Map(integrationRows.map((row) => [row.id, row.name]));
  const integrations = integrationRows.map((row) =>
    integrationSpec(row, row.defaultTeamId === null ? null : teamName(row.defaultTeamId)),
  );

  const ruleRows = await services.routingService.list();
  const routingRules: RoutingRuleSpec[] = ruleRows.map((rule) => ({
    name: rule.name,
    team: teamName(rule.teamId),
    integration: rule.integrationId === null ? null : (integrationNameOf.get(rule.integrationId) ?? rule.integrationId),
    matchers: (rule.matchers as RoutingRuleSpec['matchers']).map(orderedMatcher),
    continue: rule.continue,
    isActive: rule.isActive,
  }));

  const scheduleIds: CurrentConfig['ids']['schedules'] = new Map();
  const scheduleNameOf = new Map<string, string>();
  const schedules: ScheduleSpec[] = [];
  for (const row of await services.schedulesService.list(viewer)) {
    const detail = await services.schedulesService.get(viewer, row.id);
    const layerIds = new Map<string, string>();
    const layers: LayerSpec[] = detail.layers.map((layer) => {
      layerIds.set(nameKey(layer.name), layer.id);
      const latest = layer.versions[layer.versions.length - 1];
      return {
        name: layer.name,
        timeZone: layer.timeZone,
        startsAt: layer.startsAt.toISOString(),
        endsAt: layer.endsAt?.toISOString() ?? null,
        turnUnit: latest?.turnUnit ?? 'weeks',
        turnLength: latest?.turnLength ?? 1,
        handoffTime: latest?.handoffTime ?? null,
        handoffWeekday: latest?.handoffWeekday ?? null,
        restrictions: latest?.restrictions ?? [],
        participants: (latest?.participantIds ?? []).map(email),
      };
    });
    scheduleIds.set(scopedKey(teamName(row.teamId), row.name), { id: row.id, layers: layerIds });
    scheduleNameOf.set(row.id, row.name);
    schedules.push({
      name: row.name,
      team: teamName(row.teamId),
      description: row.description,
      timeZone: row.timeZone,
      layers,
    });
  }

  const policyRows = await services.escalationPoliciesService.list(viewer);
  const escalationPolicies: EscalationPolicySpec[] = policyRows.map((policy) => ({
    name: policy.name,
    team: teamName(policy.teamId),
    description: policy.description,
    repeatCount: policy.repeatCount,
    isDefault: policy.isDefault,
    ackTimeoutMinutes: policy.ackTimeoutMinutes,
    levels: policy.levels.map((level) => ({
      delayMinutes: level.delayMinutes,
      targets: level.targets.map((target): TargetSpec => {
        switch (target.type) {
          case 'user':
            return { user: email(target.id) };
          case 'team':
            return { team: teamName(target.id) };
          case 'team_channel':
            return { teamChannel: teamName(target.id) };
          default:
            return { schedule: scheduleNameOf.get(target.id) ?? target.id };
        }
      }),
    })),
  }));

  const firstByName = <T extends { id: string }>(rows: T[], key: (row: T) => string) => {
    const map = new Map<string, string>();
    for (const row of rows) if (!map.has(key(row))) map.set(key(row), row.id);
    return map;
  };
  return {
    document: { version: 1, teams, integrations, routingRules, schedules, escalationPolicies },
    ids: {
      users: new Map(users.map((user) => [user.email.toLowerCase(), user.id])),
      teams: firstByName(teamRows, (team) => nameKey(team.name)),
      integrations: firstByName(integrationRows, (row) => row.name),
      routingRules: firstByName(ruleRows, (rule) => nameKey(rule.name)),
      ruleOrder: ruleRows.map((rule) => ({ id: rule.id, key: nameKey(rule.name) })),
      schedules: scheduleIds,
      escalationPolicies: firstByName(policyRows, (policy) => scopedKey(teamName(policy.teamId), policy.name)),
    },
  };
}
