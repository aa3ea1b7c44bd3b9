import { z } from 'zod';

export const setupStatusSchema = z.object({
  /** True while no user exists: the console shows the setup page instead of the sign-in form. */
  setupNeeded: z.boolean(),
  /** Only while setup is needed: which database this server runs on, and the CLI fallback for it. */
  database: z.enum(['embedded', 'postgres']).optional(),
  command: z.string().optional(),
});

export const createFirstAdminBody = z.strictObject({
  /** The token from the setup link the server printed at start-up. */
  token: z.string().min(1).max(128),
  email: z.email().max(320),
  name: z.string().trim().min(1).max(200),
  password: z.string().min(8).max(1024),
});
