import { AppError } from '../../lib/errors.js';
import { resolveSignatureSettings } from '../integrations/integration-defaults.js';
import { normalizeEmail } from '../users/users.service.js';
import {
  CONFIG_KINDS,
  type ConfigDocument,
  type ConfigKind,
  type EscalationPolicySpec,
  type IntegrationSpec,
  type LayerSpec,
  type RoutingRuleSpec,
  type ScheduleSpec,
  type TeamSpec,
} from './config-document.js';
import { type CurrentConfig, nameKey, scopedKey } from './config-state.js';

export interface PlannedChange {
  kind: ConfigKind | 'users';
  name: string;
  action: 'create' | 'update' | 'delete' | 'reorder';
  /** For updates: the fields that differ. */
  fields?: string[];
}

/** A matcher with its keys in one order (the database stores JSON keys in its own). */
export function orderedMatcher(matcher: RoutingRuleSpec['matchers'][number]): RoutingRuleSpec['matchers'][number] {
  return (
    matcher.value === undefined
      ? { field: matcher.field, op: matcher.op }
      : { field: matcher.field, op: matcher.op, value: matcher.value }
  ) as RoutingRuleSpec['matchers'][number];
}

export const comparableLayer = (layer: LayerSpec) => ({
  ...layer,
  startsAt: new Date(layer.startsAt).toISOString(),
  endsAt: layer.endsAt === null ? null : new Date(layer.endsAt).toISOString(),
  participants: layer.participants.map(normalizeEmail),
});

/**
 * The comparable form of each kind: defaults resolved, references and emails in the case
 * the database compares them in, instants in one notation. Two objects with equal forms
 * are the same configuration, so applying an exported file changes nothing.
 */
const comparable = {
  teams: (team: TeamSpec) => ({
    name: team.name,
    description: team.description,
    members: team.members
      .map((member) => ({ email: normalizeEmail(member.email), role: member.role }))
      .sort((a, b) => a.email.localeCompare(b.email)),
  }),
  integrations: (spec: IntegrationSpec) => {
    const { name, type, team, rateLimitPerMinute, isActive, ...signature } = spec;
    return {
      name,
      type,
      team: team === null ? null : nameKey(team),
      ...resolveSignatureSettings(type, signature),
      rateLimitPerMinute: rateLimitPerMinute ?? null,
      isActive,
    };
  },
  routingRules: (rule: RoutingRuleSpec) => ({
    ...rule,
    team: nameKey(rule.team),
    matchers: rule.matchers.map(orderedMatcher),
  }),
  schedules: (schedule: ScheduleSpec) => ({
    ...schedule,
    team: nameKey(schedule.team),
    layers: schedule.layers.map(comparableLayer),
  }),
  escalationPolicies: (policy: EscalationPolicySpec) => ({
    ...policy,
    team: nameKey(policy.team),
    levels: policy.levels.map((level) => ({
      delayMinutes: level.delayMinutes,
      targets: level.targets.map((target) => {
        if ('user' in target) return { user: normalizeEmail(target.user) };
        if ('team' in target) return { team: nameKey(target.team) };
        if ('teamChannel' in target) return { teamChannel: nameKey(target.teamChannel) };
        return { schedule: nameKey(target.schedule) };
      }),
    })),
  }),
};

/** Where an object of each kind is found by name: teams and integrations globally, the rest per team. */
export const keyOf = {
  teams: (spec: TeamSpec) => nameKey(spec.name),
  integrations: (spec: IntegrationSpec) => spec.name,
  routingRules: (spec: RoutingRuleSpec) => nameKey(spec.name),
  schedules: (spec: ScheduleSpec) => scopedKey(spec.team, spec.name),
  escalationPolicies: (spec: EscalationPolicySpec) => scopedKey(spec.team, spec.name),
};

function differingFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  return Object.keys(after).filter((field) => JSON.stringify(before[field]) !== JSON.stringify(after[field]));
}

function invalid(errors: { path: string; message: string }[]): AppError {
  return new AppError('validation-failed', errors.map((error) => `${error.path}: ${error.message}`).join('; '), {
    errors,
  });
}

