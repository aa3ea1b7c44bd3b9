import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseHandle } from '../src/db/client.js';
import { createTestDatabase, testDatabaseKind } from './helpers/database.js';

/** Collects what a LISTEN delivers, with a way to wait for the next message. */
function recorder() {
  const messages: string[] = [];
  let resyncs = 0;
  const waiters: Array<() => void> = [];
  const wake = () => {
    for (const waiter of waiters.splice(0)) waiter();
  };
  return {
    messages,
    get resyncs() {
      return resyncs;
    },
    handlers: {
      onMessage(payload: string) {
        messages.push(payload);
        wake();
      },
      onResync() {
        resyncs += 1;
        wake();
      },
    },
    async until(condition: () => boolean, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (!condition()) {
        if (Date.now() > deadline) throw new Error('timed out waiting for a notification');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
  };
}

describe('DatabaseHandle.listen', () => {
  let database: DatabaseHandle;
  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await database.close();
  });

  it('delivers a NOTIFY on its channel and nothing from other channels', async () => {
    const received = recorder();
    const stop = await database.listen('klaxon_test', received.handlers);
    await database.executeSql('SELECT pg_notify($1, $2)', ['other_channel', 'ignored']);
    await database.executeSql('SELECT pg_notify($1, $2)', ['klaxon_test', 'hello']);
    await received.until(() => received.messages.length > 0);
    expect(received.messages).toEqual(['hello']);
    await stop();
  });

  it('delivers a NOTIFY sent inside a transaction only when it commits', async () => {
    const received = recorder();
    const stop = await database.listen('klaxon_test', received.handlers);
    await database.db
      .transaction(async (tx) => {
        await tx.execute(sql`SELECT pg_notify('klaxon_test', 'rolled back')`);
        tx.rollback();
      })
      .catch(() => {});
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_notify('klaxon_test', 'committed')`);
    });
    await received.until(() => received.messages.length > 0);
    expect(received.messages).toEqual(['committed']);
    await stop();
  });

  it('stops delivering once stopped', async () => {
    const received = recorder();
    const stop = await database.listen('klaxon_test', received.handlers);
    // A second listener that stays: a NOTIFY sent after the late one reaches it only once the late
    // one has been dealt with (PGlite delivers each statement's notifications when the statement
    // returns; a stopped PostgreSQL listener's connection is closed), so no pause has to guess how
    // long "nothing arrives" takes.
    const probe = recorder();
    const stopProbe = await database.listen('klaxon_probe', probe.handlers);
    await stop();
    await database.executeSql('SELECT pg_notify($1, $2)', ['klaxon_test', 'late']);
    await database.executeSql('SELECT pg_notify($1, $2)', ['klaxon_probe', 'after']);
    await probe.until(() => probe.messages.length > 0);
    expect(probe.messages).toEqual(['after']);
    expect(received.messages).toEqual([]);
    await stopProbe();
  });

  it.runIf(testDatabaseKind() === 'postgres')(
    'asks for a resync after its connection is killed, and listens again',
    async () => {
      const received = recorder();
      const stop = await database.listen('klaxon_test', received.handlers);
      await database.executeSql(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
          WHERE datname = current_database() AND query ILIKE 'LISTEN%'`,
      );
      await received.until(() => received.resyncs >= 2);
      await database.executeSql('SELECT pg_notify($1, $2)', ['klaxon_test', 'after reconnect']);
      await received.until(() => received.messages.includes('after reconnect'));
      await stop();
    },
  );
});
