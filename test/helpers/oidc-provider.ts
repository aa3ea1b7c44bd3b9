import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Provider from 'oidc-provider';

/**
 * A real OpenID Connect provider (panva's `oidc-provider`, the certified implementation) on
 * loopback: one confidential client, accounts whose claims the test changes between sign-ins,
 * and the development login and consent pages, which `signInAt` fills in as a person would.
 */
export interface TestAccount {
  email: string;
  emailVerified: boolean;
  name: string;
  groups: string[];
}

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  accounts: Map<string, TestAccount>;
  /**
   * Follows the provider's redirects from `authorizationUrl`, signs in as `accountId` and
   * consents on its pages, and returns the URL the provider finally redirects the browser to.
   */
  signInAt(authorizationUrl: string, accountId: string): Promise<URL>;
  close(): Promise<void>;
}

/** A minimal cookie jar for one browser talking to one origin. */
function createCookieJar() {
  const cookies = new Map<string, string>();
  return {
    header: () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; '),
    store(response: Response) {
      for (const line of response.headers.getSetCookie()) {
        const [pair = ''] = line.split(';');
        const index = pair.indexOf('=');
        const name = pair.slice(0, index).trim();
        const value = pair.slice(index + 1).trim();
        if (value === '' || /expires=Thu, 01 Jan 1970/i.test(line)) cookies.delete(name);
        else cookies.set(name, value);
      }
    },
  };
}

export async function startTestOidcProvider(options: { redirectUri: string }): Promise<TestOidcProvider> {
  let handler: Parameters<typeof createServer>[1] = (_request, response) => response.end();
  const server: Server = createServer((request, response) => handler?.(request, response));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = 'klaxon';
  const clientSecret = 'klaxon-test-client-secret-0123456789';
  const accounts = new Map<string, TestAccount>();

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: [options.redirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name'],
      groups: ['groups'],
    },
    scopes: ['openid', 'email', 'profile', 'groups'],
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ['test-cookie-signing-key-0123456789'] },
    async findAccount(_ctx, id) {
      const account = accounts.get(id);
      if (account === undefined) return undefined;
      return {
        accountId: id,
        async claims() {
          return {
            sub: id,
            email: account.email,
            email_verified: account.emailVerified,
            name: account.name,
            groups: account.groups,
          };
        },
      };
    },
  });
  handler = provider.callback();

  return {
    issuer,
    clientId,
    clientSecret,
    accounts,
    async signInAt(authorizationUrl, accountId) {
      const jar = createCookieJar();
      let url = new URL(authorizationUrl);
      let method = 'GET';
      let body: URLSearchParams | undefined;
      for (let step = 0; step < 20; step += 1) {
        const response = await fetch(url, {
          method,
          redirect: 'manual',
          headers: {
            cookie: jar.header(),
            ...(body === undefined ? {} : { 'content-type': 'application/x-www-form-urlencoded' }),
          },
          ...(body === undefined ? {} : { body }),
        });
        jar.store(response);
        const location = response.headers.get('location');
        if (location !== null) {
          const next = new URL(location, url);
          if (next.href.startsWith(options.redirectUri)) return next;
          url = next;
          method = 'GET';
          body = undefined;
          continue;
        }
        const html = await response.text();
        if (response.status !== 200) throw new Error(`provider answered ${response.status}: ${html.slice(0, 500)}`);
        // A login or consent page of the development interactions: submit its form.
        const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
        if (action === undefined) throw new Error(`no form on the provider's page: ${html.slice(0, 500)}`);
        const prompt = /name="prompt" value="([^"]+)"/.exec(html)?.[1];
        url = new URL(action, url);
        method = 'POST';
        body =
          prompt === 'login'
            ? new URLSearchParams({ prompt: 'login', login: accountId, password: 'any' })
            : new URLSearchParams({ prompt: 'consent' });
      }
      throw new Error('too many steps at the provider');
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
