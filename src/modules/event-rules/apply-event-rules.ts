import type { EventRuleActions } from '../../core/event-rules.js';
import type { RuleMatcher } from '../../core/routing.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { matcherHolds } from '../routing/route-alert.js';
import { renderTemplate, type TemplateContext } from './template.js';

export interface EventRule {
  id: string;
  position: number;
  integrationId: string | null;
  matchers: RuleMatcher[];
  actions: EventRuleActions;
  isActive?: boolean;
}

/** The most labels an alert keeps after rules set some (a bound on what rules can grow). */
const MAX_LABELS = 100;
const MAX_LABEL_NAME = 200;

export interface EventRuleStep {
  ruleId: string;
  matched: boolean;
  /** What the rule changed (only for matched rules); `dropped`/`suppressed` when it did that. */
  changes: Partial<{
    dropped: true;
    suppressed: true;
    severity: { from: string; to: string };
    title: { from: string; to: string };
    dedupKey: { from: string; to: string };
    labels: { removed: string[]; set: Record<string, string> };
  }>;
}

export interface EventRulesOutcome {
  /** null when a rule dropped it. */
  alert: NormalizedAlert | null;
  steps: EventRuleStep[];
}

/**
 * Applies the integration's and the global event rules in `position` order: every matching rule
 * applies (each sees the alert as the rules before it left it); `drop` ends the walk. Templates
 * see the alert as it was when the rule began, plus the sender's payload. Pure.
 */
export function applyEventRules(
  input: NormalizedAlert,
  integration: { id: string; name: string },
  payload: unknown,
  rules: readonly EventRule[],
): EventRulesOutcome {
  const applicable = rules
    .filter((rule) => rule.isActive !== false)
    .filter((rule) => rule.integrationId === null || rule.integrationId === integration.id)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  let alert: NormalizedAlert = { ...input, labels: { ...input.labels } };
  const steps: EventRuleStep[] = [];
  for (const rule of applicable) {
    const routable = { ...alert, integration };
    if (!rule.matchers.every((matcher) => matcherHolds(routable, matcher))) {
      steps.push({ ruleId: rule.id, matched: false, changes: {} });
      continue;
    }
    const { actions } = rule;
    const changes: EventRuleStep['changes'] = {};
    steps.push({ ruleId: rule.id, matched: true, changes });
    if (actions.drop) {
      changes.dropped = true;
      return { alert: null, steps };
    }
    const context: TemplateContext = {
      title: alert.title,
      severity: alert.severity,
      source: alert.source,
      dedupKey: alert.dedupKey,
      labels: { ...alert.labels },
      payload,
    };
    const next: NormalizedAlert = { ...alert, labels: { ...alert.labels } };
    if (actions.suppress) {
      next.suppressed = true;
      changes.suppressed = true;
    }
    if (actions.severity !== undefined && actions.severity !== alert.severity) {
      changes.severity = { from: alert.severity, to: actions.severity };
      next.severity = actions.severity;
    }
    const removed = (actions.removeLabels ?? []).filter((name) => Object.hasOwn(next.labels, name));
    for (const name of removed) delete next.labels[name];
    const set: Record<string, string> = {};
    for (const [name, template] of Object.entries(actions.setLabels ?? {})) {
      if (name.length > MAX_LABEL_NAME) continue;
      if (!Object.hasOwn(next.labels, name) && Object.keys(next.labels).length >= MAX_LABELS) continue;
      set[name] = renderTemplate(template, context);
      next.labels[name] = set[name] as string;
    }
    if (removed.length > 0 || Object.keys(set).length > 0) changes.labels = { removed, set };
    if (actions.title !== undefined) {
      const title = renderTemplate(actions.title, context);
      // An empty title would be no title: the sender's stays.
      if (title.trim() !== '' && title !== alert.title) {
        changes.title = { from: alert.title, to: title };
        next.title = title;
      }
    }
    if (actions.dedupKey !== undefined) {
      // A dedup key is an alert's grouping name, not a secret: a plain comparison is right here.
      const rendered = renderTemplate(actions.dedupKey, context);
      const current = alert.dedupKey;
      if (rendered !== '' && rendered !== current) {
        changes.dedupKey = { from: alert.dedupKey, to: rendered };
        next.dedupKey = rendered;
      }
    }
    alert = next;
  }
  return { alert, steps };
}