/** Every email the file names: members, participants and escalation targets. */
export function referencedEmails(document: ConfigDocument): string[] {
  const emails = new Set<string>();
  for (const team of document.teams ?? []) for (const member of team.members) emails.add(normalizeEmail(member.email));
  for (const schedule of document.schedules ?? []) {
    for (const layer of schedule.layers) for (const person of layer.participants) emails.add(normalizeEmail(person));
  }
  for (const policy of document.escalationPolicies ?? []) {
    for (const level of policy.levels) {
      for (const target of level.targets) if ('user' in target) emails.add(normalizeEmail(target.user));
    }
  }
  return [...emails].sort();
}

/** The emails of a team's members once the file is applied; undefined for a team that will not exist. */
function membersAfter(desired: ConfigDocument, current: CurrentConfig, teamName: string): Set<string> | undefined {
  const key = nameKey(teamName);
  const team =
    (desired.teams ?? []).find((spec) => keyOf.teams(spec) === key) ??
    current.document.teams.find((spec) => keyOf.teams(spec) === key);
  return team === undefined ? undefined : new Set(team.members.map((entry) => normalizeEmail(entry.email)));
}

/** Names that must exist after the apply: in the file, or already stored and not pruned. */
function checkReferences(desired: ConfigDocument, current: CurrentConfig, prune: boolean) {
  const errors: { path: string; message: string }[] = [];
  const exists = (kind: 'teams' | 'integrations' | 'schedules', key: string, inFile: Set<string>) =>
    inFile.has(key) ||
    (!(prune && desired[kind] !== undefined) && current.document[kind].some((s) => keyFor(kind, s) === key));
  const keyFor = (kind: 'teams' | 'integrations' | 'schedules', spec: TeamSpec | IntegrationSpec | ScheduleSpec) =>
    kind === 'teams'
      ? keyOf.teams(spec as TeamSpec)
      : kind === 'integrations'
        ? keyOf.integrations(spec as IntegrationSpec)
        : keyOf.schedules(spec as ScheduleSpec);
  const teams = new Set((desired.teams ?? []).map(keyOf.teams));
  const integrations = new Set((desired.integrations ?? []).map(keyOf.integrations));
  const schedules = new Set((desired.schedules ?? []).map(keyOf.schedules));
  const team = (path: string, name: string | null) => {
    if (name !== null && !exists('teams', nameKey(name), teams))
      errors.push({ path, message: `no team named "${name}"` });
  };

  for (const kind of CONFIG_KINDS) {
    const seen = new Set<string>();
    (desired[kind] ?? []).forEach((spec, index) => {
      const key = (keyOf[kind] as (spec: unknown) => string)(spec);
      if (seen.has(key)) errors.push({ path: `${kind}.${index}.name`, message: `"${spec.name}" appears twice` });
      seen.add(key);
    });
  }
  (desired.integrations ?? []).forEach((spec, index) => {
    team(`integrations.${index}.team`, spec.team);
  });
  (desired.routingRules ?? []).forEach((rule, index) => {
    team(`routingRules.${index}.team`, rule.team);
    if (rule.integration !== null && !exists('integrations', rule.integration, integrations)) {
      errors.push({ path: `routingRules.${index}.integration`, message: `no integration named "${rule.integration}"` });
    }
  });
  // A schedule's participants and a policy's people must be members of its team once the file is applied.
  const member = (path: string, teamName: string, email: string) => {
    const members = membersAfter(desired, current, teamName);
    if (members !== undefined && !members.has(normalizeEmail(email))) {
      errors.push({ path, message: `${email} is not a member of team "${teamName}"` });
    }
  };
  (desired.schedules ?? []).forEach((schedule, index) => {
    team(`schedules.${index}.team`, schedule.team);
    schedule.layers.forEach((layer, layerIndex) => {
      layer.participants.forEach((email, position) => {
        member(`schedules.${index}.layers.${layerIndex}.participants.${position}`, schedule.team, email);
      });
    });
  });
  (desired.escalationPolicies ?? []).forEach((policy, index) => {
    team(`escalationPolicies.${index}.team`, policy.team);
    policy.levels.forEach((level, levelIndex) => {
      level.targets.forEach((target, targetIndex) => {
        const path = `escalationPolicies.${index}.levels.${levelIndex}.targets.${targetIndex}`;
        if ('user' in target) member(path, policy.team, target.user);
        // Everyone on a team and a team's channel: only ever the policy's own team.
        const targetTeam = 'team' in target ? target.team : 'teamChannel' in target ? target.teamChannel : null;
        if (targetTeam !== null && nameKey(targetTeam) !== nameKey(policy.team)) {
          errors.push({ path, message: `"${targetTeam}" is not the policy's team ("${policy.team}")` });
        }
        if ('schedule' in target && !exists('schedules', scopedKey(policy.team, target.schedule), schedules)) {
          errors.push({ path, message: `team "${policy.team}" has no schedule named "${target.schedule}"` });
        }
      });
    });
  });
  if (errors.length > 0) throw invalid(errors);
}

