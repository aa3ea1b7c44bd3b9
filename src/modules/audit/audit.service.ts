import type { Database, Transaction } from '../../db/client.js';
import type { AuditLogRow } from '../../db/schema/index.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { AuditRepository, NewAuditEntry } from './audit.repository.js';
import type { AuditNamesRepository } from './audit-names.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id an entry mentions: its actor, its resource, and uuids in its metadata (nested too). */
export function idsMentioned(entries: AuditLogRow[]): string[] {
  const ids = new Set<string>();
  const visit = (value: unknown, depth: number) => {
    if (typeof value === 'string') {
      if (UUID.test(value)) ids.add(value.toLowerCase());
    } else if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
    } else if (value !== null && typeof value === 'object' && depth < 4) {
      for (const item of Object.values(value)) visit(item, depth + 1);
    }
  };
  for (const entry of entries) {
    visit(entry.userId, 0);
    visit(entry.resourceId, 0);
    visit(entry.metadata, 0);
  }
  return [...ids];
}

export interface AuditQuery {
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  userId?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

export function createAuditService(deps: {
  db: Database;
  auditRepository: AuditRepository;
  auditNamesRepository: AuditNamesRepository;
}) {
  const { db, auditRepository, auditNamesRepository } = deps;
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
      const names = await auditNamesRepository.namesOf(db, idsMentioned(page.items));
      return { entries: page.items, nextCursor: page.nextCursor, names };
    },

    filterChoices: () => auditRepository.filterChoices(db),
  };
}

export type AuditService = ReturnType<typeof createAuditService>;
