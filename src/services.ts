import type { DatabaseHandle } from './db/client.js';
import { createApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import { createBootstrapAdminService } from './modules/users/bootstrap-admin.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { createUsersService } from './modules/users/users.service.js';

export interface ServiceDeps {
  database: DatabaseHandle;
  masterKey: Buffer;
  now?: () => Date;
}

/** The composition root: every repository and service, wired once. The server and the CLI share it. */
export function createServices(deps: ServiceDeps) {
  const db = deps.database.db;
  const now = deps.now ?? (() => new Date());
  const auditRepository = createAuditRepository();
  const usersRepository = createUsersRepository();
  const apiKeysRepository = createApiKeysRepository();
  const integrationsRepository = createIntegrationsRepository();

  const auditService = createAuditService({ db, auditRepository });
  const usersService = createUsersService({ db, usersRepository, auditService });
  const apiKeysService = createApiKeysService({ db, apiKeysRepository, usersRepository, auditService, now });
  const bootstrapAdminService = createBootstrapAdminService({ db, usersRepository, apiKeysService, auditService });
  const integrationsService = createIntegrationsService({
    db,
    integrationsRepository,
    auditService,
    masterKey: deps.masterKey,
    now,
  });

  return { auditService, usersService, apiKeysService, bootstrapAdminService, integrationsService };
}

export type Services = ReturnType<typeof createServices>;
