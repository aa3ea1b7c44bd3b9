/**
 * Group commit for ingestion. Requests that arrive while earlier batches are being written
 * wait in a queue and are written together in one transaction, so under load one commit (and
 * one round of multi-row statements) serves many requests; at low load a request is written
 * alone on the next turn of the event loop, so it waits for nothing. Each caller's promise
 * settles only after the transaction holding its own writes has committed or failed.
 *
 * One batch is written at a time: requests that arrive meanwhile make the next batch bigger
 * rather than a batch of their own. On PostgreSQL, 4 overlapping batches (until 2026-12-06) cost
 * 25–40% more of its CPU per request and no throughput (bench/README.md); PGlite has one
 * connection anyway.
 *
 * If a batch fails, its requests are retried one by one, so one bad request cannot fail the
 * others that happened to share its batch.
 */
export interface IngestBatcher<T, R> {
  submit(item: T): Promise<R>;
}

interface Waiting<T, R> {
  item: T;
  weight: number;
  resolve: (result: R) => void;
  reject: (error: unknown) => void;
}

export function createIngestBatcher<T, R>(options: {
  /** The most weight (e.g. alerts) one batch takes; a heavier single item still goes alone. */
  maxBatchWeight: number;
  weigh: (item: T) => number;
  /** Writes a batch in one transaction; returns one result per item, in order. */
  writeBatch: (items: T[]) => Promise<R[]>;
}): IngestBatcher<T, R> {
  const queue: Array<Waiting<T, R>> = [];
  let writing = false;
  let scheduled = false;

  function takeBatch(): Array<Waiting<T, R>> {
    const batch: Array<Waiting<T, R>> = [];
    let weight = 0;
    while (queue.length > 0) {
      const next = queue[0] as Waiting<T, R>;
      if (batch.length > 0 && weight + next.weight > options.maxBatchWeight) break;
      batch.push(next);
      weight += next.weight;
      queue.shift();
    }
    return batch;
  }

  async function write(batch: Array<Waiting<T, R>>): Promise<void> {
    try {
      const results = await options.writeBatch(batch.map((waiting) => waiting.item));
      for (const [index, waiting] of batch.entries()) waiting.resolve(results[index] as R);
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
      for (const waiting of batch) {
        await options.writeBatch([waiting.item]).then(
          ([result]) => waiting.resolve(result as R),
          (single: unknown) => waiting.reject(single),
        );
      }
    }
  }

  function drain(): void {
    scheduled = false;
    if (writing || queue.length === 0) return;
    writing = true;
    void write(takeBatch()).finally(() => {
      writing = false;
      drain();
    });
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, weight: Math.max(1, options.weigh(item)), resolve, reject });
        // Waiting one turn of the event loop lets requests parsed in the same turn share a batch.
        if (!scheduled && !writing) {
          scheduled = true;
          setImmediate(drain);
        }
      });
    },
  };
}
