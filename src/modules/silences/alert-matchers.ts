import type { AlertMatcher } from '../../core/noise-control.js';
import { compileSafeRegex, type SafeRegex } from '../routing/safe-regex.js';

/** What silences, maintenance windows and inhibition rules look at. */
export interface MatchableAlert {
  severity: string;
  source: string | null;
  integrationName: string;
  labels: Readonly<Record<string, string>>;
}

/**
 * The value a matcher name reads, as Alertmanager reads a label: absent is the empty string.
 * `severity`, `source` and `integration` (the integration's name) are the alert's own fields;
 * every other name is a label.
 */
export function matchedValue(alert: MatchableAlert, name: string): string {
  switch (name) {
    case 'severity':
      return alert.severity;
    case 'source':
      return alert.source ?? '';
    case 'integration':
      return alert.integrationName;
    default:
      return Object.hasOwn(alert.labels, name) ? (alert.labels[name] as string) : '';
  }
}

const compiled = new Map<string, SafeRegex>();

/**
 * Alertmanager anchors matcher regexes at both ends (`^(?:value)$`). Compiled by the routing
 * rules' linear-time engine, so a hostile pattern cannot stall ingestion; throws
 * UnsafeRegexError for a pattern that engine refuses.
 */
export function anchoredRegex(value: string): SafeRegex {
  let regex = compiled.get(value);
  if (regex === undefined) {
    regex = compileSafeRegex(`^(?:${value})$`);
    if (compiled.size >= 1000) compiled.clear();
    compiled.set(value, regex);
  }
  return regex;
}

export function matcherHolds(matcher: AlertMatcher, value: string): boolean {
  const equal = matcher.isRegex ? anchoredRegex(matcher.value).test(value) : value === matcher.value;
  return matcher.isEqual ? equal : !equal;
}

/** Every matcher holds (none: vacuously true). */
export function allMatch(matchers: readonly AlertMatcher[], alert: MatchableAlert): boolean {
  return matchers.every((matcher) => matcherHolds(matcher, matchedValue(alert, matcher.name)));
}

/** Alertmanager refuses a silence whose every matcher matches the empty string: it would silence everything. */
export function matchesEverything(matchers: readonly AlertMatcher[]): boolean {
  return matchers.every((matcher) => matcherHolds(matcher, ''));
}

export function formatMatcher(matcher: AlertMatcher): string {
  const op = `${matcher.isEqual ? '=' : '!'}${matcher.isRegex ? '~' : matcher.isEqual ? '' : '='}`;
  return `${matcher.name}${op}${JSON.stringify(matcher.value)}`;
}

const MATCHER_PATTERN = /^\s*([A-Za-z_][A-Za-z0-9_]*|"(?:[^"\\]|\\.)*")\s*(=~|!~|!=|=)\s*(.*?)\s*$/s;

/**
 * Parses one matcher as Alertmanager's `filter` parameter and amtool write them:
 * `name=value`, `name!="quoted value"`, `name=~regex`, `name!~regex`. Undefined when malformed.
 */
export function parseMatcher(text: string): AlertMatcher | undefined {
  const found = MATCHER_PATTERN.exec(text);
  if (found === null) return undefined;
  const [, rawName = '', op = '=', rawValue = ''] = found;
  const name = rawName.startsWith('"') ? unquote(rawName) : rawName;
  const value = rawValue.startsWith('"') ? unquote(rawValue) : rawValue;
  if (name === undefined || name === '' || value === undefined) return undefined;
  return { name, value, isRegex: op.endsWith('~'), isEqual: !op.startsWith('!') };
}

/** A filter may be a whole selector, `{a="b", c=~"d"}`; commas inside quotes do not split. */
export function parseMatchers(text: string): AlertMatcher[] | undefined {
  const inner = text.trim().replace(/^\{([\s\S]*)\}$/, '$1');
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\' && quoted) {
      current += ch + (inner[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    if (ch === ',' && !quoted) {
      parts.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current);
  const matchers = parts.map(parseMatcher);
  return matchers.every((matcher) => matcher !== undefined) ? (matchers as AlertMatcher[]) : undefined;
}

function unquote(quoted: string): string | undefined {
  if (quoted.length < 2 || !quoted.endsWith('"')) return undefined;
  try {
    const value: unknown = JSON.parse(quoted);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}
