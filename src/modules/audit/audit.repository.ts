import { and, asc, desc, eq, lt, type SQL } from 'drizzle-orm';
import type { AuditSeverity } from '../../core/audit.js';
import type { Executor } from '../../db/client.js';
import { type AuditLogRow, auditLogs, users } from '../../db/schema/index.js';
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

    /** What the log can be filtered by: the actions and resource types it holds, and who acted. */
    async filterChoices(executor: Executor) {
      const actions = await executor
        .selectDistinct({ value: auditLogs.action })
        .from(auditLogs)
        .orderBy(asc(auditLogs.action));
      const resourceTypes = await executor
        .selectDistinct({ value: auditLogs.resourceType })
        .from(auditLogs)
        .orderBy(asc(auditLogs.resourceType));
      const actors = await executor
        .selectDistinct({ id: users.id, email: users.email, name: users.name })
        .from(auditLogs)
        .innerJoin(users, eq(users.id, auditLogs.userId))
        .orderBy(asc(users.email), asc(users.id));
      return {
        actions: actions.map((row) => row.value),
        resourceTypes: resourceTypes.map((row) => row.value),
        actors,
      };
    },
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;
