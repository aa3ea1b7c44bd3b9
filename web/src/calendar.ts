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
