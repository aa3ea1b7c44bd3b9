import { z } from 'zod';
import { displayName } from '../../lib/display-name.js';
import type { PublicApiKey } from './api-keys.service.js';

export const createApiKeyBody = z.strictObject({
  name: displayName(100),
  userId: z.uuid().optional(),
});

export const apiKeySchema = z.object({
  id: z.uuid(),
  name: z.string(),
  userId: z.uuid(),
  keyPrefix: z.string(),
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
    lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
    revokedAt: key.revokedAt?.toISOString() ?? null,
    createdAt: key.createdAt.toISOString(),
  };
}
