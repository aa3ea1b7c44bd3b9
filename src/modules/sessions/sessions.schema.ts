import { z } from 'zod';

export const loginBody = z.strictObject({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
});

export const setPasswordBody = z.strictObject({ password: z.string().min(8).max(1024) });

export const meSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string().nullable(),
  isPlatformAdmin: z.boolean(),
  authMethod: z.enum(['session', 'api-key']),
  /** Send as the X-Klaxon-CSRF header on POST, PATCH, PUT and DELETE made with the session cookie. */
  csrfToken: z.string().nullable(),
  sessionExpiresAt: z.string().nullable(),
});

export const sessionSchema = z.object({
  id: z.uuid(),
  createdAt: z.string(),
  lastSeenAt: z.string(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  /** The session this request came with. */
  current: z.boolean(),
});
