import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeRoute = (url: URL, base: string) => unknown;

/**
 * A vendor REST API on loopback: GET routes by path answering JSON, the vendor's authorization
 * header required (401 otherwise), and the first request to `rateLimitOnce` answered 429 with
 * `Retry-After: 1` (as the vendors do when a client goes over its limit), the next one served.
 */
export async function startVendorApiFake(options: {
  authorization: string;
  routes: Record<string, FakeRoute>;
  rateLimitOnce: string;
  unauthorized: unknown;
}) {
  const requests: string[] = [];
  let rateLimited = 0;
  const server = createServer((request, response) => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const url = new URL(request.url ?? '/', base);
    const answer = (status: number, body: unknown, headers: Record<string, string> = {}) =>
      response.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    requests.push(`${url.pathname}${url.search}`);
    if (request.headers.authorization !== options.authorization) return answer(401, options.unauthorized);
    if (url.pathname === options.rateLimitOnce && rateLimited === 0) {
      rateLimited += 1;
      return answer(429, { message: 'Rate limit exceeded' }, { 'retry-after': '1' });
    }
    const route = options.routes[url.pathname];
    if (request.method !== 'GET' || route === undefined) return answer(404, { message: 'not found' });
    return answer(200, route(url, base));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    rateLimited: () => rateLimited,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** An ISO instant `days` from now (fixtures describe what is ahead of the import). */
export function daysFromNow(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString();
}
