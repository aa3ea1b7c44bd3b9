import http from 'node:http';
import https from 'node:https';
import type { AttemptOutcome } from '../../core/notifications.js';
import { addressBytes, type OutboundGuard, OutboundUrlRefusedError } from '../../lib/outbound-guard.js';
import type { DeliveryResult } from './channels.js';

const HTTP_TIMEOUT_MS = 10_000;

/** 2xx sent; 408, 425, 429 and 5xx worth a retry; any other answer will not get better. */
function classifyHttp(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient_failure';
  return 'permanent_failure';
}

/**
 * POSTs through node:http(s) so the connection goes only to addresses the outbound guard allows
 * (its `lookup` sees the resolved address; literal addresses are checked here). Redirects are not
 * followed: a 3xx is an answer like any other (permanent). JSON unless `headers` says otherwise;
 * `httpStatus` is the receiver's answer, absent when there was none.
 */
export function postGuarded(guard: OutboundGuard, url: string, body: string | Buffer, headers: Record<string, string>) {
  return new Promise<DeliveryResult & { httpStatus?: number }>((resolve) => {
    const refused = (detail: string) => resolve({ outcome: 'permanent_failure', detail: `refused: ${detail}` });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return refused('not a valid URL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return refused('not an http(s) URL');
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    const reason = addressBytes(literal) === undefined ? undefined : guard.refusal(literal);
    if (reason !== undefined) return refused(reason);

    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Klaxon',
          ...headers,
        },
        lookup: guard.lookup,
        // A fresh connection per delivery: each one resolves and is checked again (no pooled
        // socket connected under an earlier answer).
        agent: false,
      },
      (response) => {
        // Only the status is kept: the body of whatever the URL points at would otherwise be
        // shown to whoever registered it (an SSRF oracle when the guard is relaxed).
        const status = response.statusCode ?? 0;
        clearTimeout(timer);
        response.destroy();
        resolve({ outcome: classifyHttp(status), detail: `HTTP ${status}`, httpStatus: status });
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${HTTP_TIMEOUT_MS / 1000} s`)),
      HTTP_TIMEOUT_MS,
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      if (error instanceof OutboundUrlRefusedError) return refused(error.message);
      // Network errors and timeouts: the receiver may be back soon.
      resolve({ outcome: 'transient_failure', detail: errorText(error) });
    });
    request.end(body);
  });
}

export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 500);
}
