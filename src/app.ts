import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyRequest, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DatabaseHandle } from './db/client.js';
import { withoutCredentials } from './lib/credential-paths.js';
import { uuidv7 } from './lib/ids.js';
import { fastifyTrustProxy, type TrustProxy } from './lib/trust-proxy.js';
import { alertsRoutes } from './modules/alerts/alerts.routes.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { backupsRoutes } from './modules/backups/backups.routes.js';
import { configAsCodeRoutes } from './modules/config-as-code/config-as-code.routes.js';
import { deliveriesRoutes } from './modules/deliveries/deliveries.routes.js';
import { escalationPoliciesRoutes } from './modules/escalation-policies/escalation-policies.routes.js';
import { eventRulesRoutes } from './modules/event-rules/event-rules.routes.js';
import { eventsV2Routes } from './modules/events-api/events-v2.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { heartbeatsRoutes } from './modules/heartbeats/heartbeats.routes.js';
import { incidentsRoutes } from './modules/incidents/incidents.routes.js';
import { inhibitionRoutes } from './modules/inhibition/inhibition.routes.js';
import { integrationsRoutes } from './modules/integrations/integrations.routes.js';
import { testAlertRoutes } from './modules/integrations/test-alert.routes.js';
import { liveUpdatesRoutes } from './modules/live-updates/live-updates.routes.js';
import { maintenanceRoutes } from './modules/maintenance/maintenance.routes.js';
import { mattermostActionsRoutes } from './modules/notifications/mattermost-actions.routes.js';
import { notificationsRoutes } from './modules/notifications/notifications.routes.js';
import { phoneProviderRoutes, phoneVerificationRoutes } from './modules/notifications/phone/phone.routes.js';
import { pushRoutes } from './modules/notifications/push/push.routes.js';
import { pagingHealthRoutes } from './modules/paging-health/paging-health.routes.js';
import { passwordLinksRoutes } from './modules/password-links/password-links.routes.js';
import { routingRoutes } from './modules/routing/routing.routes.js';
import { schedulesRoutes } from './modules/schedules/schedules.routes.js';
import { sessionsRoutes } from './modules/sessions/sessions.routes.js';
import { setupRoutes } from './modules/setup/setup.routes.js';
import { alertmanagerSilencesRoutes } from './modules/silences/alertmanager-silences.routes.js';
import { silencesRoutes } from './modules/silences/silences.routes.js';
import { simulateRoutes } from './modules/simulate/simulate.routes.js';
import { slackRoutes } from './modules/slack/slack.routes.js';
import { slackProviderRoutes } from './modules/slack/slack-provider.routes.js';
import { ssoRoutes } from './modules/sso/sso.routes.js';
import { teamsRoutes } from './modules/teams/teams.routes.js';
import { traceRoutes } from './modules/trace/trace.routes.js';
import { urgencyRoutes } from './modules/urgency/urgency.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { webhooksRoutes } from './modules/webhooks/webhooks.routes.js';
import { registerAuth } from './plugins/auth.js';
import { createConsoleSite } from './plugins/console.js';
import { registerEmptyQueryParams } from './plugins/empty-query-params.js';
import { handleError, registerErrorHandling } from './plugins/error-handler.js';
import { registerMetrics } from './plugins/metrics.js';
import { clientErrorHandler, registerRequestDeadline } from './plugins/request-deadline.js';
import { OneLinePerRequest } from './plugins/request-log.js';
import { registerRouteTable } from './plugins/route-table.js';
import { createServices, type Services } from './services.js';

export interface AppDeps {
  database: DatabaseHandle;
  masterKey: Buffer;
  bodyLimitBytes: number;
  /** Requests not fully received by then get 408 (slow clients); 30 s when not given. */
  requestTimeoutMs?: number;
  webhookRateLimitPerMinute: number;
  logger: FastifyServerOptions['logger'];
  /** KLAXON_TRUST_PROXY: whose forwarded headers give the client address and protocol; nobody's by default. */
  trustProxy?: TrustProxy;
  now?: () => Date;
  /** The built web console (index.html and assets); web/dist by default. */
  consoleDir?: string;
  /** Heartbeat and stream lifetime of GET /api/events/stream (tests shorten them). */
  liveUpdates?: { heartbeatMs?: number; streamLifetimeMs?: number };
  /** The services to serve; built from the other deps when not given (the CLI and tests share them). */
  services?: Services;
}

