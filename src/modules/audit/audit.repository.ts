import { and, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type AuditLogRow, type AuditSeverity, auditLogs } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';

export interface NewAuditEntry {
  action: string;
  userId: string | null;
  resourceType: string;
  resourceId: string | null;
  severity: AuditSeverity;
  metadata?: Record<string, unknown>;
}

export interface AuditFilter {
  action?: string | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  userId?: string | undefined;
  beforeId?: string | undefined;
  limit: number;
}

export function createAuditRepository() {
  return {
    async insert(executor: Executor, entry: NewAuditEntry): Promise<AuditLogRow> {
      const [row] = await executor
        .insert(auditLogs)
        .values({ id: uuidv7(), ...entry, metadata: entry.metadata ?? {} })
        .returning();
      if (row === undefined) throw new Error('audit insert returned no row');
      return row;
    },

    async list(executor: Executor, filter: AuditFilter): Promise<AuditLogRow[]> {
      const conditions: SQL[] = [];
      if (filter.action !== undefined) conditions.push(eq(auditLogs.action, filter.action));
      if (filter.resourceType !== undefined) conditions.push(eq(auditLogs.resourceType, filter.resourceType));
      if (filter.resourceId !== undefined) conditions.push(eq(auditLogs.resourceId, filter.resourceId));
      if (filter.userId !== undefined) conditions.push(eq(auditLogs.userId, filter.userId));
      if (filter.beforeId !== undefined) conditions.push(lt(auditLogs.id, filter.beforeId));
      return executor
        .select()
        .from(auditLogs)
        .where(and(...conditions))
        .orderBy(desc(auditLogs.id))
        .limit(filter.limit);
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
