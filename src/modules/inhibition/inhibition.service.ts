import type { z } from 'zod';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { InhibitionRuleRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { formatMatcher } from '../silences/alert-matchers.js';
import type { InhibitionRepository } from './inhibition.repository.js';
import type { createInhibitionRuleBody, updateInhibitionRuleBody } from './inhibition.schema.js';

export function createInhibitionService(deps: {
  db: Database;
  repository: InhibitionRepository;
  auditService: Pick<AuditService, 'record'>;
  cache?: Pick<WatchedCache<unknown>, 'clear'>;
  now?: () => Date;
}) {
  const { db, repository, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('inhibition-rule-not-found', `No inhibition rule with id ${id}`);

  async function change<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    deps.cache?.clear();
    return result;
  }

  const audit = (tx: Transaction, action: string, actor: Principal, row: InhibitionRuleRow) =>
    auditService.record(tx, {
      action,
      userId: actor.userId,
      resourceType: 'inhibition_rule',
      resourceId: row.id,
      severity: 'MEDIUM',
      metadata: {
        name: row.name,
        sourceMatchers: row.sourceMatchers.map(formatMatcher),
        targetMatchers: row.targetMatchers.map(formatMatcher),
        equal: row.equal,
        isActive: row.isActive,
      },
    });

  return {
    list: () => repository.list(db),

    async get(id: string) {
      const row = await repository.findById(db, id);
      if (row === undefined) throw notFound(id);
      return row;
    },

    create: (input: z.output<typeof createInhibitionRuleBody>, actor: Principal) =>
      change(async (tx) => {
        const at = now();
        const row = await repository.insert(tx, { id: uuidv7(), ...input, createdAt: at, updatedAt: at });
        await audit(tx, 'inhibition_rule.created', actor, row);
        return row;
      }),

    update: (id: string, input: z.output<typeof updateInhibitionRuleBody>, actor: Principal) =>
      change(async (tx) => {
        const row = await repository.update(tx, id, input, now());
        if (row === undefined) throw notFound(id);
        await audit(tx, 'inhibition_rule.updated', actor, row);
        return row;
      }),

    delete: (id: string, actor: Principal) =>
      change(async (tx) => {
        const row = await repository.delete(tx, id);
        if (row === undefined) throw notFound(id);
        await audit(tx, 'inhibition_rule.deleted', actor, row);
      }),
  };
}

export type InhibitionService = ReturnType<typeof createInhibitionService>;
