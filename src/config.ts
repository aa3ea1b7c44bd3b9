import { z } from 'zod';
import { type Network, parseNetwork } from './lib/outbound-guard.js';

/**
 * The whole configuration, read from the environment once and validated. A bad value stops
 * start-up with one line that names the variable. No secret has a default.
 */
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

// Zod's default messages ("Invalid input: expected number, received NaN") read poorly after a
// variable name, so each rule states what a valid value looks like.
const PORT_RULE = 'must be an integer from 0 to 65535';
const port = z.coerce.number({ error: PORT_RULE }).int(PORT_RULE).min(0, PORT_RULE).max(65535, PORT_RULE);
const POSITIVE_RULE = 'must be a positive integer';
const positiveInt = z.coerce.number({ error: POSITIVE_RULE }).int(POSITIVE_RULE).positive(POSITIVE_RULE);

const environmentSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_POOL_SIZE: positiveInt.max(1000, 'must be at most 1000').default(10),
    DATABASE_CONNECT_TIMEOUT_MS: positiveInt.max(600_000, 'must be at most 600000').default(5_000),
    DATABASE_STATEMENT_TIMEOUT_MS: positiveInt.max(3_600_000, 'must be at most 3600000').default(15_000),
    KLAXON_DATA_DIR: z.string().min(1).default('./data'),
    KLAXON_MASTER_KEY: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, 'must be 32 bytes written as 64 hex characters')
      .optional(),
    KLAXON_BODY_LIMIT_BYTES: positiveInt.default(512 * 1024),
    KLAXON_REQUEST_TIMEOUT_MS: positiveInt.max(600_000, 'must be at most 600000').default(30_000),
    KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE: positiveInt.max(10_000_000, 'must be at most 10000000').default(120_000),
    KLAXON_DELIVERY_RETENTION_DAYS: positiveInt.max(3650, 'must be at most 3650').default(30),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL (e.g. smtp://user:pass@mail.example.com:587)')
      .optional(),
    SMTP_FROM: z.string().min(3).default('Klaxon <klaxon@localhost>'),
    KLAXON_PUBLIC_URL: z
      .string()
      .regex(/^https?:\/\/[^/]+(\/.*)?$/, 'must be an http:// or https:// URL')
      .optional(),
    KLAXON_ACTION_LINK_TTL_MINUTES: positiveInt.max(43_200, 'must be at most 43200').default(1440),
    KLAXON_PASSWORD_LINK_TTL_HOURS: positiveInt.max(720, 'must be at most 720').default(24),
    KLAXON_NOTIFICATION_RETRY_LIMIT: z.coerce
      .number({ error: 'must be an integer from 0 to 20' })
      .int('must be an integer from 0 to 20')
      .min(0, 'must be an integer from 0 to 20')
      .max(20, 'must be an integer from 0 to 20')
      .default(5),
    KLAXON_NOTIFICATION_RETRY_DELAY_SECONDS: positiveInt.max(3600, 'must be at most 3600').default(30),
    KLAXON_WORKERS: positiveInt.max(64, 'must be at most 64').default(1),
    KLAXON_OUTBOUND_ALLOWED_NETWORKS: z
      .string()
      .transform((value, ctx) => {
        try {
          return value
            .split(',')
            .filter((item) => item.trim() !== '')
            .map(parseNetwork);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `must be a comma-separated list of CIDRs: ${(error as Error).message}`,
          });
          return z.NEVER;
        }
      })
      .default([]),
    KLAXON_JOB_WORKERS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
    LOG_LEVEL: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info'),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL !== undefined && env.KLAXON_MASTER_KEY === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['KLAXON_MASTER_KEY'],
        message: 'is required when DATABASE_URL is set (generate one with: openssl rand -hex 32)',
      });
    }
  });

/** Every environment variable Klaxon reads: deployment manifests are checked against this list. */
export const ENVIRONMENT_VARIABLES: readonly string[] = Object.keys(environmentSchema.shape);

