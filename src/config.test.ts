import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const MASTER_KEY = 'ab'.repeat(32);

function failure(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  return expect.fail(`expected ${JSON.stringify(env)} to be rejected`);
}

describe('loadConfig', () => {
  it('defaults to the embedded database under ./data on 127.0.0.1:3000', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '127.0.0.1',
      database: { kind: 'pglite', dataDir: './data' },
      dataDir: './data',
      masterKeyHex: undefined,
      bodyLimitBytes: 512 * 1024,
      requestTimeoutMs: 30_000,
      webhookRateLimitPerMinute: 120_000,
      deliveryRetentionDays: 30,
      passwordLinkTtlHours: 24,
      logLevel: 'info',
      workers: 1,
      incidents: {
        smtpUrl: undefined,
        smtpFrom: 'Klaxon <klaxon@localhost>',
        publicUrl: 'http://127.0.0.1:3000',
        actionLinkTtlMinutes: 1440,
        notificationRetryLimit: 5,
        notificationRetryDelaySeconds: 30,
        jobWorkers: true,
        outboundAllowedNetworks: [],
        phone: {
          allowedCountries: [],
          rateLimitPerHour: 10,
          providerByCountry: {},
          smsGateway: undefined,
          twilio: undefined,
          vonage: undefined,
        },
        ntfyDefaultServer: 'https://ntfy.sh',
        webPush: { keys: undefined, subject: 'mailto:klaxon@localhost' },
      },
      trustProxy: false,
      sso: undefined,
      passwordSignIn: { ssoOnly: false, breakGlassEmail: undefined },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgresql://klaxon@db:5432/klaxon',
      DATABASE_DIRECT_URL: 'postgresql://klaxon@db-direct:5432/klaxon',
      DATABASE_POOL_SIZE: '25',
      DATABASE_CONNECT_TIMEOUT_MS: '2000',
      DATABASE_STATEMENT_TIMEOUT_MS: '9000',
      KLAXON_REQUEST_TIMEOUT_MS: '12000',
      KLAXON_DATA_DIR: '/var/lib/klaxon',
      KLAXON_MASTER_KEY: MASTER_KEY.toUpperCase(),
      KLAXON_BODY_LIMIT_BYTES: '1048576',
      KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE: '600',
      KLAXON_DELIVERY_RETENTION_DAYS: '7',
      KLAXON_PASSWORD_LINK_TTL_HOURS: '72',
      SMTP_URL: 'smtp://mailer:secret@mail.example.com:587',
      SMTP_FROM: 'Pager <pager@example.com>',
      KLAXON_PUBLIC_URL: 'https://klaxon.example.com/',
      KLAXON_ACTION_LINK_TTL_MINUTES: '60',
      KLAXON_NOTIFICATION_RETRY_LIMIT: '0',
      KLAXON_NOTIFICATION_RETRY_DELAY_SECONDS: '5',
      KLAXON_JOB_WORKERS: 'false',
      KLAXON_WORKERS: '4',
      KLAXON_OUTBOUND_ALLOWED_NETWORKS: '10.20.0.0/16, 192.0.2.7',
      KLAXON_OIDC_ISSUER: 'https://sso.example.com/realms/ops',
      KLAXON_OIDC_CLIENT_ID: 'klaxon',
      KLAXON_OIDC_CLIENT_SECRET: 'client-secret',
      KLAXON_OIDC_SCOPES: 'openid email profile groups',
      KLAXON_OIDC_GROUPS_CLAIM: 'realm_access.roles',
      KLAXON_OIDC_ADMIN_GROUPS: 'klaxon-admins, ops-leads',
      KLAXON_OIDC_TEAM_MAPPING: '/eng/sre=SRE:manager, dba=Data Stores',
      KLAXON_SSO_ONLY: 'true',
      KLAXON_SSO_BREAK_GLASS_EMAIL: 'Root@Example.com',
      KLAXON_NTFY_DEFAULT_SERVER: 'https://ntfy.example.com/',
      LOG_LEVEL: 'debug',
    });
    expect(config).toEqual({
      port: 8080,
      host: '0.0.0.0',
      database: {
        kind: 'postgres',
        url: 'postgresql://klaxon@db:5432/klaxon',
        directUrl: 'postgresql://klaxon@db-direct:5432/klaxon',
        poolSize: 25,
        connectTimeoutMs: 2000,
        statementTimeoutMs: 9000,
      },
      dataDir: '/var/lib/klaxon',
      masterKeyHex: MASTER_KEY,
      bodyLimitBytes: 1_048_576,
      requestTimeoutMs: 12_000,
      webhookRateLimitPerMinute: 600,
      deliveryRetentionDays: 7,
      passwordLinkTtlHours: 72,
      logLevel: 'debug',
      workers: 4,
      incidents: {
        smtpUrl: 'smtp://mailer:secret@mail.example.com:587',
        smtpFrom: 'Pager <pager@example.com>',
        publicUrl: 'https://klaxon.example.com',
        actionLinkTtlMinutes: 60,
        notificationRetryLimit: 0,
        notificationRetryDelaySeconds: 5,
        jobWorkers: false,
        outboundAllowedNetworks: [
          { bytes: [10, 20, 0, 0], prefix: 16 },
          { bytes: [192, 0, 2, 7], prefix: 32 },
        ],
        phone: {
          allowedCountries: [],
          rateLimitPerHour: 10,
          providerByCountry: {},
          smsGateway: undefined,
          twilio: undefined,
          vonage: undefined,
        },
        ntfyDefaultServer: 'https://ntfy.example.com',
        webPush: { keys: undefined, subject: 'https://klaxon.example.com' },
      },
      trustProxy: false,
      sso: {
        issuer: 'https://sso.example.com/realms/ops',
        clientId: 'klaxon',
        clientSecret: 'client-secret',
        redirectUrl: 'https://klaxon.example.com/api/auth/oidc/callback',
        scopes: 'openid email profile groups',
        groupsClaim: 'realm_access.roles',
        adminGroups: ['klaxon-admins', 'ops-leads'],
        teamMapping: [
          { group: '/eng/sre', team: 'SRE', role: 'manager' },
          { group: 'dba', team: 'Data Stores', role: 'member' },
        ],
        allowHttp: false,
      },
      passwordSignIn: { ssoOnly: true, breakGlassEmail: 'root@example.com' },
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '', LOG_LEVEL: '' })).toMatchObject({
      port: 3000,
      database: { kind: 'pglite' },
      logLevel: 'info',
    });
  });

  it.each([
    ['PORT', { PORT: 'abc' }, 'must be an integer from 0 to 65535'],
    ['PORT', { PORT: '70000' }, 'must be an integer from 0 to 65535'],
    ['PORT', { PORT: '80.5' }, 'must be an integer from 0 to 65535'],
    ['LOG_LEVEL', { LOG_LEVEL: 'loud' }, 'must be one of fatal, error, warn, info, debug, trace, silent'],
    ['KLAXON_MASTER_KEY', { KLAXON_MASTER_KEY: 'short' }, 'must be 32 bytes written as 64 hex characters'],
    ['KLAXON_MASTER_KEY', { KLAXON_MASTER_KEY: 'z'.repeat(64) }, 'must be 32 bytes written as 64 hex characters'],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x', KLAXON_MASTER_KEY: MASTER_KEY }, 'must be a postgres:// or'],
    [
      'DATABASE_DIRECT_URL',
      { DATABASE_URL: 'postgres://x/y', DATABASE_DIRECT_URL: 'mysql://x', KLAXON_MASTER_KEY: MASTER_KEY },
      'must be a postgres:// or',
    ],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '0' }, 'must be a positive integer'],
    ['DATABASE_POOL_SIZE', { DATABASE_POOL_SIZE: '5000' }, 'must be at most 1000'],
    ['KLAXON_BODY_LIMIT_BYTES', { KLAXON_BODY_LIMIT_BYTES: '-1' }, 'must be a positive integer'],
    ['KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE', { KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE: 'lots' }, 'must be a positive'],
    ['KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE', { KLAXON_WEBHOOK_RATE_LIMIT_PER_MINUTE: '1e9' }, 'must be at most'],
    ['KLAXON_DELIVERY_RETENTION_DAYS', { KLAXON_DELIVERY_RETENTION_DAYS: '0' }, 'must be a positive integer'],
    ['KLAXON_DELIVERY_RETENTION_DAYS', { KLAXON_DELIVERY_RETENTION_DAYS: '4000' }, 'must be at most 3650'],
    ['KLAXON_WORKERS', { KLAXON_WORKERS: '0' }, 'must be a positive integer'],
    ['KLAXON_WORKERS', { KLAXON_WORKERS: '100' }, 'must be at most 64'],
    [
      'KLAXON_VAPID_PUBLIC_KEY',
      { KLAXON_VAPID_PUBLIC_KEY: 'AAAA', KLAXON_VAPID_PRIVATE_KEY: 'A'.repeat(43) },
      'must be',
    ],
    ['KLAXON_VAPID_PRIVATE_KEY', { KLAXON_VAPID_PUBLIC_KEY: `B${'A'.repeat(86)}` }, 'is required with the other'],
    ['KLAXON_VAPID_SUBJECT', { KLAXON_VAPID_SUBJECT: 'http://klaxon.example.com' }, 'must be a mailto: address'],
  ])('rejects a bad %s with one readable line naming it (%j)', (variable, env, rule) => {
    const error = failure(env);
    expect(error.message).not.toContain('\n');
    expect(error.message.startsWith(`Invalid configuration: ${variable} ${rule}`), error.message).toBe(true);
    // The message names the offending variable and no other.
    const named = ['PORT', 'LOG_LEVEL', 'KLAXON_MASTER_KEY', 'DATABASE_URL', 'DATABASE_POOL_SIZE'].filter(
      (name) => name !== variable && new RegExp(`\\b${name}\\b`).test(error.message),
    );
    expect(named).toEqual([]);
  });

  it('refuses DATABASE_DIRECT_URL without DATABASE_URL, the pooled address it goes with', () => {
    const error = failure({ DATABASE_DIRECT_URL: 'postgres://klaxon@db/klaxon' });
    expect(error.message).toBe(
      'Invalid configuration: DATABASE_DIRECT_URL needs DATABASE_URL (the pooled address) to be set too',
    );
  });

  it('requires KLAXON_MASTER_KEY with DATABASE_URL, and says how to make one', () => {
    const error = failure({ DATABASE_URL: 'postgres://klaxon@db/klaxon' });
    expect(error.message).toMatch(/^Invalid configuration: KLAXON_MASTER_KEY is required when DATABASE_URL is set/);
    expect(error.message).toContain('openssl rand -hex 32');
  });

  it('refuses an http:// OpenID issuer unless KLAXON_OIDC_ALLOW_HTTP=true, and SSO-only mode without an issuer', () => {
    const sso = { KLAXON_OIDC_ISSUER: 'http://127.0.0.1:9000', KLAXON_OIDC_CLIENT_ID: 'klaxon' };
    expect(failure(sso).message).toMatch(/^Invalid configuration: KLAXON_OIDC_ISSUER must be an https:\/\/ URL/);
    expect(loadConfig({ ...sso, KLAXON_OIDC_ALLOW_HTTP: 'true' }).sso?.allowHttp).toBe(true);
    expect(failure({ KLAXON_OIDC_ISSUER: 'https://sso.example.com' }).message).toMatch(
      /KLAXON_OIDC_CLIENT_ID is required/,
    );
    expect(failure({ KLAXON_SSO_ONLY: 'true' }).message).toMatch(/KLAXON_SSO_ONLY needs KLAXON_OIDC_ISSUER/);
    expect(failure({ KLAXON_OIDC_TEAM_MAPPING: 'sre' }).message).toMatch(/KLAXON_OIDC_TEAM_MAPPING must be/);
  });
});
