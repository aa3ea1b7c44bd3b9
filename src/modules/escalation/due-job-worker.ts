import type PgBoss from 'pg-boss';
import type { DatabaseHandle } from '../../db/client.js';

/** The schema pg-boss keeps its job table in. */
export const JOB_SCHEMA = 'pgboss';

export interface DueJobWorkerOptions<T> {
  boss: Pick<PgBoss, 'fetch' | 'complete' | 'fail'>;
  database: Pick<DatabaseHandle, 'executeSql'>;
  queue: string;
  /** Jobs handled at once; each free slot is filled by the next fetch. */
  concurrency: number;
  /** The longest sleep without a wake-up: polling survives only as the safety net. */
  safetyNetMs: number;
  /** Past this a job counts as failed (pg-boss retries it), as pg-boss's own workers do. */
  expireInSeconds: number;
  handle: (job: PgBoss.JobWithMetadata<T>) => Promise<void>;
  log: Pick<Console, 'error'>;
}

export interface DueJobWorker {
  start(): void;
  /** Something was scheduled (here or in another process): look again for the nearest due job. */
  wake(): void;
  /** Stops fetching and waits (bounded) for the jobs in progress. */
  stop(timeoutMs: number): Promise<void>;
}

/** How soon to look again when the table says a job is due but the fetch found none (clock edge, lost race). */
const MIN_SLEEP_MS = 20;
/** After a database error, before trying again. */
const ERROR_SLEEP_MS = 1_000;

/**
 * One pg-boss queue, worked on a timer instead of a fixed poll: after each fetch it asks the
 * table when the nearest waiting job is due (by the database's clock, the one pg-boss's fetch
 * compares with) and sleeps until then, or until woken because a job was scheduled. pg-boss's
 * job table stays the durable record; the timer only decides when to fetch, and the claim
 * (`FOR UPDATE SKIP LOCKED` in pg-boss's fetch) keeps each job to one process.
 */
export function createDueJobWorker<T>(options: DueJobWorkerOptions<T>): DueJobWorker {
  const { boss, queue, concurrency } = options;
  const nextDueSql = `SELECT (extract(epoch FROM min(start_after) - now()) * 1000)::float8 AS due_in_ms
    FROM ${JOB_SCHEMA}.job WHERE name = $1 AND state < 'active'`;
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loopDone: Promise<void> = Promise.resolve();
  // A wake-up that came while the loop was busy: checked before it goes to sleep.
  let poked = false;
  let interruptSleep: (() => void) | undefined;

  function wake(): void {
    poked = true;
    interruptSleep?.();
  }

  /** Resolves after `ms`, on a wake-up, or at once when stopping. */
  function sleep(ms: number): Promise<void> {
    if (!running) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        interruptSleep = undefined;
        resolve();
      }
      interruptSleep = done;
    });
  }

  async function nextDueInMs(): Promise<number | null> {
    const { rows } = await options.database.executeSql(nextDueSql, [queue]);
    const value = (rows[0] as { due_in_ms: number | string | null } | undefined)?.due_in_ms;
    return value === null || value === undefined ? null : Number(value);
  }

  function run(job: PgBoss.JobWithMetadata<T>): void {
    let failed = false;
    const task = withinSeconds(options.handle(job), options.expireInSeconds)
      .then(
        () => boss.complete(queue, job.id),
        // The retry waits in the table with a later start; the wake-up below times it like any other job.
        (error: unknown) => {
          failed = true;
          return boss.fail(queue, job.id, { message: error instanceof Error ? error.message : String(error) });
        },
      )
      .catch((error: unknown) => options.log.error({ err: error, queue }, 'recording a job outcome failed'))
      .finally(() => {
        const slotsWereFull = inFlight.size >= concurrency;
        inFlight.delete(task);
        // Only what changes the loop's plan wakes it: a freed slot it waits for, or a retry now
        // waiting in the table. A job that simply completed while slots were free changes neither
        // what is due nor when, and waking for it cost a fetch and a due-time query per job.
        if (slotsWereFull || failed) wake();
      });
    inFlight.add(task);
  }

  /** Sleeps until the nearest due job, a wake-up, a free slot or the safety net, whichever comes first. */
  async function waitForWork(fetchedNone: boolean): Promise<void> {
    for (;;) {
      if (!running) return;
      if (inFlight.size >= concurrency) {
        // Every slot is taken: a finished job wakes the loop to fetch again.
        if (!poked) await sleep(options.safetyNetMs);
        poked = false;
        return;
      }
      poked = false;
      const dueInMs = await nextDueInMs();
      if (dueInMs !== null && dueInMs <= 0) {
        if (fetchedNone) await sleep(MIN_SLEEP_MS);
        return;
      }
      // A wake-up during the query may stand for a job the query did not see: ask again.
      if (poked) continue;
      const ms = Math.min(options.safetyNetMs, dueInMs ?? options.safetyNetMs);
      // pg-boss fetches jobs whose start is strictly before now(): one millisecond past it.
      await sleep(Math.max(MIN_SLEEP_MS, Math.ceil(ms) + 1));
      if (!poked) return;
    }
  }

  async function loop(): Promise<void> {
    while (running) {
      try {
        const free = concurrency - inFlight.size;
        const jobs = free > 0 ? await boss.fetch<T>(queue, { batchSize: free, includeMetadata: true }) : [];
        for (const job of jobs) run(job);
        // A full batch: more may be due already.
        if (free > 0 && jobs.length === free) continue;
        await waitForWork(jobs.length === 0);
      } catch (error) {
        options.log.error({ err: error, queue }, 'job queue timer failed');
        await sleep(ERROR_SLEEP_MS);
      }
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      loopDone = loop();
    },
    wake,
    async stop(timeoutMs) {
      running = false;
      wake();
      await loopDone;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled([...inFlight]),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

function withinSeconds<R>(work: Promise<R>, seconds: number): Promise<R> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`handler execution exceeded ${seconds * 1000}ms`)), seconds * 1000);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}
