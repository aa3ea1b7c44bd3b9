import type { z } from 'zod';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { createPolicyBody } from '../escalation-policies/escalation-policies.schema.js';
import { resolveSignatureSettings } from '../integrations/integration-defaults.js';
import { toStandardWebhooksSecret } from '../integrations/integration-secret.js';
import { createLayerBody, createScheduleBody } from '../schedules/schedules.schema.js';
import { normalizeEmail } from '../users/users.service.js';
import type {
  ConfigDocument,
  EscalationPolicySpec,
  IntegrationSpec,
  LayerSpec,
  ScheduleSpec,
  TeamSpec,
} from './config-document.js';
import { comparableLayer, keyOf, type PlannedChange, planChanges, ruleOrderAfter } from './config-plan.js';
import { type ConfigServices, type CurrentConfig, loadCurrentConfig, nameKey, scopedKey } from './config-state.js';

export interface ApplyResult {
  changes: PlannedChange[];
  applied: boolean;
  /** Secrets of the integrations this apply created: shown this once, as POST /api/integrations does. */
  secrets: { integration: string; webhookSecret: string; standardWebhooksSecret?: string }[];
}

/** Checks a body with the API's own schema, so the file is held to the same rules as the API. */
function checked<S extends z.ZodType>(schema: S, value: unknown, path: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = result.error.issues.map((issue) => ({
    path: [path, ...issue.path.map(String)].filter((part) => part !== '').join('.'),
    message: issue.message,
  }));
  throw new AppError('validation-failed', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { errors });
}

/** Thrown to roll a dry run's transaction back once every change has been tried. */
class DryRunFinished extends Error {}

/**
 * Runs the changes of one object of the file, and places its errors there: a service names
 * ids and request fields, the author wants the object's path in the file.
 */
async function at<T>(path: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const errors = error.errors?.map((field) => ({
      path: field.path === '' ? path : `${path}.${field.path}`,
      message: field.message,
    }));
    const detail =
      errors === undefined
        ? `${path}: ${error.detail ?? error.message}`
        : errors.map((field) => `${field.path}: ${field.message}`).join('; ');
    throw new AppError(error.code, detail, { ...(errors === undefined ? {} : { errors }), cause: error });
  }
}

/**
 * Configuration as code: export the stored configuration as a document, and apply one. An
 * apply works through the same services as the API (their checks and audit entries), kind by
 * kind in dependency order, all in one transaction: it changes everything or nothing. A dry
 * run makes the same changes and rolls them back, so it meets every error the apply would.
 */
