import { createHmac } from 'node:crypto';

/** What the load generator sends next: a path, headers and a body. */
export interface NextRequest {
  headers: Record<string, string>;
  body: string;
}

export type RequestSource = {
  next(): NextRequest;
  /** Requests handed out so far. */
  readonly issued: number;
  /** True once a pre-signed pool ran out and started over (keys repeat from then on). */
  readonly wrapped: boolean;
  /** Alerts carried by one request (1, or 50 for Alertmanager batches). */
  readonly alertsPerRequest: number;
};

export const BODY_BYTES = 1024;
const KEY_WIDTH = 12;

/** A fixed-width key, so every body has exactly BODY_BYTES bytes. */
function key(prefix: string, index: number): string {
  return `${prefix}${String(index).padStart(KEY_WIDTH - prefix.length, '0')}`;
}

/**
 * The generic body around two occurrences of the key: `{title, dedupKey, severity, source,
 * labels, links, description}` with the description padded so the whole body is 1 KiB.
 */
function genericTemplate(): [string, string, string] {
  const head = '{"title":"Checkout latency above SLO on ';
  const middle = '","dedupKey":"';
  const tail = (description: string) =>
    `","severity":"warning","source":"klaxon-bench","labels":{"service":"checkout","env":"bench","region":"eu-west-1","team":"payments","alertname":"HighLatency"},"links":[{"href":"https://runbooks.example.com/checkout/latency","text":"Runbook"}],"description":"${description}"}`;
  const fixed = head.length + middle.length + tail('').length + 2 * KEY_WIDTH;
  const filler = 'p99 latency of the checkout service has been above 750 ms for 5 minutes. ';
  const description = filler.repeat(Math.ceil(BODY_BYTES / filler.length)).slice(0, BODY_BYTES - fixed);
  return [head, middle, tail(description)];
}

const [HEAD, MIDDLE, TAIL] = genericTemplate();

export function genericBody(dedupKey: string): string {
  return `${HEAD}${dedupKey}${MIDDLE}${dedupKey}${TAIL}`;
}

/** Deterministic PRNG (mulberry32), so `hot` sends the same key sequence every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export type KeyPattern = 'unique' | 'hot';

/**
 * The dedup keys of a run, one per request: `unique` a new key every time; `hot` 90% from 100
 * keys (deterministic), the rest new. The Alertmanager baseline posts the same sequence.
 */
export function keySequence(pattern: KeyPattern, tag: string): () => string {
  const random = prng(7);
  let index = 0;
  return () => {
    const i = index++;
    return pattern === 'hot' && random() < 0.9 ? key(`h${tag}-`, Math.floor(random() * 100)) : key(`u${tag}-`, i);
  };
}

/**
 * A pool of `size` pre-signed generic webhooks (the HMAC is computed here, before the run, so
 * signing is not on the load generator's hot path), keyed by `keySequence`.
 */
export function signedGenericPool(options: {
  secret: string;
  size: number;
  pattern: KeyPattern;
  /** Distinguishes the keys of one run from another's (and from the grown prefill). */
  tag: string;
}): RequestSource {
  const { secret, size, pattern, tag } = options;
  const keys: string[] = new Array(size);
  const signatures: string[] = new Array(size);
  const hmacKey = Buffer.from(secret, 'utf8');
  const nextKey = keySequence(pattern, tag);
  const signatureOf = new Map<string, string>();
  for (let i = 0; i < size; i++) {
    const k = nextKey();
    keys[i] = k;
    const signature = signatureOf.get(k) ?? createHmac('sha256', hmacKey).update(genericBody(k)).digest('hex');
    if (pattern === 'hot' && k.startsWith('h')) signatureOf.set(k, signature);
    signatures[i] = signature;
  }
  let issued = 0;
  let wrapped = false;
  return {
    next() {
      const index = issued % size;
      if (issued > 0 && index === 0) wrapped = true;
      issued++;
      return {
        headers: {
          'content-type': 'application/json',
          'user-agent': 'klaxon-bench/1',
          'x-webhook-signature': signatures[index] as string,
        },
        body: genericBody(keys[index] as string),
      };
    },
    get issued() {
      return issued;
    },
    get wrapped() {
      return wrapped;
    },
    alertsPerRequest: 1,
  };
}

/** A small pool cycled forever: for the ceiling and naive runs, where keys do not matter. */
export function cycledGenericPool(secret: string, size = 10_000): RequestSource {
  const pool = signedGenericPool({ secret, size, pattern: 'unique', tag: 'c' });
  return {
    next: () => pool.next(),
    get issued() {
      return pool.issued;
    },
    wrapped: false,
    alertsPerRequest: 1,
  };
}

export const BATCH_SIZE = 50;

/**
 * Alertmanager webhook payloads (version 4) of BATCH_SIZE firing alerts each, every alert a new
 * fingerprint, sent with `Authorization: Bearer <token>` (Alertmanager cannot sign, so there is no
 * signing cost to take off the hot path; bodies are assembled from pre-built parts).
 */
export function alertmanagerBatches(token: string, tag: string): RequestSource {
  const fingerprints = batchFingerprints(tag);
  const alertHead =
    '{"status":"firing","labels":{"alertname":"HighLatency","service":"checkout","severity":"warning","job":"checkout","instance":"checkout-';
  const alertMiddle =
    ':9090"},"annotations":{"summary":"Checkout latency above SLO","description":"p99 latency above 750 ms for 5 minutes"},"startsAt":"2026-01-01T00:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"http://prometheus.example.com/graph?g0.expr=latency","fingerprint":"';
  const head =
    '{"version":"4","groupKey":"{}:{alertname=\\"HighLatency\\"}","truncatedAlerts":0,"status":"firing","receiver":"klaxon","groupLabels":{"alertname":"HighLatency"},"commonLabels":{"alertname":"HighLatency"},"commonAnnotations":{},"externalURL":"http://alertmanager.example.com","alerts":[';
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'Alertmanager/0.27.0',
    authorization: `Bearer ${token}`,
  };
  let issued = 0;
  return {
    next() {
      const request = issued++;
      const parts: string[] = new Array(BATCH_SIZE);
      for (let j = 0; j < BATCH_SIZE; j++) {
        parts[j] = `${alertHead}${request}-${j}${alertMiddle}${fingerprints()}"}`;
      }
      return { headers, body: `${head}${parts.join(',')}]}` };
    },
    get issued() {
      return issued;
    },
    wrapped: false,
    alertsPerRequest: BATCH_SIZE,
  };
}

/** The fingerprints of `alertmanagerBatches`, in order: BATCH_SIZE per request, every one new. */
export function batchFingerprints(tag: string): () => string {
  let index = 0;
  return () => {
    const i = index++;
    return `${key(`b${tag}-`, Math.floor(i / BATCH_SIZE))}-${String(i % BATCH_SIZE).padStart(2, '0')}`;
  };
}
