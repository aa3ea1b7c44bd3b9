import { z } from 'zod';
import { type Network, parseNetwork } from './lib/outbound-guard.js';
import { parseTrustProxy, type TrustProxy } from './lib/trust-proxy.js';
import {
  type PhoneConfig,
  phoneConfigOf,
  phoneEnvironment,
  phoneEnvironmentIssues,
} from './modules/notifications/phone/phone-config.js';
import { parseGroupList, parseTeamMapping, type TeamMappingEntry } from './modules/sso/group-mapping.js';

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

/** A VAPID key as `web-push generate-vapid-keys` prints it: base64url of exactly `bytes` bytes. */
const base64urlBytes = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, `must be ${what} in base64url (web-push generate-vapid-keys)`)
    .refine((value) => Buffer.from(value, 'base64url').length === bytes, `must be ${what} (${bytes} bytes, base64url)`);

const environmentSchema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
    DATABASE_DIRECT_URL: z
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
    ...phoneEnvironment,
    KLAXON_NTFY_DEFAULT_SERVER: z
      .string()
      .regex(/^https?:\/\/[^/]+(\/.*)?$/, 'must be an http:// or https:// URL')
      .default('https://ntfy.sh'),
    KLAXON_VAPID_PUBLIC_KEY: base64urlBytes(65, 'an uncompressed P-256 public key').optional(),
    KLAXON_VAPID_PRIVATE_KEY: base64urlBytes(32, 'a P-256 private key').optional(),
    KLAXON_VAPID_SUBJECT: z
      .string()
      .regex(/^(mailto:.+|https:\/\/[^/]+.*)$/, 'must be a mailto: address or an https:// URL')
      .optional(),
    KLAXON_JOB_WORKERS: z.enum(['true', 'false'], { error: 'must be true or false' }).default('true'),
    KLAXON_TRUST_PROXY: z
      .string()
      .transform((value, ctx) => {
        try {
          return parseTrustProxy(value);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `must be false, true or a comma-separated list of proxy addresses and CIDRs: ${(error as Error).message}`,
          });
          return z.NEVER;
        }
      })
      .default(false),
    KLAXON_OIDC_ISSUER: z
      .url({ protocol: /^https?$/, error: 'must be an https:// URL (the issuer of the OpenID provider)' })
      .optional(),
    KLAXON_OIDC_CLIENT_ID: z.string().min(1).optional(),
    KLAXON_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
    KLAXON_OIDC_REDIRECT_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).optional(),
    KLAXON_OIDC_SCOPES: z.string().min(1).default('openid email profile'),
    KLAXON_OIDC_GROUPS_CLAIM: z.string().min(1).default('groups'),
    KLAXON_OIDC_ADMIN_GROUPS: z.string().transform(parseGroupList).default([]),
    KLAXON_OIDC_TEAM_MAPPING: z
      .string()
      .transform((value, ctx) => {
        try {
          return parseTeamMapping(value);
        } catch (error) {
          ctx.addIssue({
            code: 'custom',
            message: `must be comma-separated group=team or group=team:role entries: ${(error as Error).message}`,
          });
          return z.NEVER;
        }
      })
      .default([]),
    KLAXON_OIDC_ALLOW_HTTP: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    KLAXON_SSO_ONLY: z.enum(['true', 'false'], { error: 'must be true or false' }).default('false'),
    KLAXON_SSO_BREAK_GLASS_EMAIL: z.email({ error: 'must be an email address' }).optional(),
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
    if (env.KLAXON_OIDC_ISSUER !== undefined && env.KLAXON_OIDC_CLIENT_ID === undefined) {
      ctx.addIssue({ code: 'custom', path: ['KLAXON_OIDC_CLIENT_ID'], message: 'is required with KLAXON_OIDC_ISSUER' });
    }
    // Plain HTTP to the provider would let anyone on the path forge identities: only on request.
    if (env.KLAXON_OIDC_ISSUER?.startsWith('http:') && env.KLAXON_OIDC_ALLOW_HTTP !== 'true') {
      ctx.addIssue({
        code: 'custom',
        path: ['KLAXON_OIDC_ISSUER'],
        message: 'must be an https:// URL (set KLAXON_OIDC_ALLOW_HTTP=true only for a provider on a trusted network)',
      });
    }
    if (env.KLAXON_SSO_ONLY === 'true' && env.KLAXON_OIDC_ISSUER === undefined) {
      ctx.addIssue({ code: 'custom', path: ['KLAXON_SSO_ONLY'], message: 'needs KLAXON_OIDC_ISSUER to be set' });
    }
    if ((env.KLAXON_VAPID_PUBLIC_KEY === undefined) !== (env.KLAXON_VAPID_PRIVATE_KEY === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.KLAXON_VAPID_PUBLIC_KEY === undefined ? 'KLAXON_VAPID_PUBLIC_KEY' : 'KLAXON_VAPID_PRIVATE_KEY'],
        message: 'is required with the other VAPID key (give both, or neither to have a pair generated)',
      });
    }
    if (env.DATABASE_DIRECT_URL !== undefined && env.DATABASE_URL === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['DATABASE_DIRECT_URL'],
        message: 'needs DATABASE_URL (the pooled address) to be set too',
      });
    }
    for (const issue of phoneEnvironmentIssues(env)) {
      ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
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
        /**
         * DATABASE_DIRECT_URL: the same database without a transaction pooler in between, for
         * what needs a session (LISTEN, the job queue, start-up locks and migrations). When set,
         * `url` is treated as a pooler's address: no named prepared statements, no startup options.
         */
        directUrl?: string;
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
  /** KLAXON_TRUST_PROXY (default false): whose X-Forwarded-For / X-Forwarded-Proto to believe. */
  trustProxy: TrustProxy;
  /**
   * KLAXON_WORKERS (default 1): server processes sharing the port (node:cluster), PostgreSQL
   * only; the embedded database can be open in one process, so PGlite ignores it (with a log line).
   */
  workers: number;
  incidents: IncidentsConfig;
  /** Single sign-on with an OpenID Connect provider; undefined when KLAXON_OIDC_ISSUER is unset. */
  sso: SsoConfig | undefined;
  /** KLAXON_SSO_ONLY / KLAXON_SSO_BREAK_GLASS_EMAIL: who may still sign in with a password. */
  passwordSignIn: PasswordSignInPolicy;
}

