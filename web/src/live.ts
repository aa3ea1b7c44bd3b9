/**
 * Live updates: one Server-Sent Events stream per signed-in console (GET /api/events/stream)
 * tells pages which topics changed; they refetch through the API. While the stream is down,
 * pages fall back to a slow poll.
 */
export const LIVE_TOPICS = ['alerts', 'deliveries', 'incidents'] as const;
export type LiveTopic = (typeof LIVE_TOPICS)[number];
/** `all`: the stream (re)connected or missed messages — everything may have changed. */
type Listener = (topic: LiveTopic | 'all') => void;

const listeners = new Set<Listener>();
const statusListeners = new Set<(connected: boolean) => void>();
let connected = false;

/** When the server refused the stream (signed out, too many tabs) the browser gives up; retry this late. */
const RETRY_AFTER_REFUSAL_MS = 30_000;

function setConnected(value: boolean): void {
  if (connected === value) return;
  connected = value;
  for (const listener of statusListeners) listener(value);
}

/** Opens the stream; the returned function closes it (sign-out). */
export function startLiveUpdates(): () => void {
  let source: EventSource | null = null;
  let retryTimer: number | undefined;
  const connect = () => {
    source = new EventSource('/api/events/stream');
    source.onopen = () => setConnected(true);
    source.onmessage = (event: MessageEvent<string>) => {
      const { topic } = JSON.parse(event.data) as { topic: string };
      const changed = LIVE_TOPICS.includes(topic as LiveTopic) ? (topic as LiveTopic) : 'all';
      for (const listener of listeners) listener(changed);
    };
    source.onerror = () => {
      setConnected(false);
      // A dropped connection is retried by the browser itself; a refused one is not.
      if (source?.readyState === EventSource.CLOSED) {
        source = null;
        retryTimer = window.setTimeout(connect, RETRY_AFTER_REFUSAL_MS);
      }
    };
  };
  connect();
  return () => {
    window.clearTimeout(retryTimer);
    source?.close();
    source = null;
    setConnected(false);
  };
}

export function onLiveChange(listener: Listener): () => void {
  listeners.add(listener);
  return () => {
    listeners.delete(listener);
  };
}

export function onLiveStatus(listener: (connected: boolean) => void): () => void {
  statusListeners.add(listener);
  return () => {
    statusListeners.delete(listener);
  };
}

export function isLive(): boolean {
  return connected;
}
