import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { type AppDeps, buildApp, LOG_REDACT_PATHS, LOG_SERIALIZERS } from '../../src/app.js';
import type { DatabaseHandle } from '../../src/db/client.js';
import { createServices, type ServiceDeps, type Services } from '../../src/services.js';
import { createTestDatabase } from './database.js';

export interface TestApp {
  app: FastifyInstance;
  database: DatabaseHandle;
  services: Services;
  masterKey: Buffer;
  /** Every log line the app wrote, for leak scans. */
  logs: string[];
  /** Every response seen through `request`, for leak scans. */
  responses: LightMyRequestResponse[];
  request(options: {
    method: string;
    url: string;
    key?: string;
    body?: unknown;
    headers?: Record<string, string>;
  }): Promise<LightMyRequestResponse>;
  createAdmin(email?: string): Promise<{ userId: string; apiKey: string }>;
  createUser(adminKey: string, email?: string): Promise<{ userId: string; apiKey: string }>;
  close(): Promise<void>;
}

export interface TestAppOptions {
  now?: () => Date;
  bodyLimitBytes?: number;
  webhookRateLimitPerMinute?: number;
  /** Incidents and paging options (resolver, short minutes, SMTP…). */
  incidents?: ServiceDeps['incidents'];
  /** Request deadline (KLAXON_REQUEST_TIMEOUT_MS); the app's default when not given. */
  requestTimeoutMs?: number;
  /** Heartbeat and lifetime of live-update streams. */
  liveUpdates?: AppDeps['liveUpdates'];
  /** The live-update coalescing window (250 ms when not given). */
  changeFeedCoalesceMs?: number;
  /** Session lifetimes and sign-in limits (tests lower the limits to stay fast). */
  sessionPolicy?: ServiceDeps['sessionPolicy'];
  /** KLAXON_TRUST_PROXY as parsed. */
  trustProxy?: AppDeps['trustProxy'];
  /** Single sign-on and the password sign-in policy (KLAXON_OIDC_*, KLAXON_SSO_*). */
  sso?: ServiceDeps['sso'];
  passwordSignIn?: ServiceDeps['passwordSignIn'];
  /** Register extra routes (e.g. to provoke failures) before the app is ready. */
  extend?: (app: FastifyInstance) => void | Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const masterKey = randomBytes(32);
  const logs: string[] = [];
  const responses: LightMyRequestResponse[] = [];
  const services = createServices({
    database,
    masterKey,
    webhookRateLimitPerMinute: options.webhookRateLimitPerMinute ?? 120_000,
    ...(options.now ? { now: options.now } : {}),
    ...(options.incidents ? { incidents: options.incidents } : {}),
    ...(options.sessionPolicy ? { sessionPolicy: options.sessionPolicy } : {}),
    ...(options.sso ? { sso: options.sso } : {}),
    ...(options.passwordSignIn ? { passwordSignIn: options.passwordSignIn } : {}),
    ...(options.changeFeedCoalesceMs === undefined ? {} : { changeFeedCoalesceMs: options.changeFeedCoalesceMs }),
  });
  const app = await buildApp({
    database,
    masterKey,
    services,
    bodyLimitBytes: options.bodyLimitBytes ?? 512 * 1024,
    webhookRateLimitPerMinute: options.webhookRateLimitPerMinute ?? 120_000,
    logger: {
      level: 'info',
      redact: { paths: LOG_REDACT_PATHS, censor: '[redacted]' },
      serializers: LOG_SERIALIZERS,
      stream: { write: (line: string) => void logs.push(line) },
    },
    ...(options.now ? { now: options.now } : {}),
    ...(options.requestTimeoutMs === undefined ? {} : { requestTimeoutMs: options.requestTimeoutMs }),
    ...(options.liveUpdates ? { liveUpdates: options.liveUpdates } : {}),
    ...(options.trustProxy === undefined ? {} : { trustProxy: options.trustProxy }),
  });
  await options.extend?.(app);
  await app.ready();

  const testApp: TestApp = {
    app,
    database,
    services,
    masterKey,
    logs,
    responses,
    async request({ method, url, key, body, headers = {} }) {
      const response = await app.inject({
        method: method as 'GET',
        url,
        headers: { ...(key === undefined ? {} : { authorization: `Bearer ${key}` }), ...headers },
        ...(body === undefined ? {} : typeof body === 'string' ? { payload: body } : { payload: body as object }),
      });
      responses.push(response);
      return response;
    },
    async createAdmin(email = `admin-${randomBytes(4).toString('hex')}@example.com`) {
      return services.bootstrapAdminService.bootstrap({ email });
    },
    async createUser(adminKey, email = `user-${randomBytes(4).toString('hex')}@example.com`) {
      const created = await testApp.request({ method: 'POST', url: '/api/users', key: adminKey, body: { email } });
      if (created.statusCode !== 201) throw new Error(`createUser failed: ${created.body}`);
      const userId = created.json().id as string;
      const key = await testApp.request({
        method: 'POST',
        url: '/api/api-keys',
        key: adminKey,
        body: { name: 'test', userId },
      });
      if (key.statusCode !== 201) throw new Error(`createUser key failed: ${key.body}`);
      return { userId, apiKey: key.json().key as string };
    },
    async close() {
      services.heartbeatMonitor.stop();
      await services.escalationEngine.stop();
      await app.close();
      await database.close();
    },
  };
  return testApp;
}
