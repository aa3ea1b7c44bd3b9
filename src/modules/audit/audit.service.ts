import type { Database, Transaction } from '../../db/client.js';
import type { AuditLogRow } from '../../db/schema/index.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { AuditRepository, NewAuditEntry } from './audit.repository.js';

export interface AuditQuery {
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  userId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export function createAuditService(deps: { db: Database; auditRepository: AuditRepository }) {
  const { db, auditRepository } = deps;
  return {
    /**
     * Records an entry inside the caller's transaction, so the entry and the change it
     * describes commit or roll back together. There is deliberately no variant without `tx`.
     */
    record(tx: Transaction, entry: NewAuditEntry): Promise<AuditLogRow> {
      return auditRepository.insert(tx, entry);
    },

    async list(query: AuditQuery) {
      const rows = await auditRepository.list(db, {
        action: query.action,
        resourceType: query.resourceType,
        resourceId: query.resourceId,
        userId: query.userId,
        beforeId: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      return { entries: page.items, nextCursor: page.nextCursor };
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
