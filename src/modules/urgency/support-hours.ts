import type { AlertSeverity } from '../../core/alerts.js';
import { DEFAULT_HIGH_URGENCY, type OutsideHoursChoice, type SupportWindow, type Urgency } from '../../core/urgency.js';

/** What paging needs of a team's settings (a team without settings gets `DEFAULT_URGENCY_SETTINGS`). */
export interface UrgencySettings {
  highUrgencySeverities: readonly AlertSeverity[];
  timeZone: string | null;
  windows: readonly SupportWindow[];
  outsideHours: OutsideHoursChoice;
}

export const DEFAULT_URGENCY_SETTINGS: UrgencySettings = {
  highUrgencySeverities: DEFAULT_HIGH_URGENCY,
  timeZone: null,
  windows: [],
  outsideHours: 'defer',
};

export type PagingDecision =
  | { urgency: Urgency; action: 'page' }
  | { urgency: 'low'; action: 'defer'; until: Date; message: string }
  | { urgency: 'low'; action: 'never'; message: string };

const minutesOf = (time: string) => {
  const [hours, minutes] = time.split(':').map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
};

/** The wall clock in a time zone: weekday (0 = Sunday), date and minute of the day. */
function wallClock(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((item) => item.type === type)?.value ?? '';
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  return {
    day: days.indexOf(part('weekday')),
    year: Number(part('year')),
    month: Number(part('month')),
    date: Number(part('day')),
    minute: Number(part('hour')) * 60 + Number(part('minute')),
    second: Number(part('second')),
  };
}

/** Offset of the time zone from UTC at an instant, in milliseconds. */
function offsetMs(at: Date, timeZone: string): number {
  const wall = wallClock(at, timeZone);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.date, 0, wall.minute, wall.second);
  return asUtc - (at.getTime() - at.getUTCMilliseconds());
}

/**
 * The instant a wall-clock time happens in a time zone, as Temporal's "compatible" disambiguation:
 * a time repeated by an autumn DST change takes its first occurrence; a time skipped in spring
 * moves forward by the gap (02:30 becomes 03:30). DST changes are never less than a day apart.
 */
function instantOf(year: number, month: number, date: number, minute: number, timeZone: string): Date {
  const naive = Date.UTC(year, month - 1, date, 0, minute);
  const halfDay = 12 * 60 * 60 * 1000;
  const before = offsetMs(new Date(naive - halfDay), timeZone);
  const after = offsetMs(new Date(naive + halfDay), timeZone);
  const valid = [naive - before, naive - after].filter((t) => offsetMs(new Date(t), timeZone) === naive - t);
  return new Date(valid.length > 0 ? Math.min(...valid) : naive - before);
}

/** Whether `at` falls inside one of the weekly windows (always true without support hours). */
export function withinSupportHours(settings: UrgencySettings, at: Date): boolean {
  if (settings.timeZone === null || settings.windows.length === 0) return true;
  const wall = wallClock(at, settings.timeZone);
  return settings.windows.some(
    (window) =>
      window.day === wall.day && minutesOf(window.start) <= wall.minute && wall.minute < minutesOf(window.end),
  );
}

/** The next instant after `at` at which support hours begin; undefined without support hours. */
export function nextSupportHoursStart(settings: UrgencySettings, at: Date): Date | undefined {
  const { timeZone } = settings;
  if (timeZone === null || settings.windows.length === 0) return undefined;
  const today = wallClock(at, timeZone);
  let best: Date | undefined;
  for (let ahead = 0; ahead <= 7; ahead++) {
    // Calendar arithmetic on the local date; Date.UTC normalizes the day overflow.
    const local = new Date(Date.UTC(today.year, today.month - 1, today.date + ahead));
    const day = local.getUTCDay();
    for (const window of settings.windows) {
      if (window.day !== day) continue;
      const start = instantOf(
        local.getUTCFullYear(),
        local.getUTCMonth() + 1,
        local.getUTCDate(),
        minutesOf(window.start),
        timeZone,
      );
      if (start.getTime() > at.getTime() && (best === undefined || start < best)) best = start;
    }
  }
  return best;
}

/** "2026-12-07T09:00 Europe/Berlin": an instant on the team's wall clock, as the trace shows it. */
export function localTimeLabel(at: Date, timeZone: string): string {
  const wall = wallClock(at, timeZone);
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${wall.year}-${pad(wall.month)}-${pad(wall.date)}T${pad(Math.floor(wall.minute / 60))}:${pad(wall.minute % 60)} ${timeZone}`;
}

export const urgencyOf = (settings: UrgencySettings, severity: AlertSeverity): Urgency =>
  settings.highUrgencySeverities.includes(severity) ? 'high' : 'low';

/**
 * Whether an incident of this severity opened at `at` is paged now, later (when support hours
 * begin) or never. Paging and the simulator both decide here.
 */
export function pagingDecision(settings: UrgencySettings, severity: AlertSeverity, at: Date): PagingDecision {
  const urgency = urgencyOf(settings, severity);
  if (urgency === 'high' || withinSupportHours(settings, at)) return { urgency, action: 'page' };
  const until = nextSupportHoursStart(settings, at);
  if (until === undefined || settings.timeZone === null) return { urgency, action: 'page' };
  if (settings.outsideHours === 'never') {
    return {
      urgency,
      action: 'never',
      message: 'Low urgency outside support hours: nobody is paged (the team never pages those)',
    };
  }
  return {
    urgency,
    action: 'defer',
    until,
    message: `Low urgency outside support hours: deferred until ${localTimeLabel(until, settings.timeZone)}`,
  };
}

/** A valid IANA time zone name (Intl rejects unknown ones). */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}
