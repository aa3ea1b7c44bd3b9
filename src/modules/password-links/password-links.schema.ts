import { z } from 'zod';
import { PASSWORD_LINK_PURPOSES } from '../../db/schema/index.js';

export const passwordLinkTokenParams = z.object({ token: z.string().min(1).max(128) });

export const createdPasswordLinkSchema = z.object({
  /** The one-time link, shown once: only its hash is stored. */
  url: z.string(),
  purpose: z.enum(PASSWORD_LINK_PURPOSES),
  expiresAt: z.string(),
});

export const passwordLinkSchema = z.object({
  email: z.string(),
  purpose: z.enum(PASSWORD_LINK_PURPOSES),
  expiresAt: z.string(),
});

export const usePasswordLinkBody = z.strictObject({ password: z.string().min(8).max(1024) });
