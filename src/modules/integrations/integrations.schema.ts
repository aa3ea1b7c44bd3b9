import { z } from 'zod';
import {
  INTEGRATION_TYPES,
  SIGNATURE_ALGORITHMS,
  SIGNATURE_FORMATS,
  SIGNATURE_SCHEMES,
} from '../../core/integrations.js';
import type { IntegrationRow } from '../../db/schema/index.js';

/** What an integration name may be; nothing else can name one. */
export const INTEGRATION_NAME_PATTERN = /^[a-z0-9-]{1,100}$/;

const name = z
  .string()
  .min(1)
  .max(100)
  .regex(INTEGRATION_NAME_PATTERN, 'must contain only lowercase letters, digits and dashes');

const signatureFields = {
  signatureScheme: z.enum(SIGNATURE_SCHEMES).optional(),
  signatureHeader: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be a valid HTTP header name')
    .optional(),
  signatureAlgorithm: z.enum(SIGNATURE_ALGORITHMS).optional(),
  signatureFormat: z.enum(SIGNATURE_FORMATS).optional(),
  signaturePrefix: z
    .string()
    .max(50)
    .regex(/^[\x20-\x7e]*$/, 'must be printable ASCII')
    .optional(),
  deduplicationWindowMinutes: z.number().int().min(1).max(1440).optional(),
};

const rateLimitPerMinute = z.number().int().min(1).max(10_000_000);

/** The team that takes alerts no routing rule matches; null: none. */
const defaultTeamId = z.uuid().nullable();

export const createIntegrationBody = z.strictObject({
  name,
  type: z.enum(INTEGRATION_TYPES),
  ...signatureFields,
  rateLimitPerMinute: rateLimitPerMinute.optional(),
  defaultTeamId: defaultTeamId.optional(),
});

/** Type and secret are not editable here (the secret changes only through rotate-secret). */
export const updateIntegrationBody = z.strictObject({
  name: name.optional(),
  ...signatureFields,
  rateLimitPerMinute: rateLimitPerMinute.nullable().optional(),
  isActive: z.boolean().optional(),
  defaultTeamId: defaultTeamId.optional(),
});

/** The body is optional: a bodyless POST (Fastify gives null) rotates with no grace period. */
export const rotateSecretBody = z
  .strictObject({ gracePeriodMinutes: z.number().int().min(0).max(10_080).default(0) })
  .nullish()
  .transform((body) => body ?? { gracePeriodMinutes: 0 });

export const integrationIdParams = z.object({ id: z.uuid() });

/** The public shape. Built field by field, so no secret material can reach it. */
export const integrationSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  type: z.enum(INTEGRATION_TYPES),
  signatureScheme: z.enum(SIGNATURE_SCHEMES),
  signatureHeader: z.string(),
  signatureAlgorithm: z.enum(SIGNATURE_ALGORITHMS),
  signatureFormat: z.enum(SIGNATURE_FORMATS),
  signaturePrefix: z.string(),
  deduplicationWindowMinutes: z.number().int(),
  rateLimitPerMinute: z.number().int(),
  isActive: z.boolean(),
  defaultTeamId: z.uuid().nullable(),
  secretPrefix: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const integrationWithCountsSchema = integrationSchema.extend({
  alertCount: z.number().int(),
  webhookCount: z.number().int(),
});

export const integrationWithSecretSchema = integrationWithCountsSchema.extend({
  webhookSecret: z.string(),
  standardWebhooksSecret: z.string().optional(),
  webhook_url: z.string(),
  warning: z.string(),
});

export type IntegrationDto = z.infer<typeof integrationSchema>;

export function toIntegrationDto(row: IntegrationRow, defaultRateLimitPerMinute: number): IntegrationDto {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    signatureScheme: row.signatureScheme,
    signatureHeader: row.signatureHeader,
    signatureAlgorithm: row.signatureAlgorithm,
    signatureFormat: row.signatureFormat,
    signaturePrefix: row.signaturePrefix,
    deduplicationWindowMinutes: row.deduplicationWindowMinutes,
    rateLimitPerMinute: row.rateLimitPerMinute ?? defaultRateLimitPerMinute,
    isActive: row.isActive,
    defaultTeamId: row.defaultTeamId,
    secretPrefix: row.secretPrefix,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
