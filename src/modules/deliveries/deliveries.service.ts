import type { DeliveryStatus } from '../../core/deliveries.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { decodeCursor, toPage } from '../../lib/pagination.js';
import type { IntegrationsService } from '../integrations/integrations.service.js';
import type { DeliveriesRepository } from './deliveries.repository.js';

const PRUNE_BATCH = 5_000;

export function createDeliveriesService(deps: {
  db: Database;
  deliveriesRepository: DeliveriesRepository;
  integrationsService: Pick<IntegrationsService, 'getById'>;
  now?: () => Date;
}) {
  const { db, deliveriesRepository, integrationsService } = deps;
  const now = deps.now ?? (() => new Date());
  return {
    async listForIntegration(
      integrationId: string,
      query: { status?: DeliveryStatus | undefined; limit: number; cursor?: string | undefined },
    ) {
      // A deleted integration's deliveries stay readable (the contract's DELETE promise): only an
      // id that never received anything is unknown.
      await integrationsService.getById(integrationId).catch(async (error: unknown) => {
        if (!(error instanceof AppError && error.code === 'integration-not-found')) throw error;
        if (!(await deliveriesRepository.existsForIntegration(db, integrationId))) throw error;
      });
      const rows = await deliveriesRepository.list(db, {
        integrationId,
        status: query.status,
        beforeId: decodeCursor(query.cursor),
        limit: query.limit + 1,
      });
      const page = toPage(rows, query.limit);
      return { deliveries: page.items, nextCursor: page.nextCursor };
    },

    /** Deletes deliveries older than the retention period, in batches so no statement runs long. */
    async prune(retentionDays: number): Promise<number> {
      const cutoff = new Date(now().getTime() - retentionDays * 86_400_000);
      let total = 0;
      for (;;) {
        const deleted = await deliveriesRepository.pruneOlderThan(db, cutoff, PRUNE_BATCH);
        total += deleted;
        if (deleted < PRUNE_BATCH) return total;
      }
    },
  };
}

export type DeliveriesService = ReturnType<typeof createDeliveriesService>;
