import type { AlertMatcher, AlertSuppression, WeeklyRecurrence } from '../../core/noise-control.js';
import { instantOf, localDateOf, parseTimeOfDay, weekdayOf, zoneOf } from '../schedules/local-time.js';
import { allMatch, type MatchableAlert, matchedValue } from './alert-matchers.js';

/**
 * The suppression decision, pure: ingestion and simulation both call decideSuppression with
 * what they loaded, so what the simulator predicts is what ingestion does.
 */

export type SilenceState = 'pending' | 'active' | 'expired';

/** What the decision reads of a silence, a maintenance window and an inhibition rule (stored rows carry more). */
export interface Silence {
  id: string;
  startsAt: Date;
  endsAt: Date;
  matchers: readonly AlertMatcher[];
}

export interface MaintenanceWindow {
  id: string;
  startsAt: Date | null;
  endsAt: Date | null;
  recurrence: WeeklyRecurrence | null;
  integrationIds: readonly string[];
  teamIds: readonly string[];
  matchers: readonly AlertMatcher[];
}

export interface InhibitionRule {
  id: string;
  isActive: boolean;
  sourceMatchers: readonly AlertMatcher[];
  targetMatchers: readonly AlertMatcher[];
  equal: readonly string[];
}

export function silenceState(silence: Pick<Silence, 'startsAt' | 'endsAt'>, at: Date): SilenceState {
  if (silence.endsAt.getTime() <= at.getTime()) return 'expired';
  return silence.startsAt.getTime() <= at.getTime() ? 'active' : 'pending';
}

/** A new alert as suppression sees it: after routing, so windows can be scoped to its teams. */
export interface ScreenedAlert extends MatchableAlert {
  id: string;
  integrationId: string;
  teamIds: readonly string[];
}

/** An open alert that may inhibit others. */
export interface SourceAlert extends MatchableAlert {
  id: string;
}

export interface NoiseControlConfig {
  silences: readonly Silence[];
  windows: readonly MaintenanceWindow[];
  inhibitionRules: readonly InhibitionRule[];
}

export interface Occurrence {
  start: Date;
  end: Date;
}

const MS_PER_MINUTE = 60_000;

/** The occurrence of a window in force at `at`, if any (a weekly one may have begun on an earlier day). */
export function windowOccurrenceAt(
  window: Pick<MaintenanceWindow, 'startsAt' | 'endsAt' | 'recurrence'>,
  at: Date,
): Occurrence | undefined {
  const instant = at.getTime();
  if (window.recurrence === null) {
    if (window.startsAt === null || window.endsAt === null) return undefined;
    const inForce = window.startsAt.getTime() <= instant && instant < window.endsAt.getTime();
    return inForce ? { start: window.startsAt, end: window.endsAt } : undefined;
  }
  const { days, startTime, durationMinutes, timeZone } = window.recurrence;
  const zone = zoneOf(timeZone);
  const today = localDateOf(instant, zone).epochDay;
  const lookBack = Math.ceil(durationMinutes / 1440);
  for (let back = 0; back <= lookBack; back++) {
    const day = today - back;
    if (!days.includes(weekdayOf(day))) continue;
    const start = instantOf(day, parseTimeOfDay(startTime), zone);
    const end = start + durationMinutes * MS_PER_MINUTE;
    if (start <= instant && instant < end) return { start: new Date(start), end: new Date(end) };
  }
  return undefined;
}

/** Every non-empty scope of the window holds for the alert. */
export function windowCovers(window: MaintenanceWindow, alert: ScreenedAlert): boolean {
  if (window.integrationIds.length > 0 && !window.integrationIds.includes(alert.integrationId)) return false;
  if (window.teamIds.length > 0 && !alert.teamIds.some((teamId) => window.teamIds.includes(teamId))) return false;
  return allMatch(window.matchers, alert);
}

/** Rules whose target matchers the alert holds: only those need their sources looked up. */
export function inhibitionRulesTargeting<Rule extends InhibitionRule>(
  rules: readonly Rule[],
  alert: MatchableAlert,
): Rule[] {
  return rules.filter((rule) => rule.isActive && allMatch(rule.targetMatchers, alert));
}

/**
 * The first open alert that inhibits `alert` under `rule`: it holds the source matchers and
 * has the same value (absent counts as empty) for each `equal` label. As in Alertmanager, an
 * alert that also holds the target matchers cannot inhibit itself.
 */
export function inhibitingSource(
  rule: InhibitionRule,
  alert: ScreenedAlert,
  sources: readonly SourceAlert[],
): SourceAlert | undefined {
  return sources.find(
    (source) =>
      source.id !== alert.id &&
      allMatch(rule.sourceMatchers, source) &&
      rule.equal.every((name) => matchedValue(source, name) === matchedValue(alert, name)),
  );
}

/**
 * What keeps a new alert from opening an incident, checked in this order: a maintenance
 * window in force, an active silence, an inhibition by an open alert. The first that applies
 * wins; null when none does. `sources` are the open alerts that may inhibit this one.
 */
export function decideSuppression(
  alert: ScreenedAlert,
  config: NoiseControlConfig,
  at: Date,
  sources: readonly SourceAlert[],
): AlertSuppression | null {
  const window = config.windows.find(
    (candidate) => windowOccurrenceAt(candidate, at) !== undefined && windowCovers(candidate, alert),
  );
  if (window !== undefined) return { kind: 'maintenance', id: window.id };
  const silence = config.silences.find(
    (candidate) => silenceState(candidate, at) === 'active' && allMatch(candidate.matchers, alert),
  );
  if (silence !== undefined) return { kind: 'silence', id: silence.id };
  for (const rule of inhibitionRulesTargeting(config.inhibitionRules, alert)) {
    const source = inhibitingSource(rule, alert, sources);
    if (source !== undefined) return { kind: 'inhibition', id: rule.id, sourceAlertId: source.id };
  }
  return null;
}
