import type { AlertLink, AlertSeverity } from '../../core/alerts.js';
import type { IntegrationType } from '../../core/integrations.js';

/**
 * What every source normalizer produces from a sender's payload, and what deduplication and
 * routing consume. One payload can carry several alerts (Alertmanager groups, Grafana).
 */
export interface NormalizedAlert {
  /** Events with the same key on one integration join the same open alert. */
  dedupKey: string;
  title: string;
  description: string | null;
  severity: AlertSeverity;
  /**
   * `firing` opens or joins an alert; `resolved` resolves the open one; `acknowledged`
   * (PagerDuty acknowledge events) acknowledges the open one.
   */
  status: 'firing' | 'acknowledged' | 'resolved';
  source: string | null;
  labels: Record<string, string>;
  links: AlertLink[];
  /** When the sender says the event happened, if it says. */
  occurredAt: Date | null;
  /** Set by an event rule's `suppress`: the alert is stored and routed but opens no incident. */
  suppressed?: boolean;
}

/**
 * A normalizer for one integration type: validates the payload (throwing a ZodError that the
 * webhook route turns into a 400 naming the field) and maps it to alerts. Pure: no I/O, no clock.
 */
export interface SourceNormalizer {
  type: IntegrationType;
  normalize(payload: unknown): NormalizedAlert[];
}
