import type { ApiKeyScope } from './api-keys.js';

/**
 * Who is acting: the user behind a request (an API key or a console session), or the CLI acting
 * as an admin. Every service decision about access starts from one.
 */
export interface Principal {
  userId: string;
  email: string;
  isPlatformAdmin: boolean;
  /** The API key that authenticated the request; null for a console session. */
  apiKeyId: string | null;
  /** The console session that authenticated the request, if any. */
  sessionId?: string | undefined;
  /**
   * Limits of the API key that authenticated the request (absent: a full key or a session).
   * A key limited to a team is never a platform admin (`isPlatformAdmin` is false); an admin's
   * such key keeps admin rights inside its team only (`ownerIsPlatformAdmin`).
   */
  keyLimits?: KeyLimits | undefined;
}

export interface KeyLimits {
  scope: ApiKeyScope;
  teamId: string | null;
  ownerIsPlatformAdmin: boolean;
}
