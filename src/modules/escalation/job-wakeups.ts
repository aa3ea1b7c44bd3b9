import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '../../db/client.js';

/** NOTIFY channel on which a process says it scheduled a job; the payload is `<origin> <queue>`. */
export const JOB_WAKEUP_CHANNEL = 'klaxon_job_scheduled';

export interface JobWakeups {
  /** Tells every other process that jobs were scheduled on `queues` (sent after they are committed). */
  announce(queues: string[]): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Wake-ups between processes sharing one PostgreSQL: a step scheduled by one process re-arms
 * the timer of every other, so it fires on time even when the process that scheduled it is gone.
 * A process ignores its own notices (it woke its timer directly). After the listening connection
 * was lost, notices may have been missed: `onResync` has every timer look at the table again.
 */
export async function listenForJobWakeups(
  database: Pick<DatabaseHandle, 'listen' | 'executeSql'>,
  onWakeup: (queue: string) => void,
  onResync: () => void,
): Promise<JobWakeups> {
  const origin = randomUUID();
  const stop = await database.listen(JOB_WAKEUP_CHANNEL, {
    onMessage(payload) {
      const [from, queue] = payload.split(' ');
      if (from !== origin && queue !== undefined) onWakeup(queue);
    },
    onResync,
  });
  return {
    async announce(queues) {
      // One notice per queue (the payload every process reads), all in one statement.
      const notices = queues.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
      await database.executeSql(`SELECT ${notices}`, [
        JOB_WAKEUP_CHANNEL,
        ...queues.map((queue) => `${origin} ${queue}`),
      ]);
    },
    stop,
  };
}
