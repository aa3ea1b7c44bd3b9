import type { Database } from '../../db/client.js';
import type { HeartbeatRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import type { AlertScreen } from '../alerts/alert-ingest.service.js';
import { matcherHolds } from '../routing/route-alert.js';
import type { HeartbeatsRepository } from './heartbeats.repository.js';

/**
 * The ingest screen for watchdogs: an alert of an integration that matches a heartbeat's
 * watchdog matchers (Alertmanager's always-firing `Watchdog`) is a ping of that heartbeat when
 * firing, and is not stored either way, so it never opens an incident. The heartbeats each
 * integration feeds are cached like routing rules (dropped on any change to their settings).
 */
export function createWatchdogScreen(deps: {
  db: Database;
  repository: Pick<HeartbeatsRepository, 'listWatchdogs'>;
  cache?: WatchedCache<HeartbeatRow[]>;
  ping: (heartbeatId: string, at: Date) => Promise<unknown>;
}): AlertScreen {
  const read = (integrationId: string) => async () => deps.repository.listWatchdogs(deps.db, integrationId);
  return async (integration, alerts, at) => {
    const watchdogs =
      (deps.cache === undefined
        ? await read(integration.id)()
        : await deps.cache.get(integration.id, read(integration.id))) ?? [];
    if (watchdogs.length === 0) return alerts;
    const pinged = new Set<string>();
    const verdicts = alerts.map((alert) => {
      const routable = { ...alert, integration: { id: integration.id, name: integration.name } };
      const heartbeat = watchdogs.find(
        (candidate) =>
          candidate.watchdogMatchers.length > 0 &&
          candidate.watchdogMatchers.every((matcher) => matcherHolds(routable, matcher)),
      );
      if (heartbeat === undefined) return alert;
      if (alert.status === 'firing') pinged.add(heartbeat.id);
      return null;
    });
    for (const heartbeatId of pinged) await deps.ping(heartbeatId, at);
    return verdicts;
  };
}
