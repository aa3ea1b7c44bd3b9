import { z } from 'zod';
import { PASSWORD_LINK_PURPOSES } from '../../core/password-links.js';

export const passwordLinkTokenParams = z.object({ token: z.string().min(1).max(128) });

export const createdPasswordLinkSchema = z.object({
  /** The one-time link, shown once: only its hash is stored. */
  url: z.string(),
  purpose: z.enum(PASSWORD_LINK_PURPOSES),
  expiresAt: z.string(),
  /** Whether the link was emailed to the user (only when asked to). */
  emailed: z.boolean(),
  /** Why emailing failed; the link still works and can be sent by hand. */
  emailError: z.string().nullable(),
});

/** Bodyless POSTs are common; no body means no email. */
export const createPasswordLinkBody = z
  .strictObject({ email: z.boolean().default(false) })
  .nullish()
  .transform((body) => body ?? { email: false });

export const passwordLinkSchema = z.object({
  email: z.string(),
  purpose: z.enum(PASSWORD_LINK_PURPOSES),
  expiresAt: z.string(),
});

export const usePasswordLinkBody = z.strictObject({ password: z.string().min(8).max(1024) });
