/**
 * An Alertmanager matcher (API v2 shape): `isEqual` false negates, `isRegex` makes `value` a
 * regular expression anchored at both ends. `name` is a label name, or one of the alert's
 * own fields `severity`, `source`, `integration` (see silence-matchers.ts).
 */
export interface AlertMatcher {
  name: string;
  value: string;
  isRegex: boolean;
  isEqual: boolean;
}

/** A weekly recurrence: on these ISO weekdays (1 = Monday … 7 = Sunday), from `startTime` (HH:MM, local to `timeZone`), for `durationMinutes`. */
export interface WeeklyRecurrence {
  days: number[];
  startTime: string;
  durationMinutes: number;
  timeZone: string;
}

/**
 * What held an alert back from opening an incident (stored on the alert). `sourceAlertId`:
 * for an inhibition, the firing alert that inhibited it.
 */
export interface AlertSuppression {
  kind: 'silence' | 'maintenance' | 'inhibition';
  id: string;
  sourceAlertId?: string | undefined;
}
