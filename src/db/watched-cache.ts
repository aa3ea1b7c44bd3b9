import type { DatabaseHandle } from './client.js';

/** The channel migration 0010's triggers notify, with the changed table's name as payload. */
export const INGEST_CONFIG_CHANNEL = 'klaxon_ingest_config';
/** A bound on memory, not a policy: past it the cache starts over (names are few in practice). */
const MAX_ENTRIES = 10_000;

/**
 * A process-local cache of rows the ingest path reads on every request, dropped whenever the
 * database announces a change to their table (LISTEN/NOTIFY, see migration 0010).
 *
 * Entries are served only while the listener is connected: a lost connection could hide a
 * change, so until it listens again every read goes to the database and nothing is stored.
 * A read that was under way when the cache was dropped is not stored either (the generation
 * check), so an answer read before a change can never outlive the notice of that change.
 *
 * What is left is the time between a change's commit and its notice reaching this process —
 * milliseconds, the same window in which a request that read the row just before the commit
 * would act on the old row without any cache.
 */
export interface WatchedCache<V> {
  /** The cached value, or `read()` (stored when it is still current and the cache is trusted). */
  get(key: string, read: () => Promise<V | undefined>): Promise<V | undefined>;
  /** Drops everything: after a change this process committed itself, or when told by the database. */
  clear(): void;
  /** Whether entries may be served (the listener is connected). */
  setTrusted(trusted: boolean): void;
}

export function createWatchedCache<V>(): WatchedCache<V> {
  const entries = new Map<string, V>();
  let trusted = false;
  let generation = 0;
  const clear = () => {
    generation += 1;
    entries.clear();
  };
  return {
    async get(key, read) {
      if (trusted) {
        const hit = entries.get(key);
        if (hit !== undefined) return hit;
      }
      const readAt = generation;
      const value = await read();
      if (value !== undefined && trusted && generation === readAt) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entries.set(key, value);
      }
      return value;
    },
    clear,
    setTrusted(value) {
      clear();
      trusted = value;
    },
  };
}

/**
 * Listens for changes to the given tables (keyed by table name) and drops the matching cache
 * on each notice, every cache on a resync. Resolves once listening, from when the caches are
 * trusted; the returned function stops listening and distrusts them again.
 */
export async function watchTables(
  database: Pick<DatabaseHandle, 'listen'>,
  caches: Record<string, Pick<WatchedCache<unknown>, 'clear' | 'setTrusted'>>,
): Promise<() => Promise<void>> {
  const byTable = new Map(Object.entries(caches));
  const all = [...byTable.values()];
  const stop = await database.listen(INGEST_CONFIG_CHANNEL, {
    onMessage: (table) => byTable.get(table)?.clear(),
    onResync: () => {
      for (const cache of all) cache.clear();
    },
    onListeningChange: (listening) => {
      for (const cache of all) cache.setTrusted(listening);
    },
  });
  for (const cache of all) cache.setTrusted(true);
  return async () => {
    for (const cache of all) cache.setTrusted(false);
    // A database closed first (shutdown order, an outage) has no listener left to stop.
    await stop().catch(() => {});
  };
}
