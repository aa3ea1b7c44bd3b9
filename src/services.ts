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
import { createEventsV2Service } from './modules/events-api/events-v2.service.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import { createAlertRouter, createRoutingService } from './modules/routing/routing.service.js';
import { createRoutingRulesRepository } from './modules/routing/routing-rules.repository.js';
import { createSchedulesRepository } from './modules/schedules/schedules.repository.js';
import { createSchedulesService } from './modules/schedules/schedules.service.js';
import { createTeamsRepository } from './modules/teams/teams.repository.js';
import { createTeamsService } from './modules/teams/teams.service.js';
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
  const teamsRepository = createTeamsRepository();
  const routingRulesRepository = createRoutingRulesRepository();
  const schedulesRepository = createSchedulesRepository();

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
  const deliveriesService = createDeliveriesService({ db, deliveriesRepository, integrationsService, now });
  const teamsService = createTeamsService({ db, teamsRepository, auditService, now });
  const alertsService = createAlertsService({
    db,
    alertsRepository,
    auditService,
    teamIdsOf: teamsService.teamIdsOf,
    now,
  });
  const routingService = createRoutingService({
    db,
    routingRulesRepository,
    teamsRepository,
    integrationsRepository,
    alertsRepository,
    auditService,
    now,
  });
  const schedulesService = createSchedulesService({ db, schedulesRepository, auditService, now });
  const alertIngestService = createAlertIngestService({
    db,
    alertsRepository,
    deliveriesRepository,
    route: createAlertRouter({ routingRulesRepository }),
    now,
  });
  // One bucket per integration, shared by its webhook URL and the Events API.
  const rateLimiter = createRateLimiter();
  const defaultRateLimitPerMinute = deps.webhookRateLimitPerMinute ?? DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE;
  const webhookReceiver = createWebhookReceiver({
    integrationsService,
    alertIngestService,
    rateLimiter,
    defaultRateLimitPerMinute,
    now,
  });
  const eventsV2Service = createEventsV2Service({
    integrationsService,
    alertIngestService,
    rateLimiter,
    defaultRateLimitPerMinute,
    now,
  });

  return {
    auditService,
    usersService,
    apiKeysService,
    bootstrapAdminService,
    integrationsService,
    deliveriesService,
    alertsService,
    teamsService,
    routingService,
    schedulesService,
    alertIngestService,
    webhookReceiver,
    eventsV2Service,
  };
}

export type Services = ReturnType<typeof createServices>;
