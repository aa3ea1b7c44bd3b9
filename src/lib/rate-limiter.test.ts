import { describe, expect, it } from 'vitest';
import { cpuTimeMs } from '../../test/helpers/cpu-time.js';
import { createRateLimiter } from './rate-limiter.js';

function clock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

function takeMany(limiter: ReturnType<typeof createRateLimiter>, key: string, perMinute: number, n: number) {
  let allowed = 0;
  for (let i = 0; i < n; i++) if (limiter.take(key, perMinute).allowed) allowed++;
  return allowed;
}

describe('createRateLimiter', () => {
  it.each([
    { perMinute: 1, retryAfter: 60 },
    { perMinute: 2, retryAfter: 30 },
    { perMinute: 7, retryAfter: 9 }, // 8.57 s rounded up
    { perMinute: 60, retryAfter: 1 },
    { perMinute: 600, retryAfter: 1 }, // 0.1 s, but never below 1
    { perMinute: 100_000, retryAfter: 1 },
  ])('allows a burst of $perMinute, then refuses with Retry-After $retryAfter', ({ perMinute, retryAfter }) => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    expect(takeMany(limiter, 'a', perMinute, perMinute)).toBe(perMinute);
    expect(limiter.take('a', perMinute)).toEqual({ allowed: false, retryAfterSeconds: retryAfter });
  });

  it.each([1, 2, 7, 60, 600, 100_000])(
    'with %i per minute, waiting exactly Retry-After seconds is enough and one second less is not',
    (perMinute) => {
      const c = clock();
      const limiter = createRateLimiter({ now: c.now });
      takeMany(limiter, 'a', perMinute, perMinute);
      const refused = limiter.take('a', perMinute);
      if (refused.allowed) throw new Error('expected a refusal');
      if (refused.retryAfterSeconds > 1) {
        c.advance((refused.retryAfterSeconds - 1) * 1000);
        expect(limiter.take('a', perMinute).allowed).toBe(false);
        c.advance(1000);
      } else {
        c.advance(1000);
      }
      expect(limiter.take('a', perMinute)).toEqual({ allowed: true });
    },
  );

  it('Retry-After shrinks as the bucket refills', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    limiter.take('a', 1);
    c.advance(10_000);
    expect(limiter.take('a', 1)).toEqual({ allowed: false, retryAfterSeconds: 50 });
    c.advance(49_500);
    expect(limiter.take('a', 1)).toEqual({ allowed: false, retryAfterSeconds: 1 });
    c.advance(500);
    expect(limiter.take('a', 1)).toEqual({ allowed: true });
  });

  it('refills at perMinute/60 per second, up to the capacity only', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    expect(takeMany(limiter, 'a', 120, 120)).toBe(120);
    c.advance(5_000); // 10 tokens
    expect(takeMany(limiter, 'a', 120, 20)).toBe(10);
    c.advance(10 * 60_000); // idle far longer than a minute: capped at 120
    expect(takeMany(limiter, 'a', 120, 200)).toBe(120);
  });

  it('sustains exactly the configured rate over time', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    let allowed = takeMany(limiter, 'a', 60, 60); // the burst
    for (let s = 0; s < 120; s++) {
      c.advance(1000);
      allowed += takeMany(limiter, 'a', 60, 5);
    }
    expect(allowed).toBe(60 + 120);
  });

  it('keeps keys independent', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    expect(takeMany(limiter, 'a', 3, 3)).toBe(3);
    expect(limiter.take('a', 3).allowed).toBe(false);
    expect(takeMany(limiter, 'b', 3, 3)).toBe(3);
    expect(limiter.take('b', 3).allowed).toBe(false);
    expect(limiter.take('c', 3).allowed).toBe(true);
  });

  it('applies a lowered limit at once (tokens above the new capacity are dropped)', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    expect(takeMany(limiter, 'a', 100, 10)).toBe(10); // 90 left
    expect(takeMany(limiter, 'a', 5, 10)).toBe(5);
    expect(limiter.take('a', 5)).toEqual({ allowed: false, retryAfterSeconds: 12 });
  });

  it('applies a raised limit at once (the refill rate and the capacity grow)', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    expect(takeMany(limiter, 'a', 1, 2)).toBe(1);
    c.advance(1000);
    // At 1/min one second gives 1/60 token; at 600/min it gives 10.
    expect(limiter.take('a', 600).allowed).toBe(false);
    c.advance(1000);
    expect(takeMany(limiter, 'a', 600, 20)).toBe(10);
    c.advance(10 * 60_000);
    expect(takeMany(limiter, 'a', 600, 700)).toBe(600);
  });

  it('does not hand out tokens when the clock goes backwards', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    takeMany(limiter, 'a', 2, 2);
    c.advance(-60_000);
    expect(limiter.take('a', 2).allowed).toBe(false);
    c.advance(60_000);
    expect(limiter.take('a', 2).allowed).toBe(false);
    c.advance(30_000);
    expect(limiter.take('a', 2).allowed).toBe(true);
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY])('refuses perMinute = %s', (perMinute) => {
    const limiter = createRateLimiter();
    expect(() => limiter.take('a', perMinute)).toThrow(RangeError);
  });

  it('keeps at most maxKeys buckets, dropping the least recently used', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now, maxKeys: 3 });
    for (const key of ['a', 'b', 'c']) limiter.take(key, 1);
    limiter.take('a', 1); // a is now the most recently used (and refused)
    limiter.take('d', 1); // evicts b
    expect(limiter.size).toBe(3);
    expect(limiter.take('a', 1).allowed).toBe(false); // a kept its empty bucket
    expect(limiter.take('c', 1).allowed).toBe(false); // c too
    expect(limiter.take('b', 1).allowed).toBe(true); // b was evicted and starts full
  });

  it('drops idle buckets once they are full again, without losing state of busy ones', () => {
    const c = clock();
    const limiter = createRateLimiter({ now: c.now });
    for (let i = 0; i < 1000; i++) limiter.take(`idle-${i}`, 60);
    expect(limiter.size).toBe(1000);
    c.advance(60_000); // all refilled
    takeMany(limiter, 'busy', 60, 60);
    expect(limiter.size).toBeLessThan(1000);
    for (let i = 0; i < 600; i++) limiter.take('busy', 60); // keeps sweeping, two per call
    expect(limiter.size).toBe(1);
    expect(limiter.take('busy', 60).allowed).toBe(false);
  });

  it('uses Date.now by default', () => {
    const limiter = createRateLimiter();
    expect(limiter.take('a', 1)).toEqual({ allowed: true });
    expect(limiter.take('a', 1)).toMatchObject({ allowed: false });
  });

  it('is fast enough for 100 000 calls per minute on a few keys', () => {
    const limiter = createRateLimiter();
    const start = cpuTimeMs();
    for (let i = 0; i < 100_000; i++) limiter.take(`k${i % 10}`, 1_000_000);
    expect(cpuTimeMs() - start).toBeLessThan(1000);
  });
});
