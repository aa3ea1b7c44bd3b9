import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { DatabaseHandle } from './db/client.js';
import { uuidv7 } from './lib/ids.js';
import { apiKeysRoutes } from './modules/api-keys/api-keys.routes.js';
import { auditRoutes } from './modules/audit/audit.routes.js';
import { healthRoutes } from './modules/health/health.routes.js';
import { usersRoutes } from './modules/users/users.routes.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling } from './plugins/error-handler.js';
import { registerMetrics } from './plugins/metrics.js';
import { createServices } from './services.js';

export interface AppDeps {
  database: DatabaseHandle;
  masterKey: Buffer;
  bodyLimitBytes: number;
  logger: FastifyServerOptions['logger'];
  now?: () => Date;
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

const REQUEST_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger,
    bodyLimit: deps.bodyLimitBytes,
    // A sender's X-Request-Id is kept when it is sane, so logs correlate across systems.
    genReqId: (request) => {
      const incoming = request.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID_PATTERN.test(incoming) ? incoming : uuidv7();
    },
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
  }).withTypeProvider<ZodTypeProvider>();

  // Fastify parses text/plain bodies by default; this API speaks JSON only, so any other
  // media type is a 415, not a confusing "expected object, received string" 400.
  app.removeContentTypeParser('text/plain');
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  const services = createServices({
    database: deps.database,
    masterKey: deps.masterKey,
    ...(deps.now ? { now: deps.now } : {}),
  });

  registerErrorHandling(app);
  registerAuth(app, services.apiKeysService);
  const metrics = registerMetrics(app);

  await app.register(swagger, {
    openapi: {
      info: { title: 'Klaxon API', version: '0.1.0', description: 'Alert ingestion and incident platform' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { access: 'public' }, schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes, { ping: deps.database.ping, metrics });
  await app.register(usersRoutes, { usersService: services.usersService });
  await app.register(apiKeysRoutes, { apiKeysService: services.apiKeysService });
  await app.register(auditRoutes, { auditService: services.auditService });

  return app;
}
