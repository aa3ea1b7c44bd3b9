import type { AlertSeverity } from './alerts.js';

/**
 * What an event rule does to an alert it matches, applied in this order: drop (nothing else
 * matters), suppress, severity, labels removed, labels set, title, dedup key. Label values, the
 * title and the dedup key are logic-less templates (modules/event-rules/template.ts).
 */
export interface EventRuleActions {
  drop?: boolean | undefined;
  suppress?: boolean | undefined;
  severity?: AlertSeverity | undefined;
  removeLabels?: string[] | undefined;
  setLabels?: Record<string, string> | undefined;
  title?: string | undefined;
  dedupKey?: string | undefined;
}
