import type { IncidentsConfig } from './config.js';
import type { DatabaseHandle } from './db/client.js';
import type { EventRuleRow, HeartbeatRow, RoutingRuleRow } from './db/schema/index.js';
import { createWatchedCache, watchTables } from './db/watched-cache.js';
import { createOutboundGuard } from './lib/outbound-guard.js';
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
import { createEventRulesRepository } from './modules/event-rules/event-rules.repository.js';
import { createEventRulesScreen, createEventRulesService } from './modules/event-rules/event-rules.service.js';
import { createEventsV2Service } from './modules/events-api/events-v2.service.js';
import { createHeartbeatMonitor } from './modules/heartbeats/heartbeat-monitor.js';
import { createHeartbeatsRepository } from './modules/heartbeats/heartbeats.repository.js';
import { createHeartbeatsService } from './modules/heartbeats/heartbeats.service.js';
import { createWatchdogScreen } from './modules/heartbeats/watchdog-screen.js';
import { actionTokenKey } from './modules/incidents/action-tokens.js';
import { createIncidentsRepository } from './modules/incidents/incidents.repository.js';
import { createIncidentsService } from './modules/incidents/incidents.service.js';
import type { OnCallResolver } from './modules/incidents/on-call-resolver.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { type CachedIntegration, createIntegrationsService } from './modules/integrations/integrations.service.js';
import { createChangeFeed } from './modules/live-updates/change-feed.js';
import { type Channels, createChannels } from './modules/notifications/channels.js';
import { createContactMethodsService } from './modules/notifications/contact-methods.service.js';
import { createNotificationsRepository } from './modules/notifications/notifications.repository.js';
import { createPasswordLinksRepository } from './modules/password-links/password-links.repository.js';
import {
  createPasswordLinksService,
  DEFAULT_PASSWORD_LINK_TTL_HOURS,
} from './modules/password-links/password-links.service.js';
import { createAlertRouter, createRoutingService } from './modules/routing/routing.service.js';
import { createRoutingRulesRepository } from './modules/routing/routing-rules.repository.js';
import { createSchedulesRepository } from './modules/schedules/schedules.repository.js';
import { createSchedulesService } from './modules/schedules/schedules.service.js';
import { createSessionsRepository } from './modules/sessions/sessions.repository.js';
import { createSessionsService, type SessionPolicy } from './modules/sessions/sessions.service.js';
import { createTeamAccess } from './modules/teams/team-access.js';
import { createTeamsRepository } from './modules/teams/teams.repository.js';
import { createTeamsService } from './modules/teams/teams.service.js';
import { createBootstrapAdminService } from './modules/users/bootstrap-admin.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { createUsersService } from './modules/users/users.service.js';
import { createIntegrationThrottle } from './modules/webhooks/integration-throttle.js';
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
  /** Console session lifetimes and sign-in rate limits; defaults in sessions.service.ts. */
  sessionPolicy?: Partial<SessionPolicy>;
  /** How long an invite or password reset link works (KLAXON_PASSWORD_LINK_TTL_HOURS). */
  passwordLinkTtlHours?: number;
  /** How often each process looks for missed heartbeats besides its timer (KLAXON_HEARTBEAT_SWEEP_SECONDS). */
  heartbeatSweepIntervalMs?: number;
}

const DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE = 120_000;
const INGEST_CONCURRENCY_POSTGRES = 4;

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
  const heartbeatsRepository = createHeartbeatsRepository();

  const auditService = createAuditService({ db, auditRepository });
  const usersService = createUsersService({ db, usersRepository, auditService });
  const apiKeysService = createApiKeysService({ db, apiKeysRepository, usersRepository, auditService, now });
  const sessionsRepository = createSessionsRepository();
  // Sign-in and password links draw on one limiter: both are public routes that guess at credentials.
  const signInLimiter = createRateLimiter({ now: () => now().getTime() });
  const sessionsService = createSessionsService({
    db,
    sessionsRepository,
    usersRepository,
    auditService,
    rateLimiter: signInLimiter,
    now,
    ...(deps.sessionPolicy ? { policy: deps.sessionPolicy } : {}),
  });
  const bootstrapAdminService = createBootstrapAdminService({ db, usersRepository, apiKeysService, auditService });
  // What every webhook reads, cached in the process while it listens for changes (watchIngestConfig).
  const integrationCache = createWatchedCache<CachedIntegration>();
  const routingRulesCache = createWatchedCache<RoutingRuleRow[]>();
  const watchdogCache = createWatchedCache<HeartbeatRow[]>();
  const eventRulesCache = createWatchedCache<EventRuleRow[]>();
  const eventRulesRepository = createEventRulesRepository();
  const integrationsService = createIntegrationsService({
    db,
    integrationsRepository,
    auditService,
    masterKey: deps.masterKey,
    cache: integrationCache,
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
  const outboundGuard = createOutboundGuard(incidentsConfig.outboundAllowedNetworks ?? []);
  const channels =
    incidentsConfig.channels ??
    createChannels({
      smtpUrl: incidentsConfig.smtpUrl,
      smtpFrom: incidentsConfig.smtpFrom ?? 'Klaxon <klaxon@localhost>',
      outboundGuard,
      now,
    });
  const passwordLinksService = createPasswordLinksService({
    db,
    repository: createPasswordLinksRepository(),
    usersRepository,
    sessionsRepository,
    auditService,
    channels,
    rateLimiter: signInLimiter,
    attemptsPerIpPerMinute: sessionsService.policy.loginAttemptsPerIpPerMinute,
    publicUrl,
    ttlHours: deps.passwordLinkTtlHours ?? DEFAULT_PASSWORD_LINK_TTL_HOURS,
    now,
  });
  const schedulesService = createSchedulesService({ db, schedulesRepository, auditService, now });
  const escalationEngine = createEscalationEngine({
    database: deps.database,
    incidentsRepository,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    teamsRepository,
    // Schedule targets page whoever the schedule says is on call at the moment of the step.
    resolver: incidentsConfig.resolver ?? schedulesService,
    channels,
    // Called by jobs only, after the incidents service below exists.
    acknowledgementTimedOut: (timeout) => incidentsService.acknowledgementTimedOut(timeout),
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
    outboundGuard,
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
    rulesCache: routingRulesCache,
    now,
  });
  const alertIngestService = createAlertIngestService({
    db,
    alertsRepository,
    deliveriesRepository,
    route: createAlertRouter({ routingRulesRepository, cache: routingRulesCache }),
    // PGlite serves one query at a time; on PostgreSQL a few batches overlap their commits.
    concurrency: deps.database.kind === 'pglite' ? 1 : INGEST_CONCURRENCY_POSTGRES,
    incidents: incidentsService,
    screens: [
      createWatchdogScreen({
        db,
        repository: heartbeatsRepository,
        cache: watchdogCache,
        ping: (heartbeatId, at) => heartbeatsService.pingById(heartbeatId, at),
      }),
      // Watchdog alerts are pings before any rule sees them; then event rules, once per event.
      createEventRulesScreen({ db, repository: eventRulesRepository, cache: eventRulesCache }),
    ],
    now,
  });
  const heartbeatMonitor = createHeartbeatMonitor({
    db,
    repository: heartbeatsRepository,
    integrationsRepository,
    alertIngestService,
    ...(deps.heartbeatSweepIntervalMs === undefined ? {} : { sweepIntervalMs: deps.heartbeatSweepIntervalMs }),
    ...(incidentsConfig.log === undefined ? {} : { log: incidentsConfig.log }),
    now,
  });
  const heartbeatsService = createHeartbeatsService({
    db,
    repository: heartbeatsRepository,
    teamAccess,
    auditService,
    monitor: heartbeatMonitor,
    watchdogCache,
    now,
  });
  const eventRulesService = createEventRulesService({
    db,
    repository: eventRulesRepository,
    auditService,
    integrationsService,
    cache: eventRulesCache,
    now,
  });
  // One bucket per integration, shared by its webhook URL and the Events API.
  const throttle = createIntegrationThrottle(
    createRateLimiter(),
    deps.webhookRateLimitPerMinute ?? DEFAULT_WEBHOOK_RATE_LIMIT_PER_MINUTE,
  );
  const webhookReceiver = createWebhookReceiver({
    integrationsService,
    alertIngestService,
    throttle,
    now,
  });
  const eventsV2Service = createEventsV2Service({
    integrationsService,
    alertIngestService,
    throttle,
    now,
  });

  // Live console updates: LISTENs only while a console stream is open (never in the CLI).
  const changeFeed = createChangeFeed({ listen: (channel, handlers) => deps.database.listen(channel, handlers) });

  return {
    auditService,
    usersService,
    apiKeysService,
    sessionsService,
    passwordLinksService,
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
    incidentsService,
    escalationPoliciesService,
    contactMethodsService,
    escalationEngine,
    heartbeatsService,
    heartbeatMonitor,
    eventRulesService,
    /** Public heartbeat pings, per client address. */
    heartbeatPingLimiter: createRateLimiter({ now: () => now().getTime() }),
    /**
     * Starts serving integrations and routing rules from memory, dropped whenever any process
     * changes them (the server calls this; the CLI, which serves no webhooks, does not).
     * Resolves to a function that stops.
     */
    watchIngestConfig: () =>
      watchTables(deps.database, {
        integrations: integrationCache,
        routing_rules: routingRulesCache,
        heartbeats: watchdogCache,
        event_rules: eventRulesCache,
      }),
    teamAccess,
    changeFeed,
  };
}

export type Services = ReturnType<typeof createServices>;
