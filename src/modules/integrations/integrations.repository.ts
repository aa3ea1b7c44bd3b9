import { and, desc, eq, gt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import { alerts, type IntegrationRow, integrations, webhookDeliveries } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewIntegration = Omit<IntegrationRow, 'createdAt' | 'updatedAt'>;
export type IntegrationChanges = Partial<Omit<IntegrationRow, 'id' | 'type' | 'createdAt' | 'updatedAt'>>;
export interface IntegrationWithCounts extends IntegrationRow {
  alertCount: number;
  webhookCount: number;
}

// Column names are written out table-qualified: inside a select list drizzle renders
// `${integrations.id}` as a bare "id", which the subquery resolved to its own table's id
// (so every count was 0).
const withCounts = {
  alertCount: sql<number>`(select count(*) from ${alerts} where "alerts"."integration_id" = "integrations"."id")::int`,
  webhookCount: sql<number>`(select count(*) from ${webhookDeliveries} where "webhook_deliveries"."integration_id" = "integrations"."id")::int`,
};

/** What the integrations table's constraints mean when a write violates them. */
function integrationViolation(integration: { name?: string | undefined; defaultTeamId?: string | null | undefined }) {
  return ({ constraint, error }: ConstraintViolation) => {
    if (constraint === 'integrations_name_unique') {
      return new AppError('duplicate-integration', `An integration named "${integration.name ?? ''}" already exists`, {
        cause: error,
      });
    }
    if (constraint === 'integrations_default_team_id_teams_id_fk') {
      return new AppError('team-not-found', `No team with id ${integration.defaultTeamId} (defaultTeamId)`, {
        cause: error,
      });
    }
    return undefined;
  };
}

export function createIntegrationsRepository() {
  return {
    async insert(executor: Executor, integration: NewIntegration): Promise<IntegrationRow> {
      const [row] = await translatingViolations(
        executor.insert(integrations).values(integration).returning(),
        integrationViolation(integration),
      );
      if (row === undefined) throw new Error('integration insert returned no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<IntegrationRow | undefined> {
      const [row] = await executor.select().from(integrations).where(eq(integrations.id, id)).limit(1);
      return row;
    },

    /** Locks the row for the rest of the transaction, so concurrent updates apply one after another. */
    async findByIdForUpdate(executor: Executor, id: string): Promise<IntegrationRow | undefined> {
      const [row] = await executor.select().from(integrations).where(eq(integrations.id, id)).limit(1).for('update');
      return row;
    },

    async findByName(executor: Executor, name: string): Promise<IntegrationRow | undefined> {
      const [row] = await executor.select().from(integrations).where(eq(integrations.name, name)).limit(1);
      return row;
    },

    /** The integration whose current secret, or previous secret still in its grace period, has this hash. */
    async findBySecretHash(executor: Executor, secretHash: string, now: Date): Promise<IntegrationRow | undefined> {
      const [row] = await executor
        .select()
        .from(integrations)
        .where(
          or(
            eq(integrations.secretHash, secretHash),
            and(eq(integrations.previousSecretHash, secretHash), gt(integrations.previousSecretExpiresAt, now)),
          ),
        )
        .limit(1);
      return row;
    },

    async findByIdWithCounts(executor: Executor, id: string): Promise<IntegrationWithCounts | undefined> {
      const [row] = await executor
        .select({ integration: integrations, ...withCounts })
        .from(integrations)
        .where(eq(integrations.id, id))
        .limit(1);
      return row === undefined
        ? undefined
        : { ...row.integration, alertCount: row.alertCount, webhookCount: row.webhookCount };
    },

    async listWithCounts(executor: Executor): Promise<IntegrationWithCounts[]> {
      const rows = await executor
        .select({ integration: integrations, ...withCounts })
        .from(integrations)
        .orderBy(desc(integrations.createdAt), desc(integrations.id));
      return rows.map((row) => ({ ...row.integration, alertCount: row.alertCount, webhookCount: row.webhookCount }));
    },

    async update(executor: Executor, id: string, changes: IntegrationChanges, at: Date): Promise<IntegrationRow> {
      const [row] = await translatingViolations(
        executor
          .update(integrations)
          .set({ ...changes, updatedAt: at })
          .where(eq(integrations.id, id))
          .returning(),
        integrationViolation(changes),
      );
      if (row === undefined) throw new Error('integration update matched no row');
      return row;
    },

    async delete(executor: Executor, id: string): Promise<void> {
      await executor.delete(integrations).where(eq(integrations.id, id));
    },

    async listAllSecrets(executor: Executor) {
      return executor
        .select({
          id: integrations.id,
          secretCiphertext: integrations.secretCiphertext,
          previousSecretCiphertext: integrations.previousSecretCiphertext,
        })
        .from(integrations)
        .for('update');
    },
  };
}

export type IntegrationsRepository = ReturnType<typeof createIntegrationsRepository>;
