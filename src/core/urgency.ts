import type { AlertSeverity } from './alerts.js';

export const URGENCIES = ['high', 'low'] as const;
export type Urgency = (typeof URGENCIES)[number];
export const RULE_URGENCIES = ['high', 'low', 'any'] as const;
export type RuleUrgency = (typeof RULE_URGENCIES)[number];

/** What happens to a low-urgency incident opened outside support hours. */
export const OUTSIDE_HOURS_CHOICES = ['defer', 'never'] as const;
export type OutsideHoursChoice = (typeof OUTSIDE_HOURS_CHOICES)[number];

/** One weekly window of support hours, in the team's time zone: day 0 is Sunday; times are "HH:MM", end after start ("24:00" ends at midnight). */
export interface SupportWindow {
  day: number;
  start: string;
  end: string;
}

export const DEFAULT_HIGH_URGENCY: readonly AlertSeverity[] = ['critical', 'error'];
