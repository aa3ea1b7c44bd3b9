import type { Principal } from '../../core/principal.js';
import type { DatabaseHandle } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { AuditService } from '../audit/audit.service.js';

/**
 * Backups of the embedded database, taken while the server runs (the running process holds
 * the data directory's lock, so nothing else can read it). A backup holds every stored secret
 * (encrypted under the master key) and hashed key: taking one is audited as HIGH.
 */
export function createBackupsService(deps: { database: DatabaseHandle; auditService: AuditService }) {
  const { database, auditService } = deps;
  return {
    async create(actor: Principal): Promise<Blob> {
      if (database.dumpDataDir === undefined) {
        throw new AppError(
          'backup-not-available',
          'Klaxon runs on PostgreSQL: back it up with pg_dump (see docs/deploy.md, Backups)',
        );
      }
      // Recorded before the dump, so the backup carries the entry of its own making.
      await database.db.transaction((tx) =>
        auditService.record(tx, {
          action: 'backup.created',
          userId: actor.userId,
          resourceType: 'database',
          resourceId: null,
          severity: 'HIGH',
          metadata: { kind: database.kind },
        }),
      );
      return database.dumpDataDir();
    },
  };
}

export type BackupsService = ReturnType<typeof createBackupsService>;