/**
 * The changes that turn the stored configuration into the file's: per kind the file names,
 * objects to create and update, and with `prune` the stored ones the file does not name.
 * Kinds the file leaves out are not touched.
 */
export function planChanges(desired: ConfigDocument, current: CurrentConfig, options: { prune: boolean }) {
  checkReferences(desired, current, options.prune);
  const changes: PlannedChange[] = referencedEmails(desired)
    .filter((email) => !current.ids.users.has(email))
    .map((email) => ({ kind: 'users' as const, name: email, action: 'create' as const }));

  for (const kind of CONFIG_KINDS) {
    const wanted = desired[kind];
    if (wanted === undefined) continue;
    const key = keyOf[kind] as (spec: unknown) => string;
    const compare = comparable[kind] as (spec: unknown) => Record<string, unknown>;
    const stored = new Map<string, unknown>();
    for (const spec of current.document[kind]) if (!stored.has(key(spec))) stored.set(key(spec), spec);
    const label = (spec: { name: string; team?: string | null }) =>
      kind === 'schedules' || kind === 'escalationPolicies' ? `${spec.team}/${spec.name}` : spec.name;
    for (const spec of wanted) {
      const before = stored.get(key(spec));
      if (before === undefined) {
        changes.push({ kind, name: label(spec), action: 'create' });
        continue;
      }
      const fields = differingFields(compare(before), compare(spec));
      if (fields.length > 0) changes.push({ kind, name: label(spec), action: 'update', fields });
    }
    if (options.prune) {
      const named = new Set(wanted.map(key));
      const seen = new Set<string>();
      for (const spec of current.document[kind]) {
        // Several stored rules may share a name: the first is the file's, the others are pruned.
        if (!named.has(key(spec)) || seen.has(key(spec))) {
          changes.push({ kind, name: label(spec), action: 'delete' });
        }
        seen.add(key(spec));
      }
    }
  }
  if (desired.routingRules !== undefined && ruleOrderAfter(desired, current, options.prune) !== null) {
    changes.push({ kind: 'routingRules', name: '(evaluation order)', action: 'reorder' });
  }
  return changes;
}

/**
 * The rule order the file asks for, as keys, or null if the stored order already has it.
 * Rules the file names fill the places such rules hold now (new ones at the end), in the
 * file's order; rules it does not name (kept without prune) stay where they are.
 */
export function ruleOrderAfter(desired: ConfigDocument, current: CurrentConfig, prune: boolean): string[] | null {
  const wanted = (desired.routingRules ?? []).map(keyOf.routingRules);
  const named = new Set(wanted);
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const { id, key } of current.ids.ruleOrder) {
    const managed = named.has(key) && !seen.has(key);
    seen.add(key);
    if (managed) kept.push(key);
    else if (!prune) kept.push(`#${id}`);
  }
  for (const key of wanted) if (!seen.has(key)) kept.push(key);
  let next = 0;
  const order = kept.map((entry) => (entry.startsWith('#') ? entry : (wanted[next++] as string)));
  return order.every((entry, index) => entry === kept[index]) ? null : order;
}
