import { describe, expect, it } from 'vitest';
import { createIngestBatcher } from './ingest-batcher.js';

function recorder(options: { failWhen?: (items: number[]) => boolean; delayMs?: number } = {}) {
  const batches: number[][] = [];
  let running = 0;
  let maxRunning = 0;
  const writeBatch = async (items: number[]) => {
    batches.push(items);
    running++;
    maxRunning = Math.max(maxRunning, running);
    await new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 5));
    running--;
    if (options.failWhen?.(items)) throw new Error(`batch ${items.join(',')} failed`);
    return items.map((item) => item * 10);
  };
  return { batches, writeBatch, maxRunning: () => maxRunning };
}

describe('ingest batcher', () => {
  it('writes items submitted in the same turn as one batch, and answers each with its own result', async () => {
    const r = recorder();
    const batcher = createIngestBatcher({
      maxBatchWeight: 100,
      weigh: () => 1,
      writeBatch: r.writeBatch,
    });
    const results = await Promise.all([1, 2, 3].map((item) => batcher.submit(item)));
    expect(results).toEqual([10, 20, 30]);
    expect(r.batches).toEqual([[1, 2, 3]]);
  });

  it('gathers what arrives while a batch is being written into the next one', async () => {
    const r = recorder({ delayMs: 20 });
    const batcher = createIngestBatcher({
      maxBatchWeight: 100,
      weigh: () => 1,
      writeBatch: r.writeBatch,
    });
    const first = batcher.submit(1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const later = [2, 3, 4].map((item) => batcher.submit(item));
    await Promise.all([first, ...later]);
    expect(r.batches).toEqual([[1], [2, 3, 4]]);
  });

  it('caps a batch by weight and writes one batch at a time', async () => {
    const r = recorder();
    const batcher = createIngestBatcher({
      maxBatchWeight: 5,
      weigh: (n: number) => n,
      writeBatch: r.writeBatch,
    });
    await Promise.all([2, 2, 2, 9, 1].map((item) => batcher.submit(item)));
    expect(r.batches).toEqual([[2, 2], [2], [9], [1]]);
    expect(r.maxRunning()).toBe(1);
  });

  it('when a batch fails, retries its items one by one so only the bad one fails', async () => {
    const r = recorder({ failWhen: (items) => items.includes(13) });
    const batcher = createIngestBatcher({
      maxBatchWeight: 100,
      weigh: () => 1,
      writeBatch: r.writeBatch,
    });
    const outcomes = await Promise.allSettled([12, 13, 14].map((item) => batcher.submit(item)));
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(r.batches).toEqual([[12, 13, 14], [12], [13], [14]]);
  });
});
