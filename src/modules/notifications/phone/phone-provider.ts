import type { PhoneProviderName } from './phone-config.js';

/** What a provider said about one SMS or call it was asked to send. */
export type ProviderAnswer =
  | { ok: true; providerMessageId: string | null; status: string }
  | { ok: false; detail: string /** network errors, 429 and 5xx: worth another try later */; retryable: boolean };

/**
 * One SMS and voice vendor. Adding a vendor is one file in providers/ and a line in
 * phone-providers.ts; the dispatcher picks among them per country and fails over.
 */
export interface PhoneProvider {
  readonly name: PhoneProviderName;
  sendSms(to: string, text: string): Promise<ProviderAnswer>;
  /** A call that reads `speech` and gathers one key press; absent when the vendor has no voice. */
  call?(to: string, speech: string): Promise<ProviderAnswer>;
}

/**
 * Delivery states as providers report them, in one vocabulary. `failed`, `no-answer` and `busy`
 * end an attempt without reaching the person: the next notification rule runs at once.
 */
export const FAILED_DELIVERY_STATES = new Set(['failed', 'no-answer', 'busy']);

/** A verified provider callback, reduced to what Klaxon acts on. `key` identifies it across replays. */
export type PhoneEvent =
  | { kind: 'reply'; from: string; text: string; key: string }
  | { kind: 'keypress'; providerMessageId: string; digit: string; key: string }
  | { kind: 'status'; providerMessageId: string; status: string; detail: string | null; key: string };

const HTTP_TIMEOUT_MS = 10_000;

/**
 * One request to a vendor's API. The base URLs come from the operator's configuration (never
 * from users), so no outbound guard applies. Any failure is reported, for failover.
 */
export async function providerRequest(
  url: string,
  init: { method: string; headers: Record<string, string>; body: string },
): Promise<{ ok: true; status: number; body: unknown } | { ok: false; detail: string; retryable: boolean }> {
  try {
    const response = await fetch(url, { ...init, redirect: 'manual', signal: AbortSignal.timeout(HTTP_TIMEOUT_MS) });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    if (response.status < 200 || response.status >= 300) {
      const retryable = response.status === 429 || response.status >= 500;
      return { ok: false, detail: `HTTP ${response.status}: ${text.slice(0, 200)}`, retryable };
    }
    return { ok: true, status: response.status, body };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    const detail = `${error instanceof Error ? error.message : String(error)}${cause}`.slice(0, 300);
    return { ok: false, detail, retryable: true };
  }
}

/** A string field of a JSON answer, when there is one. */
export function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : undefined;
}
