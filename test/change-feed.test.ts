import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelHandlers, DatabaseHandle } from '../src/db/client.js';
import { uuidv7 } from '../src/lib/ids.js';
import {
  CHANGES_CHANNEL,
  type ChangeFeed,
  type ChangeSignal,
  createChangeFeed,
} from '../src/modules/live-updates/change-feed.js';
import { createTestDatabase } from './helpers/database.js';

/** The feed against the real database's LISTEN/NOTIFY, with notifications sent as the triggers send them. */
let database: DatabaseHandle;
let feed: ChangeFeed;

beforeEach(async () => {
  database = await createTestDatabase();
  feed = createChangeFeed({ listen: (channel, handlers) => database.listen(channel, handlers) });
});
afterEach(async () => {
  await feed.close();
  await database.close();
});

function subscriber(scope: string[] | 'all', userId = uuidv7()) {
  const signals: ChangeSignal[] = [];
  let ended = false;
  const subscription = feed.subscribe({
    userId,
    scope,
    deliver: (signal) => signals.push(signal),
    end: () => {
      ended = true;
    },
  });
  return { signals, subscription, ended: () => ended };
}

const notify = (topic: string, teams: string[]) =>
  database.executeSql('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, JSON.stringify({ topic, teams })]);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(condition: () => boolean) {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await pause(10);
  }
}

describe('change feed', () => {
  it('delivers to admins everything and to others only their teams; ignores foreign payloads', async () => {
    const teamA = uuidv7();
    const teamB = uuidv7();
    await feed.start();
    const admin = subscriber('all');
    const member = subscriber([teamA]);
    await database.executeSql('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, 'not json']);
    await notify('alerts', [teamB]);
    await notify('deliveries', []);
    await until(() => admin.signals.length === 2);
    expect(admin.signals.sort()).toEqual(['alerts', 'deliveries']);
    await pause(300);
    expect(member.signals).toEqual([]);

    await notify('incidents', [teamA, teamB]);
    await until(() => member.signals.length === 1);
    expect(member.signals).toEqual(['incidents']);

    member.subscription.setScope([teamB]);
    await pause(300);
    await notify('alerts', [teamB]);
    await until(() => member.signals.length === 2);
    expect(member.signals[1]).toBe('alerts');
  });

  it('caps streams per user and frees the slot on unsubscribe; close() ends every stream', async () => {
    await feed.start();
    const userId = uuidv7();
    const streams = Array.from({ length: 10 }, () => subscriber('all', userId));
    expect(() => subscriber('all', userId)).toThrow(/At most 10 live-update streams/);
    streams[0]?.subscription.unsubscribe();
    const replacement = subscriber('all', userId);
    await feed.close();
    expect(replacement.ended()).toBe(true);
    expect(streams[1]?.ended()).toBe(true);
    expect(feed.size).toBe(0);
    await expect(feed.start()).rejects.toThrow(/shutting down/);
  });
});

/**
 * The window's arithmetic, on a clock the test moves: changes are handed to the feed as the
 * database delivers them (the payloads the triggers send), so no timing of a loaded machine
 * shows through. Delivery through real LISTEN/NOTIFY is the tests above.
 */
describe('coalescing window', () => {
  it('signals a topic at once, then at most once per 250 ms, keeping every team seen', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    try {
      let database: ChannelHandlers | undefined;
      const clocked = createChangeFeed({
        listen: async (_channel, handlers) => {
          database = handlers;
          return async () => {};
        },
      });
      await clocked.start();
      const change = (topic: string, teams: string[]) => database?.onMessage(JSON.stringify({ topic, teams }));
      const teams = Array.from({ length: 50 }, () => uuidv7());
      const signals = (scope: string[] | 'all') => {
        const received: ChangeSignal[] = [];
        clocked.subscribe({ userId: uuidv7(), scope, deliver: (signal) => received.push(signal), end() {} });
        return received;
      };
      const admin = signals('all');
      const lastTeam = signals([teams[49] as string]);

      change('alerts', [teams[0] as string]);
      await vi.advanceTimersByTimeAsync(0);
      expect(admin).toEqual(['alerts']);
      // A burst within the window, and another topic, which has a window of its own.
      for (const teamId of teams.slice(1)) change('alerts', [teamId]);
      change('incidents', [teams[0] as string]);
      await vi.advanceTimersByTimeAsync(249);
      expect(admin).toEqual(['alerts', 'incidents']);
      expect(lastTeam).toEqual([]);
      await vi.advanceTimersByTimeAsync(1);
      expect(admin).toEqual(['alerts', 'incidents', 'alerts']);
      expect(lastTeam).toEqual(['alerts']);
      // After a quiet window, the next change is signalled at once again.
      await vi.advanceTimersByTimeAsync(1_000);
      change('alerts', [teams[49] as string]);
      await vi.advanceTimersByTimeAsync(0);
      expect(lastTeam).toEqual(['alerts', 'alerts']);
      await clocked.close();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('change notification triggers (migration 0009)', () => {
  it('split a large team list into messages under the 8000-byte NOTIFY limit', async () => {
    const payloads: string[] = [];
    const stop = await database.listen(CHANGES_CHANNEL, {
      onMessage: (payload) => payloads.push(payload),
      onResync() {},
    });
    const teams = Array.from({ length: 400 }, () => uuidv7()).sort();
    await database.executeSql(`SELECT klaxon_notify_teams('alerts', $1::uuid[])`, [teams]);
    await until(() => payloads.length === 3);
    expect(payloads.every((payload) => Buffer.byteLength(payload) < 8000)).toBe(true);
    const received = payloads.flatMap((payload) => (JSON.parse(payload) as { teams: string[] }).teams);
    expect(received.sort()).toEqual(teams);
    await stop();
  });
});
