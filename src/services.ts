import type { DatabaseHandle } from './db/client.js';
import { createAlertIngestService } from './modules/alerts/alert-ingest.service.js';
import { createAlertsRepository } from './modules/alerts/alerts.repository.js';
import { createAlertsService } from './modules/alerts/alerts.service.js';
import { createApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createDeliveriesRepository } from './modules/deliveries/deliveries.repository.js';
import { createDeliveriesService } from './modules/deliveries/deliveries.service.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import { createSessionsRepository } from './modules/sessions/sessions.repository.js';
import { createSessionsService, type SessionPolicy } from './modules/sessions/sessions.service.js';
import { createBootstrapAdminService } from './modules/users/bootstrap-admin.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { createUsersService } from './modules/users/users.service.js';
import { createRateLimiter } from './modules/webhooks/rate-limiter.js';
import { createWebhookReceiver } from './modules/webhooks/webhook-receiver.service.js';

export interface ServiceDeps {
  database: DatabaseHandle;
  masterKey: Buffer;
  /** Per-integration webhook rate limit when the integration sets none. */
  webhookRateLimitPerMinute?: number;
  now?: () => Date;
  /** Console session lifetimes and sign-in rate limits; defaults in sessions.service.ts. */
  sessionPolicy?: Partial<SessionPolicy>;
}

const DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE = 120_000;

/** The composition root: every repository and service, wired once. The server and the CLI share it. */
export function createServices(deps: ServiceDeps) {
  const db = deps.database.db;
  const now = deps.now ?? (() => new Date());
  const auditRepository = createAuditRepository();
  const usersRepository = createUsersRepository();
  const apiKeysRepository = createApiKeysRepository();
  const integrationsRepository = createIntegrationsRepository();
  const alertsRepository = createAlertsRepository();
  const deliveriesRepository = createDeliveriesRepository();

  const auditService = createAuditService({ db, auditRepository });
  const usersService = createUsersService({ db, usersRepository, auditService });
  const apiKeysService = createApiKeysService({ db, apiKeysRepository, usersRepository, auditService, now });
  const sessionsService = createSessionsService({
    db,
    sessionsRepository: createSessionsRepository(),
    usersRepository,
    auditService,
    now,
    ...(deps.sessionPolicy ? { policy: deps.sessionPolicy } : {}),
  });
  const bootstrapAdminService = createBootstrapAdminService({ db, usersRepository, apiKeysService, auditService });
  const integrationsService = createIntegrationsService({
    db,
    integrationsRepository,
    auditService,
    masterKey: deps.masterKey,
    now,
  });
  const deliveriesService = createDeliveriesService({ db, deliveriesRepository, integrationsService, now });
  const alertsService = createAlertsService({ db, alertsRepository, auditService, now });
  const alertIngestService = createAlertIngestService({ db, alertsRepository, deliveriesRepository, now });
  const webhookReceiver = createWebhookReceiver({
    integrationsService,
    alertIngestService,
    rateLimiter: createRateLimiter(),
    defaultRateLimitPerMinute: deps.webhookRateLimitPerMinute ?? DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE,
    now,
  });

  return {
    auditService,
    usersService,
    apiKeysService,
    sessionsService,
    bootstrapAdminService,
    integrationsService,
    deliveriesService,
    alertsService,
    alertIngestService,
    webhookReceiver,
  };
}

export type Services = ReturnType<typeof createServices>;
