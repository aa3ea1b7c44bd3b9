import type { Database } from '../../db/client.js';
import { uuidv7 } from '../../lib/ids.js';
import { hashPassword } from '../../lib/password.js';
import type { ApiKeysService } from '../api-keys/api-keys.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { UsersRepository } from './users.repository.js';
import { normalizeEmail } from './users.service.js';

/**
 * `bootstrap-admin`: creates the platform admin, or for an existing email makes sure it is an
 * admin and issues it a fresh key. One transaction, audited; the actor is the CLI (null).
 */
export function createBootstrapAdminService(deps: {
  db: Database;
  usersRepository: UsersRepository;
  apiKeysService: Pick<ApiKeysService, 'issue'>;
  auditService: Pick<AuditService, 'record'>;
  now: () => Date;
}) {
  const { db, usersRepository, apiKeysService, auditService, now } = deps;
  return {
    async bootstrap(input: { email: string; name?: string | undefined; password?: string | undefined }) {
      const email = normalizeEmail(input.email);
      const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
      return db.transaction(async (tx) => {
        let user = await usersRepository.findByEmail(tx, email);
        if (user === undefined) {
          user = await usersRepository.insert(tx, {
            id: uuidv7(),
            email,
            name: input.name ?? null,
            isPlatformAdmin: true,
            passwordHash: passwordHash ?? null,
          });
          await auditService.record(tx, {
            action: 'user.created',
            userId: null,
            resourceType: 'user',
            resourceId: user.id,
            severity: 'HIGH',
            metadata: { email, isPlatformAdmin: true, via: 'cli' },
          });
        } else {
          const changes = {
            ...(user.isPlatformAdmin ? {} : { isPlatformAdmin: true }),
            ...(input.name !== undefined ? { name: input.name } : {}),
            ...(passwordHash !== undefined ? { passwordHash } : {}),
          };
          if (Object.keys(changes).length > 0) {
            await usersRepository.update(tx, user.id, changes, now());
            await auditService.record(tx, {
              action: 'user.updated',
              userId: null,
              resourceType: 'user',
              resourceId: user.id,
              severity: 'HIGH',
              metadata: {
                via: 'cli',
                changed: Object.keys(changes).map((field) => (field === 'passwordHash' ? 'password' : field)),
              },
            });
          }
        }
        const key = await apiKeysService.issue(tx, user.id, 'bootstrap-admin', null);
        return { userId: user.id, apiKey: key.key };
      });
    },
  };
}
