/**
 * Items handed to `flush` together, `lingerMs` after the first of them (at once when `max` are
 * waiting), one flush after another: for records that may lag a little and cost a statement
 * each when written alone. `add` settles when its item's flush did; `flush` writes what is
 * waiting now (on stop) and settles, never rejecting, when every flush so far has.
 */
export function createLingeringBatch<I>(options: {
  lingerMs: number;
  max: number;
  flush: (items: I[]) => Promise<void>;
}) {
  let waiting: Array<{ item: I; resolve: () => void; reject: (error: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;
  let flushed: Promise<void> = Promise.resolve();

  function flush(): Promise<void> {
    clearTimeout(timer);
    timer = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length > 0) {
      flushed = flushed
        .then(() => options.flush(batch.map((entry) => entry.item)))
        .then(
          () => {
            for (const entry of batch) entry.resolve();
          },
          (error: unknown) => {
            for (const entry of batch) entry.reject(error);
          },
        );
    }
    return flushed;
  }

  return {
    add(item: I): Promise<void> {
      return new Promise<void>((resolve, reject) => {
        waiting.push({ item, resolve, reject });
        if (waiting.length >= options.max) void flush();
        else timer ??= setTimeout(flush, options.lingerMs);
      });
    },
    flush,
  };
}