export function createConfigAsCodeService(deps: {
  db: Database;
  /** The services on the database, for export. */
  services: ConfigServices;
  /** The same services working inside the apply's transaction, and what they leave to do once it commits. */
  servicesWithin: (tx: Transaction) => { services: ConfigServices; afterCommit: () => void };
}) {
  async function apply(
    actor: Principal,
    desired: ConfigDocument,
    options: { dryRun: boolean; prune: boolean },
  ): Promise<ApplyResult> {
    let planned: PlannedChange[] = [];
    let afterCommit = () => {};
    try {
      const result = await deps.db.transaction(async (tx): Promise<ApplyResult> => {
        const within = deps.servicesWithin(tx);
        const current = await loadCurrentConfig(within.services, actor);
        planned = planChanges(desired, current, options);
        if (planned.length === 0) return { changes: planned, applied: false, secrets: [] };
        const secrets = await makeChanges(within.services, actor, desired, current, planned);
        if (options.dryRun) throw new DryRunFinished();
        afterCommit = within.afterCommit;
        return { changes: planned, applied: true, secrets };
      });
      afterCommit();
      return result;
    } catch (error) {
      // The secrets of integrations a dry run created died with its transaction: none is shown.
      if (error instanceof DryRunFinished) return { changes: planned, applied: false, secrets: [] };
      throw error;
    }
  }

  async function makeChanges(
    services: ConfigServices,
    actor: Principal,
    desired: ConfigDocument,
    current: CurrentConfig,
    changes: PlannedChange[],
  ): Promise<ApplyResult['secrets']> {
    const secrets: ApplyResult['secrets'] = [];
    const ids = current.ids;
    const has = (kind: PlannedChange['kind'], action: PlannedChange['action'], name: string) =>
      changes.some((change) => change.kind === kind && change.action === action && change.name === name);
    const userId = (email: string) => ids.users.get(normalizeEmail(email)) as string;
    const teamId = (name: string) => ids.teams.get(nameKey(name)) as string;

    for (const change of changes.filter((c) => c.kind === 'users')) {
      const user = await services.usersService.create({ email: change.name }, actor.userId);
      ids.users.set(user.email, user.id);
    }

    for (const [index, team] of (desired.teams ?? []).entries()) {
      await at(`teams.${index}`, async () => {
        if (has('teams', 'create', team.name)) {
          const created = await services.teamsService.create({ name: team.name, description: team.description }, actor);
          ids.teams.set(keyOf.teams(team), created.id);
        } else if (has('teams', 'update', team.name)) {
          const id = teamId(team.name);
          await services.teamsService.update(id, { name: team.name, description: team.description }, actor);
        } else return;
        await syncMembers(services, actor, teamId(team.name), team);
      });
    }

    for (const [index, spec] of (desired.integrations ?? []).entries()) {
      const { name, type, team, isActive, rateLimitPerMinute, ...signature } = spec;
      const defaultTeamId = team === null ? null : teamId(team);
      await at(`integrations.${index}`, async () => {
        if (has('integrations', 'create', name)) {
          const { integration, webhookSecret } = await services.integrationsService.create(
            { name, type, ...signature, rateLimitPerMinute, defaultTeamId },
            actor.userId,
          );
          ids.integrations.set(name, integration.id);
          if (!isActive) await services.integrationsService.update(integration.id, { isActive }, actor.userId);
          secrets.push({
            integration: name,
            webhookSecret,
            ...(integration.signatureScheme === 'standard-webhooks'
              ? { standardWebhooksSecret: toStandardWebhooksSecret(webhookSecret) }
              : {}),
          });
        } else if (has('integrations', 'update', name)) {
          await updateIntegration(services, actor, ids.integrations.get(name) as string, spec, defaultTeamId);
        }
      });
    }

    for (const [index, schedule] of (desired.schedules ?? []).entries()) {
      const label = `${schedule.team}/${schedule.name}`;
      const path = `schedules.${index}`;
      await at(path, async () => {
        if (has('schedules', 'create', label)) {
          const body = checked(
            createScheduleBody,
            {
              teamId: teamId(schedule.team),
              name: schedule.name,
              description: schedule.description,
              timeZone: schedule.timeZone,
            },
            '',
          );
          const created = await services.schedulesService.create(body, actor);
          ids.schedules.set(keyOf.schedules(schedule), { id: created.id, layers: new Map() });
        } else if (has('schedules', 'update', label)) {
          const { id } = ids.schedules.get(keyOf.schedules(schedule)) as { id: string };
          const { name, description, timeZone } = schedule;
          await services.schedulesService.update(id, { name, description, timeZone }, actor);
        } else return;
        await syncLayers(services, actor, schedule, current, userId);
      });
    }

    for (const [index, policy] of (desired.escalationPolicies ?? []).entries()) {
      const label = `${policy.team}/${policy.name}`;
      const path = `escalationPolicies.${index}`;
      const create = has('escalationPolicies', 'create', label);
      if (!create && !has('escalationPolicies', 'update', label)) continue;
      await at(path, async () => {
        const body = checked(createPolicyBody, policyBody(policy, ids, userId, teamId), '');
        if (create) {
          const created = await services.escalationPoliciesService.create(actor, body);
          ids.escalationPolicies.set(keyOf.escalationPolicies(policy), created.id);
        } else {
          const { teamId: _team, ...changes } = body;
          const id = ids.escalationPolicies.get(keyOf.escalationPolicies(policy)) as string;
          await services.escalationPoliciesService.update(actor, id, changes);
        }
      });
    }

    for (const [index, rule] of (desired.routingRules ?? []).entries()) {
      const fields = {
        name: rule.name,
        teamId: teamId(rule.team),
        integrationId: rule.integration === null ? null : (ids.integrations.get(rule.integration) as string),
        matchers: rule.matchers,
        continue: rule.continue,
        isActive: rule.isActive,
      };
      await at(`routingRules.${index}`, async () => {
        if (has('routingRules', 'create', rule.name)) {
          const created = await services.routingService.create(fields, actor);
          ids.ruleOrder.push({ id: created.id, key: keyOf.routingRules(rule) });
          ids.routingRules.set(keyOf.routingRules(rule), created.id);
        } else if (has('routingRules', 'update', rule.name)) {
          await services.routingService.update(ids.routingRules.get(keyOf.routingRules(rule)) as string, fields, actor);
        }
      });
    }

    await prune(services, actor, desired, current, changes);
    if (changes.some((change) => change.kind === 'routingRules' && change.action === 'reorder')) {
      await reorderRules(services, actor, desired, current);
    }
    return secrets;
  }

  async function syncMembers(services: ConfigServices, actor: Principal, id: string, team: TeamSpec) {
    const stored = new Map(
      (await services.teamsService.listMembers(actor, id)).map((member) => [member.userId, member.role]),
    );
    // Members are added before any are removed, so a manager swap never leaves the team without one.
    const users = await services.usersService.list();
    const idOf = new Map(users.map((user) => [user.email, user.id]));
    const wanted = new Map(
      team.members.map((member) => [idOf.get(normalizeEmail(member.email)) as string, member.role]),
    );
    for (const [userId, role] of wanted) {
      const before = stored.get(userId);
      if (before === undefined) await services.teamsService.addMember(id, { userId, role }, actor);
      else if (before !== role) await services.teamsService.updateMember(id, userId, role, actor);
    }
    for (const userId of stored.keys()) {
      if (!wanted.has(userId)) await services.teamsService.removeMember(id, userId, actor);
    }
  }

  async function updateIntegration(
    services: ConfigServices,
    actor: Principal,
    id: string,
    spec: IntegrationSpec,
    defaultTeamId: string | null,
  ) {
    const { name, type: _type, team: _team, isActive, rateLimitPerMinute, ...signature } = spec;
    await services.integrationsService.update(
      id,
      {
        name,
        ...resolveSignatureSettings(spec.type, signature),
        rateLimitPerMinute: rateLimitPerMinute ?? null,
        isActive,
        defaultTeamId,
      },
      actor.userId,
    );
  }

  async function syncLayers(
    services: ConfigServices,
    actor: Principal,
    schedule: ScheduleSpec,
    current: CurrentConfig,
    userId: (email: string) => string,
  ) {
    const { id } = current.ids.schedules.get(keyOf.schedules(schedule)) as { id: string };
    const storedSpecs = new Map(
      (
        current.document.schedules.find((stored) => keyOf.schedules(stored) === keyOf.schedules(schedule))?.layers ?? []
      ).map((layer, index) => [nameKey(layer.name), JSON.stringify({ ...comparableLayer(layer), position: index })]),
    );
    const detail = await services.schedulesService.get(actor, id);
    const stored = new Map(detail.layers.map((layer) => [nameKey(layer.name), layer]));
    const wanted = new Set(schedule.layers.map((layer) => nameKey(layer.name)));
    for (const layer of detail.layers) {
      if (!wanted.has(nameKey(layer.name))) await services.schedulesService.deleteLayer(id, layer.id, actor);
    }
    for (const [index, layer] of schedule.layers.entries()) {
      const path = `layers.${index}`;
      const body = checked(createLayerBody, layerBody(layer, index + 1, userId), path);
      const before = stored.get(nameKey(layer.name));
      // A layer's start and zone anchor its whole history: changing them makes it a new layer.
      if (
        before !== undefined &&
        (before.startsAt.getTime() !== body.startsAt.getTime() || before.timeZone !== (body.timeZone ?? null))
      ) {
        await services.schedulesService.deleteLayer(id, before.id, actor);
      } else if (before !== undefined) {
        // An unchanged layer is left alone: an update would add a rotation version.
        if (storedSpecs.get(nameKey(layer.name)) === JSON.stringify({ ...comparableLayer(layer), position: index })) {
          continue;
        }
        const { startsAt: _startsAt, timeZone: _timeZone, ...changes } = body;
        await services.schedulesService.updateLayer(id, before.id, changes, actor);
        continue;
      }
      await services.schedulesService.createLayer(id, body, actor);
    }
  }

  async function prune(
    services: ConfigServices,
    actor: Principal,
    desired: ConfigDocument,
    current: CurrentConfig,
    changes: PlannedChange[],
  ) {
    const deletes = (kind: PlannedChange['kind']) =>
      changes.some((change) => change.kind === kind && change.action === 'delete');
    const ids = current.ids;
    if (deletes('routingRules')) {
      const named = new Set((desired.routingRules ?? []).map(keyOf.routingRules));
      const seen = new Set<string>();
      for (const { id, key } of [...ids.ruleOrder]) {
        if (!named.has(key) || seen.has(key)) {
          await at('routingRules', () => services.routingService.delete(id, actor));
          ids.ruleOrder = ids.ruleOrder.filter((rule) => rule.id !== id);
        }
        seen.add(key);
      }
    }
    if (deletes('escalationPolicies')) {
      const named = new Set((desired.escalationPolicies ?? []).map(keyOf.escalationPolicies));
      for (const [key, id] of ids.escalationPolicies) {
        if (!named.has(key)) await at('escalationPolicies', () => services.escalationPoliciesService.delete(actor, id));
      }
    }
    if (deletes('schedules')) {
      const named = new Set((desired.schedules ?? []).map(keyOf.schedules));
      for (const [key, { id }] of ids.schedules) {
        if (!named.has(key)) await at('schedules', () => services.schedulesService.delete(id, actor));
      }
    }
    if (deletes('integrations')) {
      const named = new Set((desired.integrations ?? []).map(keyOf.integrations));
      for (const [name, id] of ids.integrations) {
        if (!named.has(name)) await at('integrations', () => services.integrationsService.delete(id, actor.userId));
      }
    }
    if (deletes('teams')) {
      const named = new Set((desired.teams ?? []).map(keyOf.teams));
      for (const [key, id] of ids.teams) {
        if (!named.has(key)) await at('teams', () => services.teamsService.delete(id, actor));
      }
    }
  }

  async function reorderRules(
    services: ConfigServices,
    actor: Principal,
    desired: ConfigDocument,
    current: CurrentConfig,
  ) {
    const order = ruleOrderAfter(desired, current, true) ?? [];
    const byKey = current.ids.routingRules;
    const ruleIds = order.map((entry) => (entry.startsWith('#') ? entry.slice(1) : (byKey.get(entry) as string)));
    await services.routingService.reorder(ruleIds, actor);
  }

  return {
    apply,
    async export(viewer: Principal): Promise<ConfigDocument> {
      return (await loadCurrentConfig(deps.services, viewer)).document;
    },
  };
}

