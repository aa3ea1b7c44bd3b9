import { z } from 'zod';

export const PHONE_PROVIDER_NAMES = ['twilio', 'vonage', 'sms-gateway'] as const;
export type PhoneProviderName = (typeof PHONE_PROVIDER_NAMES)[number];

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** The Twilio number (E.164) messages and calls come from. */
  from: string;
  baseUrl: string;
}

export interface VonageConfig {
  applicationId: string;
  /** PEM of the application's private key (signs the RS256 JWT of each API request). */
  privateKey: string;
  /** The account's signature secret (verifies the HS256 JWT of each webhook). */
  signatureSecret: string;
  from: string;
  baseUrl: string;
}

export interface SmsGatewayConfig {
  url: string;
  method: 'POST' | 'PUT';
  headers: Record<string, string>;
  /** JSON with `{{to}}` and `{{text}}` placeholders, filled with JSON-escaped values. */
  bodyTemplate: string;
  /** Bearer token the gateway sends with replies it forwards to Klaxon; unset: no replies. */
  inboundToken: string | undefined;
}

export interface PhoneConfig {
  /** Country calling codes numbers may have (`1`, `44`…); empty: no phone number can be added. */
  allowedCountries: string[];
  /** SMS plus calls to one number per rolling hour (verification codes included). */
  rateLimitPerHour: number;
  /** Preferred provider per country calling code; the others follow as failover. */
  providerByCountry: Record<string, PhoneProviderName>;
  twilio?: TwilioConfig | undefined;
  vonage?: VonageConfig | undefined;
  smsGateway?: SmsGatewayConfig | undefined;
}

const callingCodes = z
  .string()
  .regex(/^\s*\d{1,3}(\s*,\s*\d{1,3})*\s*$/, 'must be comma-separated country calling codes, e.g. 1,44,49')
  .transform((value) => value.split(',').map((code) => code.trim()));

const providerByCountry = z
  .string()
  .regex(
    new RegExp(
      `^\\s*\\d{1,3}\\s*=\\s*(${PHONE_PROVIDER_NAMES.join('|')})(\\s*,\\s*\\d{1,3}\\s*=\\s*(${PHONE_PROVIDER_NAMES.join('|')}))*\\s*$`,
    ),
    `must be comma-separated code=provider pairs (providers: ${PHONE_PROVIDER_NAMES.join(', ')}), e.g. 44=vonage,1=twilio`,
  )
  .transform((value): Record<string, PhoneProviderName> => {
    const preferred: Record<string, PhoneProviderName> = {};
    for (const pair of value.split(',')) {
      const [code = '', name = ''] = pair.split('=').map((part) => part.trim());
      preferred[code] = name as PhoneProviderName;
    }
    return preferred;
  });

const baseUrl = z
  .string()
  .regex(/^https?:\/\/[^/]+(\/.*)?$/, 'must be an http:// or https:// URL')
  .transform((value) => value.replace(/\/+$/, ''));
const e164 = z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +14155550100');

const headersJson = z.string().transform((value, ctx) => {
  try {
    const parsed: unknown = JSON.parse(value);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      !Array.isArray(parsed) &&
      Object.values(parsed).every((v) => typeof v === 'string')
    ) {
      return parsed as Record<string, string>;
    }
  } catch {}
  ctx.addIssue({ code: 'custom', message: 'must be a JSON object of header names to string values' });
  return z.NEVER;
});

const bodyTemplate = z.string().refine((value) => {
  try {
    JSON.parse(value.replaceAll('{{to}}', 'x').replaceAll('{{text}}', 'x'));
    return value.includes('{{to}}') && value.includes('{{text}}');
  } catch {
    return false;
  }
}, 'must be JSON containing "{{to}}" and "{{text}}" inside strings, e.g. {"to":"{{to}}","message":"{{text}}"}');

const RATE_RULE = 'must be an integer from 1 to 1000';

/** The environment variables of SMS and voice, spread into config.ts's schema. */
export const phoneEnvironment = {
  KLAXON_PHONE_ALLOWED_COUNTRIES: callingCodes.optional(),
  KLAXON_PHONE_RATE_LIMIT_PER_HOUR: z.coerce
    .number({ error: RATE_RULE })
    .int(RATE_RULE)
    .min(1, RATE_RULE)
    .max(1000, RATE_RULE)
    .default(10),
  KLAXON_PHONE_PROVIDER_BY_COUNTRY: providerByCountry.optional(),
  KLAXON_TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits')
    .optional(),
  KLAXON_TWILIO_AUTH_TOKEN: z.string().min(16, 'must be the account auth token').optional(),
  KLAXON_TWILIO_FROM: e164.optional(),
  KLAXON_TWILIO_BASE_URL: baseUrl.default('https://api.twilio.com'),
  KLAXON_VONAGE_APPLICATION_ID: z.string().min(1).optional(),
  KLAXON_VONAGE_PRIVATE_KEY: z
    .string()
    .transform((value) => value.replaceAll('\\n', '\n'))
    .refine((value) => value.includes('PRIVATE KEY-----'), 'must be the PEM private key of the Vonage application')
    .optional(),
  KLAXON_VONAGE_SIGNATURE_SECRET: z.string().min(16, 'must be the account signature secret').optional(),
  KLAXON_VONAGE_FROM: z
    .string()
    .regex(/^\+?[0-9A-Za-z]{3,15}$/, 'must be a number or a sender id')
    .optional(),
  KLAXON_VONAGE_BASE_URL: baseUrl.default('https://api.nexmo.com'),
  KLAXON_SMS_GATEWAY_URL: baseUrl.optional(),
  KLAXON_SMS_GATEWAY_METHOD: z.enum(['POST', 'PUT'], { error: 'must be POST or PUT' }).default('POST'),
  KLAXON_SMS_GATEWAY_HEADERS: headersJson.optional(),
  KLAXON_SMS_GATEWAY_BODY_TEMPLATE: bodyTemplate.default('{"to":"{{to}}","text":"{{text}}"}'),
  KLAXON_SMS_GATEWAY_INBOUND_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
};

