import { createImmediateRuns } from './immediate-runs.js';

/**
 * Sends that are due now, run in this process at once instead of through the send queue.
 *
 * A send job cost pg-boss an insert, a fetch and a completion, and the wait for the send worker to
 * fetch it: in a storm of pages on the embedded database that was about a fifth of the CPU per
 * page (bench/README.md, 2026-12-07). Nothing durable is lost without the job: the notification
 * row is the record — pending until claimed, then sending under a lease that expires — and the
 * periodic reconciliation enqueues a send job for any row left pending or with its lease run
 * out (a crash before or during the send). A transient failure becomes a send job due after the
 * retry delay, which continues pg-boss's backoff; the sender's claim keeps each row to one send.
 */

export interface ImmediateSend {
  notificationId: string;
  /** The id its send job would have had: a retry is enqueued under it. */
  jobId: string;
}

export interface ImmediateSendsOptions {
  /** Sends in progress at once (the send queue's own concurrency). */
  concurrency: number;
  /** The sender (notification-sender.ts): throws after recording a transient failure that is not the last try. */
  send: (notificationId: string, isLastTry: boolean) => Promise<void>;
  /** Retries after the first attempt; with none, the first attempt is the last. */
  retryLimit: number;
  /** Enqueues the rest of a failed send's tries as a job. */
  retryLater: (send: ImmediateSend) => Promise<void>;
  log: Pick<Console, 'error'>;
}

export function createImmediateSends(options: ImmediateSendsOptions) {
  return createImmediateRuns<ImmediateSend>({
    concurrency: options.concurrency,
    async run(send) {
      try {
        await options.send(send.notificationId, options.retryLimit === 0);
      } catch {
        // A transient failure (recorded on the row, still pending) or an error before the send.
        // Either way the row is pending or its lease runs out, so if this enqueue fails too the
        // reconciliation enqueues it.
        await options.retryLater(send).catch((error: unknown) => {
          options.log.error(
            { err: error, notificationId: send.notificationId },
            'could not schedule the retry of a send',
          );
        });
      }
    },
  });
}