export interface SsoConfig {
  issuer: string;
  clientId: string;
  /** Unset for a public client (PKCE only). */
  clientSecret: string | undefined;
  /** Where the provider sends the browser back: KLAXON_OIDC_REDIRECT_URL or <public URL>/api/auth/oidc/callback. */
  redirectUrl: string;
  scopes: string;
  /** Claim name or dotted path holding the person's groups. */
  groupsClaim: string;
  /** Members of any of these groups are platform admins; when empty, SSO leaves the admin flag alone. */
  adminGroups: string[];
  teamMapping: TeamMappingEntry[];
  /** KLAXON_OIDC_ALLOW_HTTP: talk to an http:// issuer (a provider on a trusted network, or tests). */
  allowHttp: boolean;
}

export interface PasswordSignInPolicy {
  /** When true, only the break-glass account may sign in with a password. */
  ssoOnly: boolean;
  breakGlassEmail: string | undefined;
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
  /** SMS and voice providers, the country allowlist and the per-number rate limit (phone-config.ts). */
  phone?: PhoneConfig;
  /** KLAXON_NTFY_DEFAULT_SERVER (default https://ntfy.sh): the ntfy server of topics given without one. */
  ntfyDefaultServer: string;
  /** Browser push: KLAXON_VAPID_* (keys generated into the database when not given). */
  webPush?: WebPushConfig;
}

export interface WebPushConfig {
  /** KLAXON_VAPID_PUBLIC_KEY and KLAXON_VAPID_PRIVATE_KEY, base64url; both or neither. */
  keys: { publicKey: string; privateKey: string } | undefined;
  /** KLAXON_VAPID_SUBJECT: who push services contact about this sender (mailto: or https:). */
  subject: string;
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
  const publicUrl = (
    e.KLAXON_PUBLIC_URL ?? `http://${e.HOST.includes(':') ? `[${e.HOST}]` : e.HOST}:${e.PORT}`
  ).replace(/\/+$/, '');
  return {
    port: e.PORT,
    host: e.HOST,
    database:
      e.DATABASE_URL !== undefined
        ? {
            kind: 'postgres',
            url: e.DATABASE_URL,
            directUrl: e.DATABASE_DIRECT_URL,
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
    trustProxy: e.KLAXON_TRUST_PROXY,
    workers: e.KLAXON_WORKERS,
    incidents: {
      smtpUrl: e.SMTP_URL,
      smtpFrom: e.SMTP_FROM,
      publicUrl,
      actionLinkTtlMinutes: e.KLAXON_ACTION_LINK_TTL_MINUTES,
      notificationRetryLimit: e.KLAXON_NOTIFICATION_RETRY_LIMIT,
      notificationRetryDelaySeconds: e.KLAXON_NOTIFICATION_RETRY_DELAY_SECONDS,
      jobWorkers: e.KLAXON_JOB_WORKERS === 'true',
      outboundAllowedNetworks: e.KLAXON_OUTBOUND_ALLOWED_NETWORKS,
      phone: phoneConfigOf(e),
      ntfyDefaultServer: e.KLAXON_NTFY_DEFAULT_SERVER.replace(/\/+$/, ''),
      webPush: {
        keys:
          e.KLAXON_VAPID_PUBLIC_KEY === undefined || e.KLAXON_VAPID_PRIVATE_KEY === undefined
            ? undefined
            : { publicKey: e.KLAXON_VAPID_PUBLIC_KEY, privateKey: e.KLAXON_VAPID_PRIVATE_KEY },
        subject: e.KLAXON_VAPID_SUBJECT ?? defaultVapidSubject(publicUrl),
      },
    },
    sso:
      e.KLAXON_OIDC_ISSUER === undefined || e.KLAXON_OIDC_CLIENT_ID === undefined
        ? undefined
        : {
            issuer: e.KLAXON_OIDC_ISSUER,
            clientId: e.KLAXON_OIDC_CLIENT_ID,
            clientSecret: e.KLAXON_OIDC_CLIENT_SECRET,
            redirectUrl: e.KLAXON_OIDC_REDIRECT_URL ?? `${publicUrl}/api/auth/oidc/callback`,
            scopes: e.KLAXON_OIDC_SCOPES,
            groupsClaim: e.KLAXON_OIDC_GROUPS_CLAIM,
            adminGroups: e.KLAXON_OIDC_ADMIN_GROUPS,
            teamMapping: e.KLAXON_OIDC_TEAM_MAPPING,
            allowHttp: e.KLAXON_OIDC_ALLOW_HTTP === 'true',
          },
    passwordSignIn: {
      ssoOnly: e.KLAXON_SSO_ONLY === 'true',
      breakGlassEmail: e.KLAXON_SSO_BREAK_GLASS_EMAIL?.trim().toLowerCase(),
    },
  };
}

/** The public URL when it is https (push services accept no other URL), else a mailto: placeholder. */
function defaultVapidSubject(publicUrl: string): string {
  return publicUrl.startsWith('https://') ? publicUrl : 'mailto:klaxon@localhost';
}
