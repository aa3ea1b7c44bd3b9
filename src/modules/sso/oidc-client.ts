import * as oidc from 'openid-client';
import type { SsoConfig } from '../../config.js';
import { AppError } from '../../lib/errors.js';

/** What Klaxon reads about a person once the provider's ID token has been validated. */
export interface VerifiedIdentity {
  issuer: string;
  subject: string;
  /** The ID token's claims merged over the UserInfo endpoint's, when that endpoint was asked. */
  claims: Record<string, unknown>;
}

export interface LoginChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
}

type ClientSettings = Pick<
  SsoConfig,
  'issuer' | 'clientId' | 'clientSecret' | 'redirectUrl' | 'scopes' | 'allowHttp' | 'groupsClaim'
>;

// Network failures and timeouts mean "try again later"; every other failure is the provider,
// or someone in between, presenting a response that does not prove who signed in.
const UNAVAILABLE_CODES = new Set([undefined, 'OAUTH_TIMEOUT', 'OAUTH_ABORT', 'OAUTH_RESPONSE_IS_NOT_CONFORM']);

function isUnavailable(error: unknown): boolean {
  return error instanceof oidc.ClientError && UNAVAILABLE_CODES.has(error.code);
}

/**
 * The OpenID Connect relying party, on `openid-client`: discovery (cached once it succeeds),
 * the authorization URL with PKCE (S256), state and nonce, and the code exchange whose ID token
 * openid-client validates (signature from the provider's JWKS, issuer, audience, expiry, nonce).
 */
export function createOidcClient(settings: ClientSettings) {
  let configuration: Promise<oidc.Configuration> | undefined;

  function configure(): Promise<oidc.Configuration> {
    configuration ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        { redirect_uris: [settings.redirectUrl], response_types: ['code'] },
        settings.clientSecret === undefined ? oidc.None() : oidc.ClientSecretBasic(settings.clientSecret),
        settings.allowHttp ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((error: unknown) => {
        // Not cached: the next sign-in tries discovery again.
        configuration = undefined;
        throw new AppError('sso-provider-unavailable', 'The identity provider’s discovery document could not be read', {
          cause: error,
        });
      });
    return configuration;
  }

  return {
    async authorizationUrl(checks: LoginChecks): Promise<URL> {
      const config = await configure();
      return oidc.buildAuthorizationUrl(config, {
        redirect_uri: settings.redirectUrl,
        scope: settings.scopes,
        state: checks.state,
        nonce: checks.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(checks.codeVerifier),
        code_challenge_method: 'S256',
      });
    },

    /** Exchanges the code in `callbackUrl`; throws `sso-rejected` unless the ID token checks out. */
    async exchange(callbackUrl: URL, checks: LoginChecks): Promise<VerifiedIdentity> {
      const config = await configure();
      try {
        const tokens = await oidc.authorizationCodeGrant(config, callbackUrl, {
          expectedState: checks.state,
          expectedNonce: checks.nonce,
          pkceCodeVerifier: checks.codeVerifier,
          idTokenExpected: true,
        });
        const idToken = tokens.claims();
        if (idToken === undefined) throw new AppError('sso-rejected', 'The provider returned no ID token');
        let claims: Record<string, unknown> = { ...idToken };
        // Some providers put email or groups only in UserInfo (Keycloak without a mapper, Okta's
        // default groups claim); it is asked only when the ID token lacks them.
        const missing = claims.email === undefined || claims[settings.groupsClaim.split('.')[0] ?? ''] === undefined;
        if (missing && config.serverMetadata().userinfo_endpoint !== undefined) {
          const userInfo = await oidc.fetchUserInfo(config, tokens.access_token, idToken.sub);
          claims = { ...userInfo, ...claims };
        }
        return { issuer: idToken.iss, subject: idToken.sub, claims };
      } catch (error) {
        if (error instanceof AppError) throw error;
        if (isUnavailable(error)) {
          throw new AppError('sso-provider-unavailable', 'The identity provider did not answer', { cause: error });
        }
        throw new AppError('sso-rejected', describeRejection(error), { cause: error });
      }
    },
  };
}

export type OidcClient = ReturnType<typeof createOidcClient>;

/** A short, safe reason: the provider's error code or openid-client's check that failed, never a token. */
function describeRejection(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError) {
    return `The provider answered ${error.error}`;
  }
  if (error instanceof oidc.ClientError) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `The provider's response failed validation (${error.message}${cause})`;
  }
  return 'The provider’s response failed validation';
}
