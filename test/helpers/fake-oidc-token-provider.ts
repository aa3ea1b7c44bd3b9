import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';

/**
 * A provider reduced to what the code exchange needs (discovery, JWKS, token endpoint), whose
 * token endpoint serves ID tokens signed by hand with its published key, with whatever claims
 * the test chooses: what a compromised or misconfigured provider, or someone replaying another
 * client's token, would present. The token endpoint checks the client's secret and the PKCE
 * verifier against the challenge of the authorization request, as a real provider does.
 */
export interface FakeTokenProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Issues a code for an authorization request (as the provider's login page would) and returns the redirect. */
  authorize(authorizationUrl: string): URL;
  /** The claims of the next ID token, given the defaults (iss, aud, sub, nonce, iat, exp, email…). */
  idTokenClaims: (defaults: JWTPayload) => JWTPayload;
  tokenRequests: number;
  close(): Promise<void>;
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeTokenProvider(options: { redirectUri: string }): Promise<FakeTokenProvider> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'test-key', alg: 'ES256', use: 'sig' };
  const codes = new Map<string, { nonce: string; challenge: string }>();
  const state = {
    issuer: '',
    clientId: 'klaxon',
    clientSecret: 'fake-provider-client-secret',
    tokenRequests: 0,
    idTokenClaims: (defaults: JWTPayload) => defaults,
  };

  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', state.issuer);
    const json = (status: number, body: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (url.pathname === '/.well-known/openid-configuration') {
      return json(200, {
        issuer: state.issuer,
        authorization_endpoint: `${state.issuer}/authorize`,
        token_endpoint: `${state.issuer}/token`,
        jwks_uri: `${state.issuer}/jwks`,
        response_types_supported: ['code'],
        subject_types_supported: ['public'],
        id_token_signing_alg_values_supported: ['ES256'],
        code_challenge_methods_supported: ['S256'],
        token_endpoint_auth_methods_supported: ['client_secret_basic'],
      });
    }
    if (url.pathname === '/jwks') return json(200, { keys: [jwk] });
    if (url.pathname === '/token' && request.method === 'POST') {
      state.tokenRequests += 1;
      const form = new URLSearchParams(await readBody(request));
      // RFC 6749 §2.3.1: id and secret are form-urlencoded, then joined by ":" and base64-encoded.
      const basic = Buffer.from((request.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const [id = '', secret = ''] = basic.split(':').map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
      if (id !== state.clientId || secret !== state.clientSecret) return json(401, { error: 'invalid_client' });
      const grant = codes.get(form.get('code') ?? '');
      codes.delete(form.get('code') ?? '');
      const verifier = form.get('code_verifier') ?? '';
      const challenge = createHash('sha256').update(verifier).digest('base64url');
      if (grant === undefined || grant.challenge !== challenge || form.get('redirect_uri') !== options.redirectUri) {
        return json(400, { error: 'invalid_grant' });
      }
      const now = Math.floor(Date.now() / 1000);
      const claims = state.idTokenClaims({
        iss: state.issuer,
        aud: state.clientId,
        sub: 'fake-subject-1',
        nonce: grant.nonce,
        iat: now,
        exp: now + 300,
        email: 'fake.person@example.com',
        email_verified: true,
        name: 'Fake Person',
        groups: [],
      });
      const idToken = await new SignJWT(claims).setProtectedHeader({ alg: 'ES256', kid: 'test-key' }).sign(privateKey);
      return json(200, {
        access_token: 'opaque-access-token',
        token_type: 'Bearer',
        expires_in: 300,
        id_token: idToken,
      });
    }
    return json(404, { error: 'not_found' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // One object, so the test's assignments to idTokenClaims and reads of tokenRequests are live.
  return Object.assign(state, {
    authorize(authorizationUrl: string) {
      const request = new URL(authorizationUrl).searchParams;
      const code = `code-${codes.size}-${Date.now()}`;
      codes.set(code, { nonce: request.get('nonce') ?? '', challenge: request.get('code_challenge') ?? '' });
      const redirect = new URL(options.redirectUri);
      redirect.search = new URLSearchParams({ code, state: request.get('state') ?? '' }).toString();
      return redirect;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
