import { randomUUID } from 'node:crypto';
import type { DatabaseHandle } from '../../db/client.js';
import { createLingeringBatch } from '../../lib/lingering-batch.js';

/** How long an announcement waits for others to go out with (see `announcements`). */
const ANNOUNCE_LINGER_MS = 20;

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
  // Announcements made within ANNOUNCE_LINGER_MS go out together, each queue named once: in a
  // storm every step schedules jobs, and a statement (a socket write, and a wake-up of every
  // listening connection) per step cost more than the notice is worth to the other processes,
  // which need it for a job that is due later or that this process will not live to run.
  const announcements = createLingeringBatch<string>({
    lingerMs: ANNOUNCE_LINGER_MS,
    max: 100,
    async flush(named) {
      const queues = [...new Set(named)];
      // One notice per queue (the payload every process reads), all in one statement.
      const notices = queues.map((_, i) => `pg_notify($1, $${i + 2})`).join(', ');
      await database.executeSql(`SELECT ${notices}`, [
        JOB_WAKEUP_CHANNEL,
        ...queues.map((queue) => `${origin} ${queue}`),
      ]);
    },
  });
  return {
    announce: async (queues) => {
      await Promise.all(queues.map((queue) => announcements.add(queue)));
    },
    async stop() {
      // What this process scheduled last is announced before it goes.
      await announcements.flush();
      await stop();
    },
  };
}
