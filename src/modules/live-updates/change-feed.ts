import type { ChannelHandlers } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';

/** The channel the triggers of migration 0009 NOTIFY on, from whichever process made the change. */
export const CHANGES_CHANNEL = 'klaxon_changes';
export const CHANGE_TOPICS = ['alerts', 'deliveries', 'incidents'] as const;
export type ChangeTopic = (typeof CHANGE_TOPICS)[number];
/** What a subscriber is told: a topic whose data changed, or `resync` (anything may have changed). */
export type ChangeSignal = ChangeTopic | 'resync';
/** The teams whose changes a subscriber may hear of; platform admins hear of everything. */
export type TeamScope = string[] | 'all';

export interface ChangeFeedOptions {
  listen(channel: string, handlers: ChannelHandlers): Promise<() => Promise<void>>;
  /** At most one signal per topic in this window, however many changes it saw. */
  coalesceMs?: number;
  maxStreamsPerUser?: number;
  /** How long the LISTEN connection stays up after the last subscriber left. */
  idleListenMs?: number;
}

export interface Subscriber {
  userId: string;
  /** What authenticated the stream, so revoking it ends the stream. */
  apiKeyId?: string | null;
  sessionId?: string | null;
  scope: TeamScope;
  deliver(signal: ChangeSignal): void;
  /** Called when the feed shuts down (server stopping). */
  end(): void;
}

export interface Subscription {
  setScope(scope: TeamScope): void;
  unsubscribe(): void;
}

interface PendingTopic {
  teams: Set<string>;
  timer: NodeJS.Timeout;
}

/**
 * Fans database change notifications out to live-update streams. One LISTEN per process, opened
 * while someone is subscribed. Bursts are coalesced per topic (ingesting thousands of alerts a
 * second sends a few signals a second), and each subscriber hears only of the teams it may see.
 */
export function createChangeFeed(options: ChangeFeedOptions) {
  const coalesceMs = options.coalesceMs ?? 250;
  const maxStreamsPerUser = options.maxStreamsPerUser ?? 10;
  const idleListenMs = options.idleListenMs ?? 30_000;
  const subscribers = new Set<Subscriber>();
  const streamsPerUser = new Map<string, number>();
  const pending = new Map<ChangeTopic, PendingTopic>();
  const lastSentAt = new Map<ChangeTopic, number>();
  let listening: Promise<() => Promise<void>> | undefined;
  let idleTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const flush = (topic: ChangeTopic): void => {
    const entry = pending.get(topic);
    pending.delete(topic);
    if (entry === undefined) return;
    lastSentAt.set(topic, Date.now());
    for (const subscriber of subscribers) {
      if (subscriber.scope === 'all' || subscriber.scope.some((teamId) => entry.teams.has(teamId))) {
        subscriber.deliver(topic);
      }
    }
  };

  const onMessage = (payload: string): void => {
    const change = parseChange(payload);
    // Only the triggers of migration 0009 write to the channel; anything else is not for us.
    if (change === undefined) return;
    const entry = pending.get(change.topic);
    if (entry !== undefined) {
      for (const teamId of change.teams) entry.teams.add(teamId);
      return;
    }
    const wait = Math.max(0, (lastSentAt.get(change.topic) ?? 0) + coalesceMs - Date.now());
    pending.set(change.topic, { teams: new Set(change.teams), timer: setTimeout(() => flush(change.topic), wait) });
  };

  const onResync = (): void => {
    for (const entry of pending.values()) clearTimeout(entry.timer);
    pending.clear();
    for (const subscriber of subscribers) subscriber.deliver('resync');
  };

  const stopListening = async (): Promise<void> => {
    const current = listening;
    listening = undefined;
    if (current === undefined) return;
    const stop = await current.catch(() => undefined);
    await stop?.();
  };

  return {
    /** Makes sure this process LISTENs; call before `subscribe` (503 when the database is unreachable). */
    async start(): Promise<void> {
      if (closed) throw new AppError('service-unavailable', 'The server is shutting down');
      clearTimeout(idleTimer);
      if (listening === undefined) {
        listening = options.listen(CHANGES_CHANNEL, { onMessage, onResync });
        listening.catch(() => {
          listening = undefined;
        });
      }
      try {
        await listening;
      } catch (error) {
        throw new AppError('service-unavailable', 'Live updates are unavailable: the database is not reachable', {
          headers: { 'Retry-After': '5' },
          cause: error,
        });
      }
    },

    /** Synchronous after `start()`, so nothing is delivered before the caller has opened its stream. */
    subscribe(subscriber: Subscriber): Subscription {
      const open = streamsPerUser.get(subscriber.userId) ?? 0;
      if (open >= maxStreamsPerUser) {
        throw new AppError(
          'rate-limited',
          `At most ${maxStreamsPerUser} live-update streams may be open per user; close another console tab`,
          { headers: { 'Retry-After': '30' } },
        );
      }
      streamsPerUser.set(subscriber.userId, open + 1);
      subscribers.add(subscriber);
      let active = true;
      return {
        setScope(scope) {
          subscriber.scope = scope;
        },
        unsubscribe() {
          if (!active) return;
          active = false;
          subscribers.delete(subscriber);
          const left = (streamsPerUser.get(subscriber.userId) ?? 1) - 1;
          if (left === 0) streamsPerUser.delete(subscriber.userId);
          else streamsPerUser.set(subscriber.userId, left);
          if (subscribers.size === 0 && !closed) {
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => void stopListening(), idleListenMs);
            idleTimer.unref();
          }
        },
      };
    },

    /**
     * Ends at once this process's streams opened by a revoked key or session, or by a person who
     * was disabled or left a team (their browser reconnects through authentication, with the
     * new scope). Other processes end theirs at their next heartbeat, which re-checks the grant.
     */
    endStreamsOf(grant: { userId?: string; apiKeyId?: string; sessionId?: string }): number {
      let ended = 0;
      for (const subscriber of [...subscribers]) {
        if (
          (grant.userId !== undefined && subscriber.userId === grant.userId) ||
          (grant.apiKeyId !== undefined && subscriber.apiKeyId === grant.apiKeyId) ||
          (grant.sessionId !== undefined && subscriber.sessionId === grant.sessionId)
        ) {
          subscriber.end();
          ended += 1;
        }
      }
      return ended;
    },

    /** Number of open streams (for tests and metrics). */
    get size(): number {
      return subscribers.size;
    },

    /** Ends every stream and stops listening; the server calls this before draining requests. */
    async close(): Promise<void> {
      closed = true;
      clearTimeout(idleTimer);
      for (const entry of pending.values()) clearTimeout(entry.timer);
      pending.clear();
      for (const subscriber of [...subscribers]) subscriber.end();
      subscribers.clear();
      streamsPerUser.clear();
      await stopListening();
    },
  };
}

export type ChangeFeed = ReturnType<typeof createChangeFeed>;

function parseChange(payload: string): { topic: ChangeTopic; teams: string[] } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const { topic, teams } = parsed as { topic?: unknown; teams?: unknown };
  if (!CHANGE_TOPICS.includes(topic as ChangeTopic)) return undefined;
  if (!Array.isArray(teams) || !teams.every((teamId) => typeof teamId === 'string')) return undefined;
  return { topic: topic as ChangeTopic, teams };
}
