export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /**
   * Takes one token from `key`'s bucket. Capacity is `perMinute` (a burst of one minute's
   * worth), refilled continuously at `perMinute / 60` per second. A new `perMinute` for a key
   * applies from this call on (tokens above the new capacity are dropped). Throws a RangeError
   * unless `perMinute` is a positive finite number.
   */
  take(key: string, perMinute: number): RateLimitDecision;
  /** Buckets currently held (for metrics and tests). */
  readonly size: number;
}

export interface RateLimiterOptions {
  /** Milliseconds; Date.now by default. */
  now?: () => number;
  /** Most buckets held at once; the least recently used is dropped beyond it. Default 10 000. */
  maxKeys?: number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
  perMinute: number;
}

const MS_PER_MINUTE = 60_000;
/** Absorbs floating-point error so waiting exactly Retry-After seconds always succeeds. */
const EPSILON = 1e-9;
/** Idle buckets examined (and dropped if full again) per call: O(1) housekeeping. */
const SWEEP_PER_CALL = 2;

/**
 * In-process token buckets per key (an integration id), O(1) per call. Memory is bounded: the
 * map is kept in least-recently-used order, each call drops up to two of the oldest buckets
 * that have refilled completely (dropping a full bucket changes nothing: a new one starts
 * full), and beyond `maxKeys` the least recently used bucket is dropped regardless.
 */
export function createRateLimiter(options: RateLimiterOptions = {}): RateLimiter {
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? 10_000;
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
  const buckets = new Map<string, Bucket>();

  function refill(bucket: Bucket, at: number): void {
    const elapsed = Math.max(0, at - bucket.updatedAt);
    bucket.tokens = Math.min(bucket.perMinute, bucket.tokens + (elapsed * bucket.perMinute) / MS_PER_MINUTE);
    bucket.updatedAt = Math.max(bucket.updatedAt, at);
  }

  function sweep(at: number): void {
    let examined = 0;
    for (const [key, bucket] of buckets) {
      if (examined++ >= SWEEP_PER_CALL) break;
      refill(bucket, at);
      if (bucket.tokens >= bucket.perMinute - EPSILON) buckets.delete(key);
      else break;
    }
  }

  return {
    get size() {
      return buckets.size;
    },
    take(key, perMinute) {
      if (!Number.isFinite(perMinute) || perMinute <= 0) {
        throw new RangeError('perMinute must be a positive finite number');
      }
      const at = now();
      sweep(at);

      let bucket = buckets.get(key);
      if (bucket === undefined) {
        bucket = { tokens: perMinute, updatedAt: at, perMinute };
      } else {
        buckets.delete(key);
        refill(bucket, at);
        if (bucket.perMinute !== perMinute) {
          bucket.perMinute = perMinute;
          bucket.tokens = Math.min(bucket.tokens, perMinute);
        }
      }
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        const oldest = buckets.keys().next();
        if (!oldest.done) buckets.delete(oldest.value);
      }

      if (bucket.tokens >= 1 - EPSILON) {
        bucket.tokens = Math.max(0, bucket.tokens - 1);
        return { allowed: true };
      }
      const waitMs = ((1 - bucket.tokens) * MS_PER_MINUTE) / perMinute;
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000 - EPSILON)) };
    },
  };
}
