import { ZodError } from 'zod';
import type { Principal } from '../../core/principal.js';
import type { RuleMatcher } from '../../core/routing.js';
import type { Executor, Transaction } from '../../db/client.js';
import type { AlertRow, IntegrationRow, RoutingRuleRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AlertRouter } from '../alerts/alert-ingest.service.js';
import type { AlertsRepository } from '../alerts/alerts.repository.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { getSourceNormalizer } from '../alerts/sources/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { IntegrationsRepository } from '../integrations/integrations.repository.js';
import type { TeamsRepository } from '../teams/teams.repository.js';
import { type RoutableAlert, type RouteDecision, routeAlert } from './route-alert.js';
import type { RoutingRuleChanges, RoutingRulesRepository } from './routing-rules.repository.js';

export interface CreateRuleInput {
  name: string;
  teamId: string;
  integrationId?: string | null | undefined;
  matchers: RuleMatcher[];
  continue: boolean;
  isActive: boolean;
  position?: number | undefined;
}

export type UpdateRuleInput = Partial<Omit<CreateRuleInput, 'integrationId'>> & {
  integrationId?: string | null | undefined;
};

export interface SampleAlert {
  title: string;
  severity: NormalizedAlert['severity'];
  source: string | null;
  labels: Record<string, string>;
}

export interface RoutingTestInput {
  integrationId?: string | undefined;
  alert?: SampleAlert | undefined;
  payload?: unknown;
}

/** A routing decision with rule and team names, for people to read. */
export interface RouteExplanation {
  teamIds: string[];
  teams: Array<{ id: string; name: string }>;
  matched: Array<{ ruleId: string; ruleName: string; teamId: string }>;
  defaultTeamUsed: boolean;
  evaluated: Array<{
    ruleId: string;
    ruleName: string;
    position: number;
    matched: boolean;
    failedMatcher?: { index: number; field: string; op: string } | undefined;
  }>;
}

type IntegrationRef = Pick<IntegrationRow, 'id' | 'name' | 'defaultTeamId'>;

export function toRoutable(
  integration: Pick<IntegrationRow, 'id' | 'name'>,
  alert: Pick<NormalizedAlert, 'severity' | 'source' | 'title' | 'labels'>,
): RoutableAlert {
  return {
    severity: alert.severity,
    source: alert.source,
    title: alert.title,
    labels: alert.labels,
    integration: { id: integration.id, name: integration.name },
  };
}

/** The one place rules are loaded and applied: ingest, re-route and dry-run all go through it. */
async function decide(
  repository: Pick<RoutingRulesRepository, 'listActive'>,
  executor: Executor,
  integration: IntegrationRef | null,
  alert: Pick<NormalizedAlert, 'severity' | 'source' | 'title' | 'labels'>,
  rules?: RoutingRuleRow[],
): Promise<{ decision: RouteDecision; rules: RoutingRuleRow[] }> {
  const loaded = rules ?? (await repository.listActive(executor, integration?.id ?? null));
  const routable = toRoutable(integration ?? { id: '', name: '' }, alert);
  return { decision: routeAlert(routable, loaded, integration?.defaultTeamId ?? null), rules: loaded };
}

/**
 * The router the ingest path calls for each firing alert. The rules that apply to an
 * integration are read once per ingest batch however many alerts it carries, and with a
 * cache (dropped on every rule or integration change, in every process: see WatchedCache) once
 * until they change.
 */
export function createAlertRouter(deps: {
  routingRulesRepository: Pick<RoutingRulesRepository, 'listActive'>;
  cache?: WatchedCache<RoutingRuleRow[]>;
}) {
  const { cache } = deps;
  const perBatch = new WeakMap<object, Map<string, Promise<RoutingRuleRow[]>>>();
  const router: AlertRouter = async (integration, alert, executor, batch = executor) => {
    let byIntegration = perBatch.get(batch);
    if (byIntegration === undefined) {
      byIntegration = new Map();
      perBatch.set(batch, byIntegration);
    }
    let rules = byIntegration.get(integration.id);
    if (rules === undefined) {
      const read = () => deps.routingRulesRepository.listActive(executor, integration.id);
      rules = cache === undefined ? read() : cache.get(integration.id, read).then((found) => found ?? []);
      byIntegration.set(integration.id, rules);
    }
    const { decision } = await decide(deps.routingRulesRepository, executor, integration, alert, await rules);
    return {
      teamIds: decision.teamIds,
      ruleIds: decision.matched.map((match) => match.ruleId),
      defaultTeamUsed: decision.defaultTeamUsed,
    };
  };
  return router;
}

