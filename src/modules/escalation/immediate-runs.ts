/**
 * Work due now, run in this process at once with at most `concurrency` in progress, instead of
 * through a job queue. `run` must not throw: it handles its own failures (by enqueueing a job).
 */
export function createImmediateRuns<T>(options: { concurrency: number; run: (item: T) => Promise<void> }) {
  const waiting: T[] = [];
  let running = 0;
  let idle: (() => void) | undefined;

  function pump(): void {
    while (running < options.concurrency && waiting.length > 0) {
      const next = waiting.shift() as T;
      running += 1;
      void options.run(next).finally(() => {
        running -= 1;
        pump();
        if (running === 0 && waiting.length === 0) idle?.();
      });
    }
  }

  return {
    run(items: T[]): void {
      waiting.push(...items);
      pump();
    },

    /**
     * Waits (bounded) for the runs in progress; those still waiting are dropped: the tables keep
     * them due, for the reconciliation of this process's successor or another process.
     */
    async stop(timeoutMs: number): Promise<void> {
      waiting.length = 0;
      if (running === 0) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        new Promise<void>((resolve) => {
          idle = resolve;
        }),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
      idle = undefined;
    },
  };
}
