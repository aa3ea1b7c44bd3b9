import { describe, expect, it } from 'vitest';
import { createWatchedCache } from './watched-cache.js';

/** A read that counts its calls and answers only when told to. */
function controlledRead(value: string) {
  let calls = 0;
  let release: () => void = () => {};
  return {
    get calls() {
      return calls;
    },
    read: () => {
      calls += 1;
      return new Promise<string>((resolve) => {
        release = () => resolve(value);
      });
    },
    release: () => release(),
  };
}

describe('createWatchedCache', () => {
  it('serves a stored value without reading again while trusted', async () => {
    const cache = createWatchedCache<string>();
    cache.setTrusted(true);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return 'row';
    };
    expect(await cache.get('a', read)).toBe('row');
    expect(await cache.get('a', read)).toBe('row');
    expect(reads).toBe(1);
  });

  it('reads every time while untrusted (the listener is not connected)', async () => {
    const cache = createWatchedCache<string>();
    let reads = 0;
    const read = async () => `row ${++reads}`;
    expect(await cache.get('a', read)).toBe('row 1');
    expect(await cache.get('a', read)).toBe('row 2');
    cache.setTrusted(true);
    expect(await cache.get('a', read)).toBe('row 3');
    cache.setTrusted(false);
    expect(await cache.get('a', read)).toBe('row 4');
  });

  it('reads again after clear()', async () => {
    const cache = createWatchedCache<string>();
    cache.setTrusted(true);
    let reads = 0;
    const read = async () => `row ${++reads}`;
    await cache.get('a', read);
    cache.clear();
    expect(await cache.get('a', read)).toBe('row 2');
  });

  it('does not store an answer whose read was under way when the cache was dropped', async () => {
    const cache = createWatchedCache<string>();
    cache.setTrusted(true);
    const stale = controlledRead('before the change');
    const pending = cache.get('a', stale.read);
    cache.clear();
    stale.release();
    expect(await pending).toBe('before the change');
    const fresh = controlledRead('after the change');
    const next = cache.get('a', fresh.read);
    fresh.release();
    expect(await next).toBe('after the change');
    expect(fresh.calls).toBe(1);
  });

  it('does not store an answer whose read began before the cache was trusted', async () => {
    const cache = createWatchedCache<string>();
    const early = controlledRead('read while nobody listened');
    const pending = cache.get('a', early.read);
    cache.setTrusted(true);
    early.release();
    await pending;
    const later = controlledRead('read while listening');
    const next = cache.get('a', later.read);
    later.release();
    expect(await next).toBe('read while listening');
  });

  it('does not store "not found"', async () => {
    const cache = createWatchedCache<string>();
    cache.setTrusted(true);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return undefined;
    };
    await cache.get('missing', read);
    await cache.get('missing', read);
    expect(reads).toBe(2);
  });
});
