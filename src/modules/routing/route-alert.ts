import type { RuleMatcher } from '../../core/routing.js';
import { compileSafeRegex, type SafeRegex, UnsafeRegexError } from './safe-regex.js';

/** What routing looks at: the normalized alert and the integration it came through. */
export interface RoutableAlert {
  severity: string;
  source: string | null;
  title: string;
  integration: { id: string; name: string };
  labels: Record<string, string>;
}

export interface RoutingRule {
  id: string;
  name?: string;
  position: number;
  /** null: a global rule; otherwise it applies only to alerts of this integration. */
  integrationId: string | null;
  teamId: string;
  matchers: RuleMatcher[];
  continue: boolean;
  isActive?: boolean;
}

export interface RuleEvaluation {
  ruleId: string;
  matched: boolean;
  /** The first matcher that did not hold, when the rule did not match. */
  failedMatcher?: { index: number; field: string; op: RuleMatcher['op'] } | undefined;
}

export interface RouteDecision {
  /** Every team reached, first match first, without repeats. */
  teamIds: string[];
  matched: Array<{ ruleId: string; teamId: string }>;
  /** True when no rule matched and the integration's default team took the alert. */
  defaultTeamUsed: boolean;
  /** Each rule looked at, in order; evaluation stops at the first match without `continue`. */
  evaluated: RuleEvaluation[];
}

const regexCache = new Map<string, SafeRegex>();

/**
 * A rule stored before a limit was tightened may hold a pattern refused today: it never
 * matches (instead of failing every ingest, or running at the old cost).
 */
const NEVER_MATCHES: Omit<SafeRegex, 'source'> = { inputLimit: 0, test: () => false };

function compileOrNever(pattern: string): SafeRegex {
  try {
    return compileSafeRegex(pattern);
  } catch (error) {
    if (!(error instanceof UnsafeRegexError)) throw error;
    return { source: pattern, ...NEVER_MATCHES };
  }
}

function regexFor(pattern: string): SafeRegex {
  let compiled = regexCache.get(pattern);
  if (compiled === undefined) {
    compiled = compileOrNever(pattern);
    if (regexCache.size >= 1000) regexCache.clear();
    regexCache.set(pattern, compiled);
  }
  return compiled;
}

const LABEL_PREFIX = 'labels.';

/** The value a matcher's field names; undefined when the alert has none. */
export function fieldValue(alert: RoutableAlert, field: string): string | undefined {
  if (field.startsWith(LABEL_PREFIX)) {
    const name = field.slice(LABEL_PREFIX.length);
    return Object.hasOwn(alert.labels, name) ? alert.labels[name] : undefined;
  }
  switch (field) {
    case 'severity':
      return alert.severity;
    case 'source':
      return alert.source ?? undefined;
    case 'title':
      return alert.title;
    case 'integration':
      // A dry-run without an integration has none.
      return alert.integration.name === '' ? undefined : alert.integration.name;
    default:
      return undefined;
  }
}

/**
 * One matcher against one alert. A missing field (absent label, null source) never equals,
 * is never `in` a list and never matches a regex; it does count as `not_equals` anything, and
 * an empty string counts as missing for `exists`.
 */
export function matcherHolds(alert: RoutableAlert, matcher: RuleMatcher): boolean {
  const actual = fieldValue(alert, matcher.field);
  switch (matcher.op) {
    case 'equals':
      return actual !== undefined && actual === matcher.value;
    case 'not_equals':
      return actual !== matcher.value;
    case 'in':
      return actual !== undefined && Array.isArray(matcher.value) && matcher.value.includes(actual);
    case 'regex':
      return actual !== undefined && typeof matcher.value === 'string' && regexFor(matcher.value).test(actual);
    case 'exists': {
      const present = actual !== undefined && actual !== '';
      return matcher.value === false ? !present : present;
    }
  }
}

/**
 * Routes an alert: rules in `position` order (global ones and those scoped to the alert's
 * integration, inactive ones skipped); a rule matches when all its matchers hold (no matchers:
 * always); the first match wins unless it says `continue`, in which case later matches add their
 * teams too. When nothing matches, the integration's default team (if any) takes the alert.
 * Pure: same input, same answer, at ingest, on re-route and in the dry-run.
 */
export function routeAlert(
  alert: RoutableAlert,
  rules: readonly RoutingRule[],
  defaultTeamId: string | null,
): RouteDecision {
  const applicable = rules
    .filter((rule) => rule.isActive !== false)
    .filter((rule) => rule.integrationId === null || rule.integrationId === alert.integration.id)
    .sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const matched: RouteDecision['matched'] = [];
  const evaluated: RuleEvaluation[] = [];
  for (const rule of applicable) {
    const failedIndex = rule.matchers.findIndex((matcher) => !matcherHolds(alert, matcher));
    if (failedIndex >= 0) {
      const failed = rule.matchers[failedIndex] as RuleMatcher;
      evaluated.push({
        ruleId: rule.id,
        matched: false,
        failedMatcher: { index: failedIndex, field: failed.field, op: failed.op },
      });
      continue;
    }
    evaluated.push({ ruleId: rule.id, matched: true });
    matched.push({ ruleId: rule.id, teamId: rule.teamId });
    if (!rule.continue) break;
  }
  if (matched.length === 0) {
    return {
      teamIds: defaultTeamId === null ? [] : [defaultTeamId],
      matched,
      defaultTeamUsed: defaultTeamId !== null,
      evaluated,
    };
  }
  return { teamIds: [...new Set(matched.map((m) => m.teamId))], matched, defaultTeamUsed: false, evaluated };
}