export interface Config {
  port: number;
  host: string;
  database:
    | {
        kind: 'postgres';
        url: string;
        poolSize: number;
        /** DATABASE_CONNECT_TIMEOUT_MS (default 5000): waiting for a pooled connection longer than this fails (503). */
        connectTimeoutMs: number;
        /** DATABASE_STATEMENT_TIMEOUT_MS (default 15000): a statement running longer is cancelled (503). */
        statementTimeoutMs: number;
      }
    | { kind: 'pglite'; dataDir: string };
  dataDir: string;
  /** Set when KLAXON_MASTER_KEY is given; otherwise resolved from the data dir (embedded mode). */
  masterKeyHex: string | undefined;
  bodyLimitBytes: number;
  /**
   * KLAXON_REQUEST_TIMEOUT_MS (default 30000): a request whose headers and body have not fully
   * arrived by then is answered 408 and its connection closed (slow or stalled clients).
   */
  requestTimeoutMs: number;
  /** Per-integration webhook rate limit when the integration sets none. */
  webhookRateLimitPerMinute: number;
  /** Webhook deliveries older than this are pruned in the background. */
  deliveryRetentionDays: number;
  /** KLAXON_PASSWORD_LINK_TTL_HOURS (default 24): how long an invite or password reset link works. */
  passwordLinkTtlHours: number;
  logLevel: (typeof LOG_LEVELS)[number];
  /**
   * KLAXON_WORKERS (default 1): server processes sharing the port (node:cluster), PostgreSQL
   * only; the embedded database can be open in one process, so PGlite ignores it (with a log line).
   */
  workers: number;
  incidents: IncidentsConfig;
}

export interface IncidentsConfig {
  smtpUrl: string | undefined;
  smtpFrom: string;
  /** Base of the links in notifications (console, one-click actions), without a trailing slash. */
  publicUrl: string;
  actionLinkTtlMinutes: number;
  notificationRetryLimit: number;
  notificationRetryDelaySeconds: number;
  /** Whether this process runs escalation and notification jobs (any number of processes may). */
  jobWorkers: boolean;
  /**
   * KLAXON_OUTBOUND_ALLOWED_NETWORKS: networks that chat and webhook contact methods may reach
   * although they are not public (loopback, private…); by default none.
   */
  outboundAllowedNetworks: Network[];
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most deployment tools.
  const present = Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined && value !== ''));
  const parsed = environmentSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = issue?.path.join('.') || 'environment';
    throw new ConfigError(`Invalid configuration: ${variable} ${issue?.message ?? 'is invalid'}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database:
      e.DATABASE_URL !== undefined
        ? {
            kind: 'postgres',
            url: e.DATABASE_URL,
            poolSize: e.DATABASE_POOL_SIZE,
            connectTimeoutMs: e.DATABASE_CONNECT_TIMEOUT_MS,
            statementTimeoutMs: e.DATABASE_STATEMENT_TIMEOUT_MS,
          }
        : { kind: 'pglite', dataDir: e.KLAXON_DATA_DIR },
    dataDir: e.KLAXON_DATA_DIR,
    masterKeyHex: e.KLAXON_MASTER_KEY?.toLowerCase(),
    bodyLimitBytes: e.KLAXON_BODY_LIMIT_BYTES,
    requestTimeoutMs: e.KLAXON_REQUEST_TIMEOUT_MS,
    webhookRateLimitPerMinute: e.KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE,
    deliveryRetentionDays: e.KLAXON_DELIVERY_RETENTION_DAYS,
    passwordLinkTtlHours: e.KLAXON_PASSWORD_LINK_TTL_HOURS,
    logLevel: e.LOG_LEVEL,
    workers: e.KLAXON_WORKERS,
    incidents: {
      smtpUrl: e.SMTP_URL,
      smtpFrom: e.SMTP_FROM,
      publicUrl: (e.KLAXON_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`).replace(
        /\/+$/,
        '',
      ),
      actionLinkTtlMinutes: e.KLAXON_ACTION_LINK_TTL_MINUTES,
      notificationRetryLimit: e.KLAXON_NOTIFICATION_RETRY_LIMIT,
      notificationRetryDelaySeconds: e.KLAXON_NOTIFICATION_RETRY_DELAY_SECONDS,
      jobWorkers: e.KLAXON_JOB_WORKERS === 'true',
      outboundAllowedNetworks: e.KLAXON_OUTBOUND_ALLOWED_NETWORKS,
    },
  };
}
