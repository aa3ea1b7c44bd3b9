import { z } from 'zod';
import { API_KEY_SCOPES } from '../../core/api-keys.js';
import { displayName } from '../../lib/display-name.js';
import type { PublicApiKey } from './api-keys.service.js';

export const createApiKeyBody = z.strictObject({
  name: displayName(100),
  userId: z.uuid().optional(),
  scope: z
    .enum(API_KEY_SCOPES)
    .optional()
    .describe('`read`: GET requests only (403 on anything else); `write` (default): whatever the owner may do'),
  teamId: z.uuid().optional().describe("Limits the key to this team's resources; the owner must belong to the team"),
  expiresAt: z.iso
    .datetime({ offset: true })
    .transform((value) => new Date(value))
    .optional()
    .describe('The key stops working at this instant (in the future); default: never'),
});

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  userId: z.uuid(),
  keyPrefix: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  teamId: z.uuid().nullable(),
  expiresAt: z.string().nullable(),
  /** Updated at most once a minute per key. */
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const createdApiKeySchema = apiKeySchema.extend({ key: z.string() });

export const apiKeyIdParams = z.object({ id: z.uuid() });

export function toApiKeyDto(key: PublicApiKey): z.infer<typeof apiKeySchema> {
  return {
    id: key.id,
    name: key.name,
    userId: key.userId,
    keyPrefix: key.keyPrefix,
    scope: key.scope,
    teamId: key.teamId,
    expiresAt: key.expiresAt?.toISOString() ?? null,
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}
