import { describe, expect, it, vi } from 'vitest';
import { createLingeringBatch } from './lingering-batch.js';

describe('createLingeringBatch', () => {
  it('hands the items added within the linger to one flush, lingerMs after the first', async () => {
    vi.useFakeTimers();
    try {
      const flushes: number[][] = [];
      const batch = createLingeringBatch<number>({
        lingerMs: 50,
        max: 100,
        flush: async (items) => void flushes.push(items),
      });
      const added = [batch.add(1), batch.add(2)];
      await vi.advanceTimersByTimeAsync(49);
      expect(flushes).toEqual([]);
      void batch.add(3);
      await vi.advanceTimersByTimeAsync(1);
      expect(flushes).toEqual([[1, 2, 3]]);
      await expect(Promise.all(added)).resolves.toEqual([undefined, undefined]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('flushes at once when max items wait, and flush() writes what waits without the timer', async () => {
    const flushes: string[][] = [];
    const batch = createLingeringBatch<string>({
      lingerMs: 60_000,
      max: 2,
      flush: async (items) => void flushes.push(items),
    });
    await Promise.all([batch.add('a'), batch.add('b')]);
    expect(flushes).toEqual([['a', 'b']]);
    const third = batch.add('c');
    await batch.flush();
    await third;
    expect(flushes).toEqual([['a', 'b'], ['c']]);
  });

  it('runs one flush after another, and a failed flush rejects its own items only', async () => {
    const order: string[] = [];
    let release: () => void = () => {};
    const batch = createLingeringBatch<string>({
      lingerMs: 60_000,
      max: 1,
      flush: async ([item]) => {
        order.push(`start ${item}`);
        if (item === 'slow') await new Promise<void>((resolve) => (release = resolve));
        if (item === 'bad') throw new Error('no');
        order.push(`end ${item}`);
      },
    });
    const slow = batch.add('slow');
    const bad = batch.add('bad');
    const good = batch.add('good');
    await Promise.resolve();
    expect(order).toEqual(['start slow']);
    release();
    await expect(slow).resolves.toBeUndefined();
    await expect(bad).rejects.toThrow('no');
    await expect(good).resolves.toBeUndefined();
    expect(order).toEqual(['start slow', 'end slow', 'start bad', 'start good', 'end good']);
    await expect(batch.flush()).resolves.toBeUndefined();
  });
});
