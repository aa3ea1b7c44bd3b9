import type { IncidentsConfig, PasswordSignInPolicy, SsoConfig } from './config.js';
import type { Principal } from './core/principal.js';
import type { DatabaseHandle, Executor } from './db/client.js';
import type { EventRuleRow, HeartbeatRow, RoutingRuleRow } from './db/schema/index.js';
import { createWatchedCache, watchTables } from './db/watched-cache.js';
import { createOutboundGuard } from './lib/outbound-guard.js';
import { createRateLimiter } from './lib/rate-limiter.js';
import { createAlertIngestService } from './modules/alerts/alert-ingest.service.js';
import { createAlertsRepository } from './modules/alerts/alerts.repository.js';
import { createAlertsService } from './modules/alerts/alerts.service.js';
import { createApiKeysRepository } from './modules/api-keys/api-keys.repository.js';
import { createApiKeysService } from './modules/api-keys/api-keys.service.js';
import { createAuditRepository } from './modules/audit/audit.repository.js';
import { createAuditService } from './modules/audit/audit.service.js';
import { createAuditNamesRepository } from './modules/audit/audit-names.repository.js';
import { createAuthzRepository } from './modules/authz/authz.repository.js';
import { type Authz, createAuthz } from './modules/authz/authz.service.js';
import { createBackupsService } from './modules/backups/backups.service.js';
import { createConfigAsCodeService } from './modules/config-as-code/config-as-code.service.js';
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
import { createInhibitionRepository } from './modules/inhibition/inhibition.repository.js';
import { createInhibitionService } from './modules/inhibition/inhibition.service.js';
import { createIntegrationsRepository } from './modules/integrations/integrations.repository.js';
import { type CachedIntegration, createIntegrationsService } from './modules/integrations/integrations.service.js';
import { type ChangeFeed, createChangeFeed } from './modules/live-updates/change-feed.js';
import { createMaintenanceRepository } from './modules/maintenance/maintenance.repository.js';
import { createMaintenanceService } from './modules/maintenance/maintenance.service.js';
import { createChannelRegistry } from './modules/notifications/channel-registry.js';
import { createSlackTeamChannel } from './modules/notifications/channels/slack.js';
import { type Channels, createChannels } from './modules/notifications/channels.js';
import { createContactMethodsService } from './modules/notifications/contact-methods.service.js';
import { createNotificationsRepository } from './modules/notifications/notifications.repository.js';
import { createPhoneRepository } from './modules/notifications/phone/phone.repository.js';
import { createPhoneCallbacksService } from './modules/notifications/phone/phone-callbacks.service.js';
import { createPhoneChannels } from './modules/notifications/phone/phone-channel.js';
import type { PhoneConfig } from './modules/notifications/phone/phone-config.js';
import { createPhoneDispatcher } from './modules/notifications/phone/phone-dispatcher.js';
import { configuredPhoneProviders } from './modules/notifications/phone/phone-providers.js';
import { createPhoneVerificationService } from './modules/notifications/phone/phone-verification.service.js';
import { createPushRepository } from './modules/notifications/push/push.repository.js';
import { createPushService } from './modules/notifications/push/push.service.js';
import { createVapidKeySource } from './modules/notifications/push/vapid-keys.js';
import { createPagingHealthRepository } from './modules/paging-health/paging-health.repository.js';
import { createPagingHealthService } from './modules/paging-health/paging-health.service.js';
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
import { createSetupRepository } from './modules/setup/setup.repository.js';
import { createSetupService } from './modules/setup/setup.service.js';
import { createSilencesRepository } from './modules/silences/silences.repository.js';
import { createSilencesService } from './modules/silences/silences.service.js';
import type { NoiseControlConfig } from './modules/silences/suppression.js';
import { createSuppressionService } from './modules/silences/suppression.service.js';
import { createSimulateService } from './modules/simulate/simulate.service.js';
import { createSlackRepository } from './modules/slack/slack.repository.js';
import { createSlackService, type SlackService } from './modules/slack/slack.service.js';
import { createSlackApi } from './modules/slack/slack-api.js';
import { createOidcClient } from './modules/sso/oidc-client.js';
import { createSsoRepository } from './modules/sso/sso.repository.js';
import { createSsoService } from './modules/sso/sso.service.js';
import { createTeamsRepository } from './modules/teams/teams.repository.js';
import { createTeamsService } from './modules/teams/teams.service.js';
import { createTraceRepository } from './modules/trace/trace.repository.js';
import { createTraceService } from './modules/trace/trace.service.js';
import { createUrgencyRepository } from './modules/urgency/urgency.repository.js';
import { createUrgencyService } from './modules/urgency/urgency.service.js';
import { createBootstrapAdminService } from './modules/users/bootstrap-admin.service.js';
import { createUsersRepository } from './modules/users/users.repository.js';
import { createUsersService } from './modules/users/users.service.js';
import { createIntegrationThrottle } from './modules/webhooks/integration-throttle.js';
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
  /** Single sign-on with an OpenID provider (KLAXON_OIDC_*); none when not given. */
  sso?: SsoConfig;
  /** KLAXON_SSO_ONLY and its break-glass account; passwords for everyone when not given. */
  passwordSignIn?: PasswordSignInPolicy;
  /** How often each process looks for missed heartbeats besides its timer (tests shorten it; no environment variable). */
  heartbeatSweepIntervalMs?: number;
  /** The live-update coalescing window; 250 ms when not given (tests widen it to count signals). */
  changeFeedCoalesceMs?: number;
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
  const heartbeatsRepository = createHeartbeatsRepository();

  const auditService = createAuditService({ db, auditRepository, auditNamesRepository: createAuditNamesRepository() });
  // Live console updates: LISTENs only while a console stream is open (never in the CLI). Built
  // first: revoking a key, disabling a person or removing a member ends their open streams.
  const changeFeed = createChangeFeed({
    listen: (channel, handlers) => deps.database.listen(channel, handlers),
    ...(deps.changeFeedCoalesceMs === undefined ? {} : { coalesceMs: deps.changeFeedCoalesceMs }),
  });
  // The one place that decides who may do what to which team's resources.
  const authzRepository = createAuthzRepository();
  const authz = createAuthz({ db, repository: authzRepository });
  const sessionsRepository = createSessionsRepository();
  const escalationPoliciesRepository = createEscalationPoliciesRepository();
  // What every webhook reads, cached in the process while it listens for changes (watchIngestConfig).
  const integrationCache = createWatchedCache<CachedIntegration>();
  const routingRulesCache = createWatchedCache<RoutingRuleRow[]>();

  /**
   * The services that own the configuration (people, teams, integrations, routing, schedules,
   * policies), bound to one executor: the database here, or the transaction of a configuration
   * apply, which builds its own set so that all its changes and audit entries commit together.
   */
  const configurationServicesOn = (
    executor: Executor,
    authzOn: Authz = authz,
    liveStreams: Pick<ChangeFeed, 'endStreamsOf'> = changeFeed,
  ) => ({
    usersService: createUsersService({
      db: executor,
      usersRepository,
      auditService,
      sessionsRepository,
      liveStreams,
      now,
    }),
    teamsService: createTeamsService({
      db: executor,
      teamsRepository,
      auditService,
      authz: authzOn,
      liveStreams,
      now,
    }),
    integrationsService: createIntegrationsService({
      db: executor,
      integrationsRepository,
      auditService,
      masterKey: deps.masterKey,
      cache: integrationCache,
      now,
    }),
    routingService: createRoutingService({
      db: executor,
      routingRulesRepository,
      teamsRepository,
      integrationsRepository,
      alertsRepository,
      auditService,
      rulesCache: routingRulesCache,
      now,
    }),
    schedulesService: createSchedulesService({ db: executor, schedulesRepository, auditService, authz: authzOn, now }),
    escalationPoliciesService: createEscalationPoliciesService({
      db: executor,
      repository: escalationPoliciesRepository,
      authz: authzOn,
      auditService,
      now,
    }),
  });
  const configurationServices = configurationServicesOn(db);
  const {
    usersService,
    teamsService,
    integrationsService,
    routingService,
    schedulesService,
    escalationPoliciesService,
  } = configurationServices;
  const apiKeysService = createApiKeysService({
    db,
    apiKeysRepository,
    usersRepository,
    auditService,
    authz,
    liveStreams: changeFeed,
    now,
    ...(deps.incidents?.log === undefined ? {} : { log: deps.incidents.log }),
  });
  // Sign-in and password links draw on one limiter: both are public routes that guess at credentials.
  const signInLimiter = createRateLimiter({ now: () => now().getTime() });
  const sessionsService = createSessionsService({
    db,
    sessionsRepository,
    usersRepository,
    auditService,
    rateLimiter: signInLimiter,
    liveStreams: changeFeed,
    now,
    ...(deps.incidents?.log === undefined ? {} : { log: deps.incidents.log }),
    ...(deps.sessionPolicy ? { policy: deps.sessionPolicy } : {}),
    ...(deps.passwordSignIn ? { passwordSignIn: deps.passwordSignIn } : {}),
  });
  const ssoService =
    deps.sso === undefined
      ? undefined
      : createSsoService({
          db,
          repository: createSsoRepository(),
          oidcClient: createOidcClient(deps.sso),
          sessionsService,
          auditService,
          settings: deps.sso,
          masterKey: deps.masterKey,
          now,
        });
  const setupService = createSetupService({
    db,
    repository: createSetupRepository(),
    usersRepository,
    sessionsService,
    auditService,
    masterKey: deps.masterKey,
    database: deps.database.kind === 'pglite' ? 'embedded' : 'postgres',
    rateLimiter: signInLimiter,
    attemptsPerIpPerMinute: sessionsService.policy.loginAttemptsPerIpPerMinute,
    now,
  });
  const bootstrapAdminService = createBootstrapAdminService({ db, usersRepository, apiKeysService, auditService, now });
  // Silences, maintenance windows and inhibition rules, read together by every new routed alert.
  const noiseControlCache = createWatchedCache<NoiseControlConfig>();
  const watchdogCache = createWatchedCache<HeartbeatRow[]>();
  const eventRulesCache = createWatchedCache<EventRuleRow[]>();
  const eventRulesRepository = createEventRulesRepository();
  const deliveriesService = createDeliveriesService({ db, deliveriesRepository, integrationsService, now });

  // Incidents, escalation and notifications. The engine is built here and started by main.ts
  // (after migrations) in processes that run jobs; until then its scheduling calls are no-ops
  // and its start-up reconciliation catches up from the tables.
  const incidentsConfig = deps.incidents ?? {};
  const publicUrl = incidentsConfig.publicUrl ?? 'http://127.0.0.1:3000';
  const minuteMs = incidentsConfig.minuteMs ?? 60_000;
  const linkKey = actionTokenKey(deps.masterKey);
  const incidentsRepository = createIncidentsRepository();
  const notificationsRepository = createNotificationsRepository();
  const outboundGuard = createOutboundGuard(incidentsConfig.outboundAllowedNetworks ?? []);
  // SMS and voice: no country is allowed and no provider configured unless the environment says so.
  const phoneConfig: PhoneConfig = incidentsConfig.phone ?? {
    allowedCountries: [],
    rateLimitPerHour: 10,
    providerByCountry: {},
  };
  const phoneRepository = createPhoneRepository();
  const phoneDispatcher = createPhoneDispatcher({
    db,
    repository: phoneRepository,
    config: phoneConfig,
    providers: configuredPhoneProviders(phoneConfig, publicUrl, now),
    now,
  });
  const phoneChannels = createPhoneChannels({
    db,
    dispatcher: phoneDispatcher,
    notificationsRepository,
    phoneRepository,
    // Called by sends only, after the engine below exists.
    sendNow: (rows) => escalationEngine.sendNow(rows),
    now,
  });
  const pushRepository = createPushRepository();
  const vapidKeys = createVapidKeySource({
    db,
    repository: pushRepository,
    masterKey: deps.masterKey,
    configured: incidentsConfig.webPush?.keys,
    subject: incidentsConfig.webPush?.subject ?? 'mailto:klaxon@localhost',
  });
  const pushService = createPushService({
    db,
    repository: pushRepository,
    vapid: vapidKeys,
    outboundGuard,
    masterKey: deps.masterKey,
    now,
  });
  // The Slack app, when SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are set; built after the
  // incidents service below, which the channel and the escalation steps reach through closures.
  const slackConfig = incidentsConfig.slack;
  let slackService: SlackService | undefined;
  const slack = () => {
    if (slackService === undefined) throw new Error('the Slack service is used before it is built');
    return slackService;
  };
  const channels =
    incidentsConfig.channels ??
    createChannels({
      smtpUrl: incidentsConfig.smtpUrl,
      smtpFrom: incidentsConfig.smtpFrom ?? 'Klaxon <klaxon@localhost>',
      outboundGuard,
      registry: createChannelRegistry({
        outboundGuard,
        publicUrl,
        phone: phoneChannels,
        webPush: { vapid: vapidKeys.details, forget: pushService.forget },
        slack:
          slackConfig === undefined
            ? undefined
            : {
                directMessage: (...args) => slack().directMessage(...args),
                sendText: (...args) => slack().sendText(...args),
              },
      }),
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
  const escalationEngine = createEscalationEngine({
    database: deps.database,
    incidentsRepository,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    teamsRepository,
    // Schedule targets page whoever the schedule says is on call at the moment of the step.
    resolver: incidentsConfig.resolver ?? schedulesService,
    authz,
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
    teamChannel:
      slackConfig === undefined
        ? undefined
        : createSlackTeamChannel({ postToTeamChannel: (...args) => slack().postToTeamChannel(...args) }),
    now,
  });
  const silencesRepository = createSilencesRepository();
  const maintenanceRepository = createMaintenanceRepository();
  const inhibitionRepository = createInhibitionRepository();
  const suppressionService = createSuppressionService({
    silencesRepository,
    maintenanceRepository,
    inhibitionRepository,
    alertsRepository,
    cache: noiseControlCache,
  });
  const silencesService = createSilencesService({
    db,
    repository: silencesRepository,
    auditService,
    cache: noiseControlCache,
    now,
  });
  const urgencyRepository = createUrgencyRepository();
  const urgencyService = createUrgencyService({ db, repository: urgencyRepository, authz, auditService, now });
  const incidentsService = createIncidentsService({
    db,
    repository: incidentsRepository,
    alertsRepository,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    authz,
    auditService,
    scheduler: () => escalationEngine.scheduler,
    actionTokenKey: linkKey,
    minuteMs,
    suppression: suppressionService,
    urgency: urgencyRepository,
    log: (error, message) => incidentsConfig.log?.error({ err: error }, message),
    // Only with the Slack app: without it, a status change does no chat work at all.
    ...(slackConfig === undefined ? {} : { incidentsChanged: (ids: string[]) => slack().incidentsChanged(ids) }),
    now,
  });
  const slackApp = createSlackService({
    db,
    repository: createSlackRepository(),
    api: slackConfig === undefined ? undefined : createSlackApi(slackConfig),
    authz,
    auditService,
    notificationsRepository,
    actAsPagedPerson: incidentsService.actAsPagedPerson,
    runStep: escalationEngine.runStep,
    resolver: incidentsConfig.resolver ?? schedulesService,
    publicUrl,
    log: (error, message) => incidentsConfig.log?.error({ err: error }, message),
    now,
  });
  slackService = slackApp;
  const maintenanceService = createMaintenanceService({
    db,
    repository: maintenanceRepository,
    alertsRepository,
    incidents: incidentsService,
    auditService,
    cache: noiseControlCache,
    now,
  });
  const inhibitionService = createInhibitionService({
    db,
    repository: inhibitionRepository,
    auditService,
    cache: noiseControlCache,
    now,
  });
  const phoneVerificationService = createPhoneVerificationService({
    db,
    repository: phoneRepository,
    notificationsRepository,
    dispatcher: phoneDispatcher,
    allowedCountries: phoneConfig.allowedCountries,
    masterKey: deps.masterKey,
    now,
  });
  const phoneCallbacksService = createPhoneCallbacksService({
    db,
    repository: phoneRepository,
    notificationsRepository,
    incidentsRepository,
    actAsPagedPerson: incidentsService.actAsPagedPerson,
    runStep: escalationEngine.runStep,
    sendNow: escalationEngine.sendNow,
    sendAnswer: (to, text) => phoneDispatcher.send({ kind: 'sms', to, text, purpose: 'reply' }),
    now,
  });
  const contactMethodsService = createContactMethodsService({
    db,
    repository: notificationsRepository,
    channels,
    outboundGuard,
    authz,
    masterKey: deps.masterKey,
    publicUrl,
    phoneVerification: phoneVerificationService,
    deliveryStatuses: (ids) => phoneRepository.latestStatuses(db, ids),
    ntfyDefaultServer: incidentsConfig.ntfyDefaultServer ?? 'https://ntfy.sh',
    now,
  });

  const pagingHealthService = createPagingHealthService({
    db,
    repository: createPagingHealthRepository(),
    schedulesService,
    channels,
    teamChannelReady: (teamId) => slackApp.teamChannelReady(teamId),
    now,
  });

  const alertsService = createAlertsService({
    db,
    alertsRepository,
    auditService,
    authz,
    incidents: incidentsService,
    now,
  });
  const traceService = createTraceService({
    db,
    repository: createTraceRepository(),
    visibleAlert: async (viewer, id) => (await alertsService.get(viewer, id)).alert,
  });
  const alertRouter = createAlertRouter({ routingRulesRepository, cache: routingRulesCache });
  // Same router, suppression decision and notification plan as ingestion and paging.
  const simulateService = createSimulateService({
    db,
    integrationsRepository,
    alertsRepository,
    route: alertRouter,
    suppression: suppressionService,
    policiesRepository: escalationPoliciesRepository,
    notificationsRepository,
    urgency: urgencyRepository,
    resolver: incidentsConfig.resolver ?? schedulesService,
    now,
  });
  const alertIngestService = createAlertIngestService({
    db,
    alertsRepository,
    deliveriesRepository,
    route: alertRouter,
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
    authz,
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

  /** Whether the key or session behind a principal still works (revoked, expired, account disabled). */
  const stillAuthenticated = (principal: Principal): Promise<boolean> =>
    principal.apiKeyId !== null
      ? apiKeysService.isLive(principal.apiKeyId)
      : principal.sessionId === undefined
        ? Promise.resolve(true)
        : sessionsService.isLive(principal.sessionId);

  const configAsCodeService = createConfigAsCodeService({
    db,
    services: configurationServices,
    servicesWithin: (tx) => {
      // Streams of people the apply removes from a team end once it commits, not before (nor after a dry run).
      const endings: Parameters<ChangeFeed['endStreamsOf']>[0][] = [];
      const liveStreams = { endStreamsOf: (grant: (typeof endings)[number]) => endings.push(grant) };
      return {
        services: configurationServicesOn(tx, createAuthz({ db: tx, repository: authzRepository }), liveStreams),
        afterCommit: () => {
          for (const grant of endings) changeFeed.endStreamsOf(grant);
        },
      };
    },
  });

  const backupsService = createBackupsService({ database: deps.database, auditService });

  return {
    stillAuthenticated,
    auditService,
    usersService,
    apiKeysService,
    sessionsService,
    ssoService,
    /** Whether passwords are refused for all but the break-glass account (KLAXON_SSO_ONLY). */
    ssoOnly: deps.passwordSignIn?.ssoOnly ?? false,
    passwordLinksService,
    setupService,
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
    urgencyService,
    escalationPoliciesService,
    configAsCodeService,
    backupsService,
    contactMethodsService,
    phoneVerificationService,
    phoneCallbacksService,
    pushService,
    /** What the provider callback routes need to verify signatures (credentials, public URL). */
    phone: { config: phoneConfig, publicUrl },
    slackService: slackApp,
    /** What the Slack request routes need to verify signatures; undefined without a Slack app. */
    slackConfig,
    /** What the Mattermost button callback needs: it acts through one-click tokens. */
    mattermostActions: { incidentsService, actionTokenKey: linkKey, publicUrl },
    pagingHealthService,
    escalationEngine,
    silencesService,
    suppressionService,
    maintenanceService,
    inhibitionService,
    traceService,
    simulateService,
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
        silences: noiseControlCache,
        maintenance_windows: noiseControlCache,
        inhibition_rules: noiseControlCache,
        heartbeats: watchdogCache,
        event_rules: eventRulesCache,
      }),
    authz,
    changeFeed,
  };
}

export type Services = ReturnType<typeof createServices>;
