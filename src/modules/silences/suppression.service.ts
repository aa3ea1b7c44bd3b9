import type { AlertSuppression } from '../../core/noise-control.js';
import type { Executor } from '../../db/client.js';
import type { AlertRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import type { AlertsRepository } from '../alerts/alerts.repository.js';
import type { InhibitionRepository } from '../inhibition/inhibition.repository.js';
import type { MaintenanceRepository } from '../maintenance/maintenance.repository.js';
import { type NewAlertDecision, recordAlertDecisions } from '../trace/alert-decisions.repository.js';
import { matchedValue } from './alert-matchers.js';
import type { SilencesRepository } from './silences.repository.js';
import {
  decideSuppression,
  inhibitionRulesTargeting,
  type NoiseControlConfig,
  type ScreenedAlert,
  type SourceAlert,
} from './suppression.js';

const CONFIG_KEY = 'all';

export function toScreenedAlert(
  alert: Pick<AlertRow, 'id' | 'integrationId' | 'integrationName' | 'severity' | 'source' | 'labels' | 'teamIds'>,
): ScreenedAlert {
  return {
    id: alert.id,
    integrationId: alert.integrationId,
    integrationName: alert.integrationName,
    severity: alert.severity,
    source: alert.source,
    labels: alert.labels,
    teamIds: alert.teamIds,
  };
}

export function describeSuppression(suppression: AlertSuppression): Omit<NewAlertDecision, 'alertId' | 'at'> {
  switch (suppression.kind) {
    case 'silence':
      return { kind: 'silenced', message: 'Silenced: no incident opened', refs: { silenceId: suppression.id } };
    case 'maintenance':
      return {
        kind: 'in_maintenance',
        message: 'In a maintenance window: no incident opened',
        refs: { windowId: suppression.id },
      };
    case 'inhibition':
      return {
        kind: 'inhibited',
        message: 'Inhibited by an open alert: no incident opened',
        refs: { inhibitionRuleId: suppression.id, sourceAlertId: suppression.sourceAlertId ?? '' },
      };
  }
}

/**
 * The one check between a stored new alert and its incident: silences, maintenance windows and
 * inhibition rules. Their rows are kept in memory (dropped on any change, in every process:
 * WatchedCache); only an inhibition rule whose targets the alert matches costs a query.
 */
export function createSuppressionService(deps: {
  silencesRepository: Pick<SilencesRepository, 'listUnexpired'>;
  maintenanceRepository: Pick<MaintenanceRepository, 'listCurrent'>;
  inhibitionRepository: Pick<InhibitionRepository, 'list' | 'openAlertsLike'>;
  alertsRepository: Pick<AlertsRepository, 'update'>;
  cache?: WatchedCache<NoiseControlConfig>;
}) {
  async function readConfig(executor: Executor, at: Date): Promise<NoiseControlConfig> {
    const [silences, windows, inhibitionRules] = await Promise.all([
      deps.silencesRepository.listUnexpired(executor, at),
      deps.maintenanceRepository.listCurrent(executor, at),
      deps.inhibitionRepository.list(executor),
    ]);
    return { silences, windows, inhibitionRules };
  }

  /**
   * What is in force. A cached copy stays right as time passes: it holds every silence and
   * window not over when it was read, and the decision checks each one's times at the instant.
   */
  async function config(executor: Executor, at: Date): Promise<NoiseControlConfig> {
    const read = () => readConfig(executor, at);
    return (deps.cache === undefined ? read() : deps.cache.get(CONFIG_KEY, read)) as Promise<NoiseControlConfig>;
  }

  /** The open alerts that could inhibit this one under the rules whose targets it matches. */
  async function sourcesFor(executor: Executor, alert: ScreenedAlert, noise: NoiseControlConfig) {
    const sources = new Map<string, SourceAlert>();
    for (const rule of inhibitionRulesTargeting(noise.inhibitionRules, alert)) {
      const equalValues: Record<string, string> = {};
      for (const name of rule.equal) {
        const value = matchedValue(alert, name);
        if (value !== '' && !['severity', 'source', 'integration'].includes(name)) equalValues[name] = value;
      }
      for (const source of await deps.inhibitionRepository.openAlertsLike(executor, alert.id, equalValues)) {
        sources.set(source.id, source);
      }
    }
    return [...sources.values()];
  }

  return {
    config,
    sourcesFor,

    /**
     * Decides whether a new alert (stored, routed) is held back; if so marks it with what held
     * it. Records the decision for the trace either way, in the caller's transaction.
     */
    async screen(executor: Executor, alert: AlertRow, at: Date): Promise<AlertSuppression | null> {
      const screened = toScreenedAlert(alert);
      const noise = await config(executor, at);
      const suppression = decideSuppression(screened, noise, at, await sourcesFor(executor, screened, noise));
      if (suppression === null) {
        await recordAlertDecisions(executor, [
          {
            alertId: alert.id,
            kind: 'not_suppressed',
            message: 'No maintenance window, silence or inhibition applied',
            at,
          },
        ]);
        return null;
      }
      await deps.alertsRepository.update(executor, alert.id, { suppressedBy: suppression });
      await recordAlertDecisions(executor, [{ alertId: alert.id, at, ...describeSuppression(suppression) }]);
      return suppression;
    },
  };
}

export type SuppressionService = ReturnType<typeof createSuppressionService>;
