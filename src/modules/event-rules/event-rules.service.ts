import { ZodError } from 'zod';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { EventRuleRow, IntegrationRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AlertScreen } from '../alerts/alert-ingest.service.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { getSourceNormalizer } from '../alerts/sources/index.js';
import type { AuditService } from '../audit/audit.service.js';
import { applyEventRules } from './apply-event-rules.js';
import type { EventRulesRepository } from './event-rules.repository.js';
import type { CreateEventRuleInput, UpdateEventRuleInput } from './event-rules.schema.js';

/**
 * The ingest screen: each alert through the active event rules of its integration (cached per
 * integration like routing rules, dropped on any change to event_rules). A dropped alert is
 * answered `ignored`; the delivery record keeps the payload.
 */
export function createEventRulesScreen(deps: {
  db: Database;
  repository: Pick<EventRulesRepository, 'listActive'>;
  cache?: WatchedCache<EventRuleRow[]>;
}): AlertScreen {
  return async (integration, alerts, _at, payload) => {
    const read = () => deps.repository.listActive(deps.db, integration.id);
    const rules = (deps.cache === undefined ? await read() : await deps.cache.get(integration.id, read)) ?? [];
    if (rules.length === 0) return alerts;
    return alerts.map((alert) => applyEventRules(alert, integration, payload, rules).alert);
  };
}

/** Event rules change what every team receives, so, like routing rules, platform admins write them. */
export function createEventRulesService(deps: {
  db: Database;
  repository: EventRulesRepository;
  auditService: Pick<AuditService, 'record'>;
  integrationsService: { getById(id: string): Promise<Pick<IntegrationRow, 'id' | 'name' | 'type'>> };
  cache?: Pick<WatchedCache<unknown>, 'clear'>;
  now?: () => Date;
}) {
  const { db, repository, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('event-rule-not-found', `No event rule with id ${id}`);

  async function change<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    deps.cache?.clear();
    return result;
  }

  return {
    list: (integrationId?: string) => repository.list(db, integrationId),

    async get(id: string) {
      const rule = await repository.findById(db, id);
      if (rule === undefined) throw notFound(id);
      return rule;
    },

    create(actor: Principal, input: CreateEventRuleInput) {
      return change(async (tx) => {
        const at = now();
        const rule = await repository.insert(tx, {
          id: uuidv7(),
          name: input.name,
          position: input.position ?? (await repository.lastPosition(tx)) + 1,
          integrationId: input.integrationId ?? null,
          matchers: input.matchers,
          actions: input.actions,
          isActive: input.isActive,
          createdAt: at,
          updatedAt: at,
        });
        await auditService.record(tx, {
          action: 'event_rule.created',
          userId: actor.userId,
          resourceType: 'event_rule',
          resourceId: rule.id,
          severity: 'MEDIUM',
          metadata: {
            name: rule.name,
            integrationId: rule.integrationId,
            matchers: rule.matchers,
            actions: rule.actions,
          },
        });
        return rule;
      });
    },

    update(actor: Principal, id: string, input: UpdateEventRuleInput) {
      return change(async (tx) => {
        const before = await repository.findById(tx, id);
        if (before === undefined) throw notFound(id);
        const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
        const rule = await repository.update(tx, id, { ...changes, updatedAt: now() });
        if (rule === undefined) throw notFound(id);
        await auditService.record(tx, {
          action: 'event_rule.updated',
          userId: actor.userId,
          resourceType: 'event_rule',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: {
            name: rule.name,
            changes: Object.fromEntries(
              Object.keys(changes).map((key) => [
                key,
                { from: before[key as keyof EventRuleRow], to: rule[key as keyof EventRuleRow] },
              ]),
            ),
          },
        });
        return rule;
      });
    },

    delete(actor: Principal, id: string) {
      return change(async (tx) => {
        const before = await repository.findById(tx, id);
        if (before === undefined || !(await repository.delete(tx, id))) throw notFound(id);
        await auditService.record(tx, {
          action: 'event_rule.deleted',
          userId: actor.userId,
          resourceType: 'event_rule',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { name: before.name, integrationId: before.integrationId },
        });
      });
    },

    /**
     * Normalizes a sample payload as the integration would and shows each active rule's effect
     * on each alert, with the rules the ingest would use (read now, not from the cache). Stores nothing.
     */
    async dryRun(integrationId: string, payload: unknown) {
      const integration = await deps.integrationsService.getById(integrationId);
      let alerts: NormalizedAlert[];
      try {
        alerts = getSourceNormalizer(integration.type).normalize(payload);
      } catch (cause) {
        const errors =
          cause instanceof ZodError
            ? cause.issues
                .slice(0, 20)
                .map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message }))
            : [];
        throw new AppError('invalid-payload', `The sample is not a valid ${integration.type} payload`, { errors });
      }
      const rules = await repository.listActive(db, integration.id);
      return alerts.map((alert) => {
        const outcome = applyEventRules(alert, integration, payload, rules);
        return {
          before: describe(alert),
          after: outcome.alert === null ? null : describe(outcome.alert),
          rules: outcome.steps,
        };
      });
    },
  };
}

function describe(alert: NormalizedAlert) {
  return {
    title: alert.title,
    severity: alert.severity,
    status: alert.status,
    source: alert.source,
    dedupKey: alert.dedupKey,
    labels: alert.labels,
    suppressed: alert.suppressed === true,
  };
}

export type EventRulesService = ReturnType<typeof createEventRulesService>;
