import type { IncidentsConfig } from './config.js';
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
import { createEscalationEngine } from './modules/escalation/escalation-engine.js';
import { createEscalationPoliciesRepository } from './modules/escalation-policies/escalation-policies.repository.js';
import { createEscalationPoliciesService } from './modules/escalation-policies/escalation-policies.service.js';
import { createEventsV2Service } from './modules/events-api/events-v2.service.js';
import { actionTokenKey } from './modules/incidents/action-tokens.js';
import { createIncidentsRepository } from './modules/incidents/incidents.repository.js';
import { createIncidentsService } from './modules/incidents/incidents.service.js';
import { nobodyOnCallResolver, type OnCallResolver } from './modules/incidents/on-call-resolver.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { createIntegrationsService } from './modules/integrations/integrations.service.js';
import { type Channels, createChannels } from './modules/notifications/channels.js';
import { createContactMethodsService } from './modules/notifications/contact-methods.service.js';
import { createNotificationsRepository } from './modules/notifications/notifications.repository.js';
import { createAlertRouter, createRoutingService } from './modules/routing/routing.service.js';
import { createRoutingRulesRepository } from './modules/routing/routing-rules.repository.js';
import { createTeamAccess } from './modules/teams/team-access.js';
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
  /** Incidents and paging; defaults suit tests (no SMTP, links to 127.0.0.1). */
  incidents?: Partial<IncidentsConfig> & {
    resolver?: OnCallResolver;
    channels?: Channels;
    /** Length of a policy/rule "minute" (tests shorten it). */
    minuteMs?: number;
    pollingIntervalSeconds?: number;
    reconcileIntervalMs?: number;
    log?: Pick<Console, 'info' | 'warn' | 'error'>;
  };
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

  // Incidents, escalation and notifications. The engine is built here and started by main.ts
  // (after migrations) in processes that run jobs; until then its scheduling calls are no-ops
  // and its start-up reconciliation catches up from the tables.
  const incidentsConfig = deps.incidents ?? {};
  const publicUrl = incidentsConfig.publicUrl ?? 'http://127.0.0.1:3000';
  const minuteMs = incidentsConfig.minuteMs ?? 60_000;
  const linkKey = actionTokenKey(deps.masterKey);
  const incidentsRepository = createIncidentsRepository();
  const escalationPoliciesRepository = createEscalationPoliciesRepository();
  const notificationsRepository = createNotificationsRepository();
  const teamAccess = createTeamAccess({ db, teamsRepository });
  const channels =
    incidentsConfig.channels ??
    createChannels({
      smtpUrl: incidentsConfig.smtpUrl,
      smtpFrom: incidentsConfig.smtpFrom ?? 'Klaxon <klaxon@localhost>',
      now,
    });
  const escalationEngine = createEscalationEngine({
    database: deps.database,
    incidentsRepository,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    teamsRepository,
    resolver: incidentsConfig.resolver ?? nobodyOnCallResolver,
    channels,
    masterKey: deps.masterKey,
    actionTokenKey: linkKey,
    publicUrl,
    actionLinkTtlMinutes: incidentsConfig.actionLinkTtlMinutes ?? 1440,
    retryLimit: incidentsConfig.notificationRetryLimit ?? 5,
    retryDelaySeconds: incidentsConfig.notificationRetryDelaySeconds ?? 30,
    minuteMs,
    ...(incidentsConfig.pollingIntervalSeconds === undefined
      ? {}
      : { pollingIntervalSeconds: incidentsConfig.pollingIntervalSeconds }),
    ...(incidentsConfig.reconcileIntervalMs === undefined
      ? {}
      : { reconcileIntervalMs: incidentsConfig.reconcileIntervalMs }),
    ...(incidentsConfig.log === undefined ? {} : { log: incidentsConfig.log }),
    now,
  });
  const incidentsService = createIncidentsService({
    db,
    repository: incidentsRepository,
    alertsRepository,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    teamAccess,
    auditService,
    scheduler: () => escalationEngine.scheduler,
    actionTokenKey: linkKey,
    minuteMs,
    log: (error, message) => incidentsConfig.log?.error({ err: error }, message),
    now,
  });
  const escalationPoliciesService = createEscalationPoliciesService({
    db,
    repository: escalationPoliciesRepository,
    teamAccess,
    auditService,
    now,
  });
  const contactMethodsService = createContactMethodsService({
    db,
    repository: notificationsRepository,
    channels,
    masterKey: deps.masterKey,
    publicUrl,
    now,
  });

  const alertsService = createAlertsService({
    db,
    alertsRepository,
    auditService,
    teamIdsOf: teamsService.teamIdsOf,
    incidents: incidentsService,
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
  const alertIngestService = createAlertIngestService({
    db,
    alertsRepository,
    deliveriesRepository,
    route: createAlertRouter({ routingRulesRepository }),
    incidents: incidentsService,
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
    alertIngestService,
    webhookReceiver,
    eventsV2Service,
    incidentsService,
    escalationPoliciesService,
    contactMethodsService,
    escalationEngine,
  };
}

export type Services = ReturnType<typeof createServices>;