type PhoneEnvironment = z.output<z.ZodObject<typeof phoneEnvironment>>;

const GROUPS = {
  twilio: ['KLAXON_TWILIO_ACCOUNT_SID', 'KLAXON_TWILIO_AUTH_TOKEN', 'KLAXON_TWILIO_FROM'],
  vonage: [
    'KLAXON_VONAGE_APPLICATION_ID',
    'KLAXON_VONAGE_PRIVATE_KEY',
    'KLAXON_VONAGE_SIGNATURE_SECRET',
    'KLAXON_VONAGE_FROM',
  ],
} as const;

/** A provider is configured by all of its variables or none: one missing names the variable. */
export function phoneEnvironmentIssues(env: PhoneEnvironment): Array<{ path: string; message: string }> {
  const issues: Array<{ path: string; message: string }> = [];
  for (const [provider, names] of Object.entries(GROUPS)) {
    const given = names.filter((name) => env[name] !== undefined);
    if (given.length === 0 || given.length === names.length) continue;
    for (const name of names) {
      if (env[name] === undefined) issues.push({ path: name, message: `is required to use ${provider}` });
    }
  }
  for (const [code, name] of Object.entries(env.KLAXON_PHONE_PROVIDER_BY_COUNTRY ?? {})) {
    const configured =
      name === 'sms-gateway'
        ? env.KLAXON_SMS_GATEWAY_URL
        : name === 'twilio'
          ? env.KLAXON_TWILIO_ACCOUNT_SID
          : env.KLAXON_VONAGE_APPLICATION_ID;
    if (configured === undefined) {
      issues.push({
        path: 'KLAXON_PHONE_PROVIDER_BY_COUNTRY',
        message: `names ${name} for +${code}, which is not configured`,
      });
    }
  }
  return issues;
}

export function phoneConfigOf(env: PhoneEnvironment): PhoneConfig {
  return {
    allowedCountries: env.KLAXON_PHONE_ALLOWED_COUNTRIES ?? [],
    rateLimitPerHour: env.KLAXON_PHONE_RATE_LIMIT_PER_HOUR,
    providerByCountry: env.KLAXON_PHONE_PROVIDER_BY_COUNTRY ?? {},
    twilio:
      env.KLAXON_TWILIO_ACCOUNT_SID && env.KLAXON_TWILIO_AUTH_TOKEN && env.KLAXON_TWILIO_FROM
        ? {
            accountSid: env.KLAXON_TWILIO_ACCOUNT_SID,
            authToken: env.KLAXON_TWILIO_AUTH_TOKEN,
            from: env.KLAXON_TWILIO_FROM,
            baseUrl: env.KLAXON_TWILIO_BASE_URL,
          }
        : undefined,
    vonage:
      env.KLAXON_VONAGE_APPLICATION_ID &&
      env.KLAXON_VONAGE_PRIVATE_KEY &&
      env.KLAXON_VONAGE_SIGNATURE_SECRET &&
      env.KLAXON_VONAGE_FROM
        ? {
            applicationId: env.KLAXON_VONAGE_APPLICATION_ID,
            privateKey: env.KLAXON_VONAGE_PRIVATE_KEY,
            signatureSecret: env.KLAXON_VONAGE_SIGNATURE_SECRET,
            from: env.KLAXON_VONAGE_FROM,
            baseUrl: env.KLAXON_VONAGE_BASE_URL,
          }
        : undefined,
    smsGateway:
      env.KLAXON_SMS_GATEWAY_URL === undefined
        ? undefined
        : {
            url: env.KLAXON_SMS_GATEWAY_URL,
            method: env.KLAXON_SMS_GATEWAY_METHOD,
            headers: env.KLAXON_SMS_GATEWAY_HEADERS ?? {},
            bodyTemplate: env.KLAXON_SMS_GATEWAY_BODY_TEMPLATE,
            inboundToken: env.KLAXON_SMS_GATEWAY_INBOUND_TOKEN,
          },
  };
}