/** Values that must never reach a log line, wherever they appear. */
export const LOG_REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  '*.webhookSecret',
  '*.standardWebhooksSecret',
  '*.apiKey',
  '*.key',
  '*.password',
  '*.routing_key',
];

/**
 * Fastify's request log line, with credentials in the path replaced. Anything else a handler
 * logs under `req` is passed through unchanged, for the redaction paths to handle.
 */
export const LOG_SERIALIZERS = {
  req: (request: FastifyRequest): Record<string, unknown> =>
    typeof request.url === 'string'
      ? {
          method: request.method,
          url: withoutCredentials(request.url),
          host: request.host,
          remoteAddress: request.ip,
          remotePort: request.socket?.remotePort,
        }
      : (request as unknown as Record<string, unknown>),
};

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const requestTimeout = deps.requestTimeoutMs ?? 30_000;
  const app = Fastify({
    logger: deps.logger,
    // One line per request instead of Fastify's two.
    logController: new OneLinePerRequest(),
    trustProxy: fastifyTrustProxy(deps.trustProxy ?? false),
    bodyLimit: deps.bodyLimitBytes,
    // A sender's X-Request-Id is kept when it is sane, so logs correlate across systems.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : uuidv7();
    },
    requestTimeout,
    connectionTimeout: Math.max(60_000, requestTimeout * 2),
    // Node checks request timeouts only every connectionsCheckingInterval (30 s by default),
    // which would let a trickling client hold a socket up to twice the configured timeout.
    http: { connectionsCheckingInterval: Math.min(1_000, requestTimeout) },
    // Errors Fastify raises before routing (undecodable URL, over-long path parameter) would
    // otherwise be answered in Fastify's own JSON shape instead of problem+json.
    clientErrorHandler,
    frameworkErrors: (error, request, reply) => {
      handleError(error, request, reply);
    },
  }).withTypeProvider<ZodTypeProvider>();

  // Fastify parses text/plain bodies by default; this API speaks JSON only, so any other
  // media type is a 415, not a confusing "expected object, received string" 400.
  app.removeContentTypeParser('text/plain');
  // An empty body with a JSON content type means "no body" (as for bodyless POSTs from many
  // HTTP clients), not a 400; anything else goes through Fastify's own safe JSON parser.
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (typeof body === 'string' && body.trim() === '') return done(null, undefined);
    return parseJson(request, body.toString(), done);
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // While the app drains (SIGTERM), a response that finishes closes its connection: left open
  // and idle, a keep-alive connection would hold the exit until the client drops it.
  let draining = false;
  app.addHook('preClose', async () => {
    draining = true;
  });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (draining) reply.header('connection', 'close');
  });

  const services =
    deps.services ??
    createServices({
      database: deps.database,
      masterKey: deps.masterKey,
      ...(deps.now ? { now: deps.now } : {}),
    });

  const consoleSite = createConsoleSite(deps.consoleDir);
  const routeTable = registerRouteTable(app);
  registerErrorHandling(app, { fallback: consoleSite.serveIndex, allowedMethods: routeTable.allowedMethods });
  registerEmptyQueryParams(app);
  registerRequestDeadline(app, requestTimeout);
  registerAuth(app, services.apiKeysService, services.sessionsService);
  const metrics = registerMetrics(app, { openLiveUpdateStreams: () => services.changeFeed.size });

  await app.register(swagger, {
    openapi: {
      info: { title: 'Klaxon API', version: '0.1.0', description: 'Alert ingestion and incident platform' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'klaxon_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { ping: deps.database.ping, metrics });
  await app.register(usersRoutes, { usersService: services.usersService });
  await app.register(sessionsRoutes, {
    sessionsService: services.sessionsService,
    usersService: services.usersService,
  });
  await app.register(ssoRoutes, {
    ssoService: services.ssoService,
    sessionsService: services.sessionsService,
    ssoOnly: services.ssoOnly,
  });
  await app.register(passwordLinksRoutes, { passwordLinksService: services.passwordLinksService });
  await app.register(setupRoutes, { setupService: services.setupService, sessionsService: services.sessionsService });
  await app.register(apiKeysRoutes, { apiKeysService: services.apiKeysService });
  await app.register(auditRoutes, { auditService: services.auditService });
  await app.register(integrationsRoutes, {
    integrationsService: services.integrationsService,
    defaultRateLimitPerMinute: deps.webhookRateLimitPerMinute,
  });
  await app.register(testAlertRoutes, {
    integrationsService: services.integrationsService,
    ...(deps.now ? { now: deps.now } : {}),
  });
  await app.register(deliveriesRoutes, { deliveriesService: services.deliveriesService });
  await app.register(alertsRoutes, { alertsService: services.alertsService });
  await app.register(teamsRoutes, { teamsService: services.teamsService });
  await app.register(routingRoutes, { routingService: services.routingService });
  await app.register(schedulesRoutes, { schedulesService: services.schedulesService });
  await app.register(incidentsRoutes, { incidentsService: services.incidentsService });
  await app.register(urgencyRoutes, { service: services.urgencyService });
  await app.register(escalationPoliciesRoutes, { service: services.escalationPoliciesService });
  await app.register(notificationsRoutes, { service: services.contactMethodsService });
  await app.register(phoneVerificationRoutes, { service: services.phoneVerificationService });
  await app.register(phoneProviderRoutes, {
    service: services.phoneCallbacksService,
    config: services.phone.config,
    publicUrl: services.phone.publicUrl,
    now: deps.now ?? (() => new Date()),
  });
  await app.register(mattermostActionsRoutes, services.mattermostActions);
  await app.register(pushRoutes, { service: services.pushService });
  await app.register(slackRoutes, { service: services.slackService });
  await app.register(slackProviderRoutes, {
    service: services.slackService,
    config: services.slackConfig,
    now: deps.now ?? (() => new Date()),
  });
  await app.register(pagingHealthRoutes, { pagingHealthService: services.pagingHealthService });
  await app.register(eventRulesRoutes, { service: services.eventRulesService });
  await app.register(heartbeatsRoutes, {
    service: services.heartbeatsService,
    rateLimiter: services.heartbeatPingLimiter,
  });
  await app.register(liveUpdatesRoutes, {
    changeFeed: services.changeFeed,
    scopeOf: services.authz.scopeOf,
    stillAuthenticated: services.stillAuthenticated,
    ...deps.liveUpdates,
  });
  const clock = { now: deps.now ?? (() => new Date()) };
  await app.register(silencesRoutes, { silencesService: services.silencesService, ...clock });
  await app.register(alertmanagerSilencesRoutes, { silencesService: services.silencesService, ...clock });
  await app.register(maintenanceRoutes, { maintenanceService: services.maintenanceService, ...clock });
  await app.register(inhibitionRoutes, { inhibitionService: services.inhibitionService });
  await app.register(traceRoutes, { traceService: services.traceService });
  await app.register(simulateRoutes, { simulateService: services.simulateService });
  await app.register(backupsRoutes, { backupsService: services.backupsService });
  await app.register(configAsCodeRoutes, { service: services.configAsCodeService });
  await app.register(eventsV2Routes, { eventsV2Service: services.eventsV2Service });
  await app.register(webhooksRoutes, { receiver: services.webhookReceiver, bodyLimitBytes: deps.bodyLimitBytes });
  await consoleSite.register(app);

  // Integrations and routing rules are served from memory while the app listens for changes to them.
  let stopWatchingIngestConfig: (() => Promise<void>) | undefined;
  app.addHook('onReady', async () => {
    stopWatchingIngestConfig = await services.watchIngestConfig();
  });
  app.addHook('onClose', async () => {
    await stopWatchingIngestConfig?.();
  });

  return app;
}
