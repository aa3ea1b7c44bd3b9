import type { Restriction } from './import-bundle.js';

const DAY_MINUTES = 24 * 60;

function timeOfDay(minutes: number): string {
  const wrapped = ((minutes % DAY_MINUTES) + DAY_MINUTES) % DAY_MINUTES;
  return `${String(Math.floor(wrapped / 60)).padStart(2, '0')}:${String(wrapped % 60).padStart(2, '0')}`;
}

/** Minutes since midnight of "HH:MM" or "HH:MM:SS" (seconds dropped); null if malformed. */
export function minutesOfDay(value: string): number | null {
  const match = /^(\d{2}):(\d{2})(?::\d{2})?$/.exec(value);
  if (match === null) return null;
  const hours = Number(match[1]);
  const minutes = Number(match[2]);
  return hours < 24 && minutes < 60 ? hours * 60 + minutes : null;
}

/**
 * A window that opens every day at `startMinute` for `durationMinutes`. A day or longer covers
 * the whole day, which in Klaxon is no restriction at all (an empty list).
 */
export function dailyWindow(startMinute: number, durationMinutes: number): Restriction[] {
  if (durationMinutes >= DAY_MINUTES) return [];
  return [{ start: timeOfDay(startMinute), end: timeOfDay(startMinute + durationMinutes) }];
}

/**
 * A window that opens every week on ISO weekday `day` at `startMinute` for `durationMinutes`
 * (up to a week). Klaxon's windows last at most a day, so a longer one becomes consecutive
 * 24-hour windows (start equal to end) and a shorter last one: together they cover the same time.
 */
export function weeklyWindow(day: number, startMinute: number, durationMinutes: number): Restriction[] {
  const windows: Restriction[] = [];
  const start = timeOfDay(startMinute);
  for (let offset = 0, left = Math.min(durationMinutes, 7 * DAY_MINUTES); left > 0; offset += 1) {
    const length = Math.min(left, DAY_MINUTES);
    windows.push({ days: [((day - 1 + offset) % 7) + 1], start, end: timeOfDay(startMinute + length) });
    left -= length;
  }
  return windows;
}

export const ISO_WEEKDAYS: Record<string, number> = {
  monday: 1,
  tuesday: 2,
  wednesday: 3,
  thursday: 4,
  friday: 5,
  saturday: 6,
  sunday: 7,
};
