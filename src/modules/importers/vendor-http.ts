/**
 * A small client for a vendor's REST API: one authorization header, JSON answers, and the
 * vendors' rate limits respected (429: wait for `Retry-After`, else back off, then try again).
 * The token is sent only to the origin the operator named: a pagination link that points
 * anywhere else is refused rather than followed with the token.
 */

export class VendorApiError extends Error {}

export interface VendorHttpOptions {
  baseUrl: string;
  authorization: string;
  /** Extra headers every request carries (e.g. PagerDuty's versioned Accept). */
  headers?: Record<string, string>;
  maxRetries?: number;
  sleep?: (ms: number) => Promise<void>;
}

const MAX_WAIT_MS = 60_000;

export type VendorHttp = ReturnType<typeof createVendorHttp>;

export function createVendorHttp(options: VendorHttpOptions) {
  const base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  const maxRetries = options.maxRetries ?? 5;
  const sleep = options.sleep ?? ((ms: number) => new Promise((resolve) => setTimeout(resolve, ms)));

  function resolve(pathOrUrl: string, query: Record<string, string | number> = {}): URL {
    const url = new URL(pathOrUrl.replace(/^\//, ''), base);
    if (url.origin !== base.origin) {
      throw new VendorApiError(`refusing to send the token to ${url.origin} (the API is at ${base.origin})`);
    }
    for (const [key, value] of Object.entries(query)) url.searchParams.set(key, String(value));
    return url;
  }

  function retryDelay(response: Response, attempt: number): number {
    const header = response.headers.get('retry-after');
    const seconds = header === null ? Number.NaN : Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_WAIT_MS);
    const date = header === null ? Number.NaN : Date.parse(header);
    if (Number.isFinite(date)) return Math.min(Math.max(date - Date.now(), 0), MAX_WAIT_MS);
    return Math.min(1000 * 2 ** attempt, MAX_WAIT_MS);
  }

  return {
    async get(pathOrUrl: string, query?: Record<string, string | number>): Promise<unknown> {
      const url = resolve(pathOrUrl, query);
      for (let attempt = 0; ; attempt += 1) {
        const response = await fetch(url, {
          headers: { Accept: 'application/json', ...options.headers, Authorization: options.authorization },
        });
        if (response.status === 429 && attempt < maxRetries) {
          await response.body?.cancel();
          await sleep(retryDelay(response, attempt));
          continue;
        }
        if (!response.ok) {
          const body = (await response.text()).slice(0, 300);
          throw new VendorApiError(`GET ${url.pathname} answered ${response.status}: ${body}`);
        }
        return response.json();
      }
    },
  };
}

/** Narrowing for vendor JSON: an object's fields, or an empty object. */
export function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export function list(value: unknown): Record<string, unknown>[] {
  return Array.isArray(value) ? value.map(record) : [];
}

export function text(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}
