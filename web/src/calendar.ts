/** Laying on-call spans out as a calendar: one row per local day, each span as a slice of it. */

export interface Interval {
  start: string;
  end: string;
}

export interface DayRow<T extends Interval> {
  start: Date;
  /** Each span overlapping the day, clipped to it, as percentages of the day's real length. */
  segments: Array<{ span: T; left: number; width: number }>;
}

export const startOfDay = (date: Date) => new Date(date.getFullYear(), date.getMonth(), date.getDate());
export const addDays = (date: Date, days: number) =>
  new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);

/**
 * Rows for `days` local days from `from` (a local midnight). A day is measured from midnight to
 * midnight, so on daylight-saving days it lasts 23 or 25 hours and its slices stay proportional.
 */
export function calendarDays<T extends Interval>(spans: readonly T[], from: Date, days: number): Array<DayRow<T>> {
  return Array.from({ length: days }, (_, index) => {
    const start = addDays(from, index);
    const end = addDays(from, index + 1);
    const length = end.getTime() - start.getTime();
    const segments = spans
      .filter((span) => new Date(span.start) < end && new Date(span.end) > start)
      .map((span) => {
        const left = Math.max(new Date(span.start).getTime(), start.getTime());
        const right = Math.min(new Date(span.end).getTime(), end.getTime());
        return {
          span,
          left: ((left - start.getTime()) / length) * 100,
          width: ((right - left) / length) * 100,
        };
      });
    return { start, segments };
  });
}

/** A Date as the value of an `<input type="datetime-local">` (local time, minutes). */
export const toLocalInput = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};

/** The next full local hour after `now`: new rotations start there, so handovers fall on the hour. */
/** The start of the current hour: a new rotation hands over on the hour and puts someone on call at once. */
export const startOfHour = (now: Date) => new Date(now.getFullYear(), now.getMonth(), now.getDate(), now.getHours());

export type TurnUnit = 'hours' | 'days' | 'weeks';
const SINGULAR: Record<TurnUnit, string> = { hours: 'hour', days: 'day', weeks: 'week' };

/** "every day", "every 2 weeks": how often a rotation hands over, in words. */
export const describeTurn = (unit: TurnUnit, length: number) =>
  length === 1 ? `every ${SINGULAR[unit]}` : `every ${length} ${unit}`;

export interface BoundedInterval extends Interval {
  /** The whole shift the span belongs to; null when it reaches further than the server looks. */
  shiftStart: string | null;
  shiftEnd: string | null;
}

/**
 * The true start and end of the shift a timeline span belongs to, which the span itself clips to
 * the shown range; `open` says an end lies beyond what the server computed.
 */
export const shiftOf = (span: BoundedInterval) => ({
  start: span.shiftStart ?? span.start,
  end: span.shiftEnd ?? span.end,
  openStart: span.shiftStart === null,
  openEnd: span.shiftEnd === null,
});

/** `list` with the item at `index` moved by `delta` places (kept in bounds). */
export function move<T>(list: readonly T[], index: number, delta: number): T[] {
  const target = Math.min(Math.max(index + delta, 0), list.length - 1);
  if (index < 0 || index >= list.length || target === index) return [...list];
  const next = [...list];
  const [item] = next.splice(index, 1) as [T];
  next.splice(target, 0, item);
  return next;
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/**
 * The wall-clock "HH:MM" and ISO weekday (1 = Monday) of an instant in a time zone: handovers are
 * set in the schedule's zone, which need not be the browser's.
 */
export function wallClock(date: Date, timeZone: string): { time: string; weekday: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hourCycle: 'h23',
    hour: '2-digit',
    minute: '2-digit',
    weekday: 'long',
  }).formatToParts(date);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  const weekday = WEEKDAYS.indexOf(part('weekday') as (typeof WEEKDAYS)[number]) + 1;
  return { time: `${part('hour')}:${part('minute')}`, weekday };
}