export function createRoutingService(deps: {
  db: Executor;
  routingRulesRepository: RoutingRulesRepository;
  teamsRepository: Pick<TeamsRepository, 'namesByIds'>;
  integrationsRepository: Pick<IntegrationsRepository, 'findById'>;
  alertsRepository: Pick<AlertsRepository, 'findByIdForUpdate' | 'update'>;
  auditService: Pick<AuditService, 'record'>;
  /** The ingest router's cache of rules, dropped after each change this process commits. */
  rulesCache?: Pick<WatchedCache<unknown>, 'clear'>;
  now?: () => Date;
}) {
  const { db, routingRulesRepository: repository, teamsRepository, integrationsRepository, alertsRepository } = deps;
  const { auditService } = deps;
  const now = deps.now ?? (() => new Date());

  /** A rule change this process committed routes its very next alert, before any notice arrives. */
  async function changeRules<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    deps.rulesCache?.clear();
    return result;
  }

  const notFound = (id: string) => new AppError('routing-rule-not-found', `No routing rule with id ${id}`);

  async function lockRule(tx: Transaction, id: string) {
    await repository.lockOrder(tx);
    const rule = await repository.findById(tx, id);
    if (rule === undefined) throw notFound(id);
    return rule;
  }

  async function explain(decision: RouteDecision, rules: RoutingRuleRow[]): Promise<RouteExplanation> {
    const ruleById = new Map(rules.map((rule) => [rule.id, rule]));
    const names = await teamsRepository.namesByIds(db, decision.teamIds);
    return {
      teamIds: decision.teamIds,
      teams: decision.teamIds.map((id) => ({ id, name: names.get(id) ?? '' })),
      matched: decision.matched.map((m) => ({ ...m, ruleName: ruleById.get(m.ruleId)?.name ?? '' })),
      defaultTeamUsed: decision.defaultTeamUsed,
      evaluated: decision.evaluated.map((e) => ({
        ruleId: e.ruleId,
        ruleName: ruleById.get(e.ruleId)?.name ?? '',
        position: ruleById.get(e.ruleId)?.position ?? 0,
        matched: e.matched,
        ...(e.failedMatcher === undefined ? {} : { failedMatcher: e.failedMatcher }),
      })),
    };
  }

  return {
    list(integrationId?: string) {
      return repository.list(db, integrationId);
    },

    async get(id: string) {
      const rule = await repository.findById(db, id);
      if (rule === undefined) throw notFound(id);
      return rule;
    },

    async create(input: CreateRuleInput, actor: Principal): Promise<RoutingRuleRow> {
      return await changeRules(async (tx) => {
        await repository.lockOrder(tx);
        const total = await repository.count(tx);
        const position = Math.min(input.position ?? total + 1, total + 1);
        await repository.shift(tx, position, null, 1);
        const rule = await repository.insert(
          tx,
          {
            id: uuidv7(),
            name: input.name,
            position,
            integrationId: input.integrationId ?? null,
            teamId: input.teamId,
            matchers: input.matchers,
            continue: input.continue,
            isActive: input.isActive,
          },
          now(),
        );
        await auditService.record(tx, {
          action: 'routing_rule.created',
          userId: actor.userId,
          resourceType: 'routing_rule',
          resourceId: rule.id,
          severity: 'MEDIUM',
          metadata: {
            name: rule.name,
            position,
            teamId: rule.teamId,
            integrationId: rule.integrationId,
            matchers: rule.matchers,
            continue: rule.continue,
            isActive: rule.isActive,
          },
        });
        return rule;
      });
    },

    async update(id: string, input: UpdateRuleInput, actor: Principal): Promise<RoutingRuleRow> {
      return await changeRules(async (tx) => {
        const existing = await lockRule(tx, id);
        const changes: RoutingRuleChanges = {};
        const changed: Record<string, { from: unknown; to: unknown }> = {};
        for (const [field, value] of Object.entries(input) as Array<[keyof UpdateRuleInput, unknown]>) {
          if (value === undefined || field === 'position') continue;
          if (JSON.stringify(existing[field]) === JSON.stringify(value)) continue;
          changed[field] = { from: existing[field], to: value };
          Object.assign(changes, { [field]: value });
        }
        if (input.position !== undefined) {
          const total = await repository.count(tx);
          const target = Math.min(input.position, total);
          if (target !== existing.position) {
            if (target < existing.position) await repository.shift(tx, target, existing.position - 1, 1);
            else await repository.shift(tx, existing.position + 1, target, -1);
            changes.position = target;
            changed.position = { from: existing.position, to: target };
          }
        }
        if (Object.keys(changes).length === 0) return existing;
        const updated = await repository.update(tx, id, changes, now());
        await auditService.record(tx, {
          action: 'routing_rule.updated',
          userId: actor.userId,
          resourceType: 'routing_rule',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { name: updated.name, changes: changed },
        });
        return updated;
      });
    },

    async delete(id: string, actor: Principal): Promise<void> {
      await changeRules(async (tx) => {
        const existing = await lockRule(tx, id);
        await repository.delete(tx, id);
        await repository.closeGapAfter(tx, existing.position);
        await auditService.record(tx, {
          action: 'routing_rule.deleted',
          userId: actor.userId,
          resourceType: 'routing_rule',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: {
            name: existing.name,
            position: existing.position,
            teamId: existing.teamId,
            integrationId: existing.integrationId,
            matchers: existing.matchers,
            continue: existing.continue,
          },
        });
      });
    },

    /** Sets the whole order at once; the list must name every rule exactly once. */
    async reorder(ruleIds: string[], actor: Principal): Promise<RoutingRuleRow[]> {
      return changeRules(async (tx) => {
        await repository.lockOrder(tx);
        const current = await repository.list(tx);
        const known = new Set(current.map((rule) => rule.id));
        const missing = current.filter((rule) => !ruleIds.includes(rule.id)).map((rule) => rule.id);
        const unknown = ruleIds.filter((id) => !known.has(id));
        if (missing.length > 0 || unknown.length > 0) {
          throw new AppError(
            'conflict',
            'ruleIds must list every routing rule exactly once (the rules may have changed; list them again)',
            {
              errors: [
                ...missing.map((id) => ({ path: 'ruleIds', message: `missing rule ${id}` })),
                ...unknown.map((id) => ({ path: 'ruleIds', message: `unknown rule ${id}` })),
              ],
            },
          );
        }
        const before = current.map((rule) => rule.id);
        if (before.every((id, index) => ruleIds[index] === id)) return current;
        await repository.setOrder(tx, ruleIds);
        await auditService.record(tx, {
          action: 'routing_rules.reordered',
          userId: actor.userId,
          resourceType: 'routing_rule',
          resourceId: null,
          severity: 'MEDIUM',
          metadata: { before, after: ruleIds },
        });
        return repository.list(tx);
      });
    },

    /**
     * The dry-run: routes a sample alert, or what a raw payload normalizes to, exactly as ingest
     * would (same rule query, same function), and stores nothing.
     */
    async test(input: RoutingTestInput) {
      let integration: IntegrationRow | null = null;
      if (input.integrationId !== undefined) {
        integration = (await integrationsRepository.findById(db, input.integrationId)) ?? null;
        if (integration === null) {
          throw new AppError('integration-not-found', `No integration with id ${input.integrationId}`);
        }
      }
      let alerts: Array<SampleAlert & { status: NormalizedAlert['status']; dedupKey: string | null }>;
      if (input.alert !== undefined) {
        alerts = [{ ...input.alert, status: 'firing', dedupKey: null }];
      } else {
        if (integration === null) throw new AppError('bad-request', 'A payload needs an integrationId');
        try {
          alerts = getSourceNormalizer(integration.type).normalize(input.payload);
        } catch (error) {
          if (!(error instanceof ZodError)) throw error;
          throw new AppError('invalid-payload', `The payload is not a valid ${integration.type} payload`, {
            errors: error.issues.slice(0, 20).map((issue) => ({
              path: ['payload', ...issue.path.map(String)].join('.'),
              message: issue.message,
            })),
          });
        }
      }
      const rules = await repository.listActive(db, integration?.id ?? null);
      const results = [];
      for (const alert of alerts) {
        const { decision } = await decide(repository, db, integration, alert, rules);
        results.push({
          alert: {
            title: alert.title,
            severity: alert.severity,
            status: alert.status,
            source: alert.source,
            labels: alert.labels,
            dedupKey: alert.dedupKey,
          },
          routedAtIngest: alert.status === 'firing',
          ...(await explain(decision, rules)),
        });
      }
      return {
        integration:
          integration === null
            ? null
            : { id: integration.id, name: integration.name, defaultTeamId: integration.defaultTeamId },
        results,
      };
    },

    /**
     * Routes one open alert again under the current rules and the integration's current default
     * team. Resolved alerts are history and stay as they were routed.
     */
    async reroute(alertId: string, actor: Principal): Promise<{ alert: AlertRow; routing: RouteExplanation }> {
      const outcome = await db.transaction(async (tx) => {
        const alert = await alertsRepository.findByIdForUpdate(tx, alertId);
        if (alert === undefined) throw new AppError('alert-not-found', `No alert with id ${alertId}`);
        if (alert.status === 'resolved') {
          throw new AppError('conflict', 'Only open (firing or acknowledged) alerts can be re-routed');
        }
        // A deleted integration took its scoped rules and default team with it; global rules still apply.
        const integration: IntegrationRef = (await integrationsRepository.findById(tx, alert.integrationId)) ?? {
          id: alert.integrationId,
          name: alert.integrationName,
          defaultTeamId: null,
        };
        const { decision, rules } = await decide(repository, tx, integration, alert);
        const updated = await alertsRepository.update(tx, alertId, { teamIds: decision.teamIds });
        await auditService.record(tx, {
          action: 'alert.rerouted',
          userId: actor.userId,
          resourceType: 'alert',
          resourceId: alertId,
          severity: 'MEDIUM',
          metadata: {
            title: alert.title,
            integrationName: alert.integrationName,
            from: alert.teamIds,
            to: decision.teamIds,
            matchedRuleIds: decision.matched.map((m) => m.ruleId),
            defaultTeamUsed: decision.defaultTeamUsed,
          },
        });
        return { updated, decision, rules };
      });
      return { alert: outcome.updated, routing: await explain(outcome.decision, outcome.rules) };
    },
  };
}

export type RoutingService = ReturnType<typeof createRoutingService>;
