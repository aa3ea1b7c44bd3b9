import { z } from 'zod';

export const authMethodsSchema = z.object({
  /** Whether "Sign in with SSO" is offered. */
  sso: z.boolean(),
  /** Whether passwords are refused for everyone but the break-glass account (KLAXON_SSO_ONLY). */
  ssoOnly: z.boolean(),
  /** Where the browser goes to start single sign-on; null when it is not configured. */
  ssoLoginUrl: z.string().nullable(),
});

/**
 * What the provider sends back (RFC 6749 §4.1.2, RFC 9207 `iss`). Documented, and loose: the
 * whole query goes to openid-client, and providers add their own parameters (Keycloak's
 * `session_state`).
 */
export const callbackQuery = z.looseObject({
  code: z.string().max(4096).optional(),
  state: z.string().max(512).optional(),
  iss: z.string().max(2048).optional(),
  error: z.string().max(256).optional(),
  error_description: z.string().max(2048).optional(),
});