function layerBody(layer: LayerSpec, position: number, userId: (email: string) => string) {
  return {
    name: layer.name,
    position,
    timeZone: layer.timeZone,
    startsAt: layer.startsAt,
    endsAt: layer.endsAt,
    turnUnit: layer.turnUnit,
    turnLength: layer.turnLength,
    handoffTime: layer.handoffTime,
    handoffWeekday: layer.handoffWeekday,
    restrictions: layer.restrictions,
    participantIds: layer.participants.map(userId),
  };
}

function policyBody(
  policy: EscalationPolicySpec,
  ids: CurrentConfig['ids'],
  userId: (email: string) => string,
  teamId: (name: string) => string,
) {
  return {
    teamId: teamId(policy.team),
    name: policy.name,
    description: policy.description,
    repeatCount: policy.repeatCount,
    isDefault: policy.isDefault,
    ackTimeoutMinutes: policy.ackTimeoutMinutes,
    levels: policy.levels.map((level) => ({
      delayMinutes: level.delayMinutes,
      targets: level.targets.map((target) => {
        if ('user' in target) return { type: 'user' as const, id: userId(target.user) };
        if ('team' in target) return { type: 'team' as const, id: teamId(target.team) };
        if ('teamChannel' in target) return { type: 'team_channel' as const, id: teamId(target.teamChannel) };
        return { type: 'schedule' as const, id: ids.schedules.get(scopedKey(policy.team, target.schedule))?.id };
      }),
    })),
  };
}

export type ConfigAsCodeService = ReturnType<typeof createConfigAsCodeService>;
