import { IANAZone } from 'luxon';

/**
 * Wall-clock arithmetic in an IANA time zone, on top of Luxon's zone database. Dates are
 * handled as "epoch days" (days since 1970-01-01 of the local calendar) so stepping by N days
 * never drifts, and every wall-clock time is turned into an instant in one place, with one rule
 * for the two DST edge cases (the same rule as Temporal's `disambiguation: 'compatible'`):
 * - a time that does not exist (spring-forward gap) moves forward by the length of the gap
 *   (02:30 on the day Berlin jumps from 02:00 to 03:00 becomes 03:30 CEST);
 * - a time that exists twice (fall-back overlap) means its first occurrence (02:30 CEST, not CET).
 */
const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;

export interface LocalDate {
  epochDay: number;
  /** ISO weekday of the date: 1 = Monday … 7 = Sunday. */
  weekday: number;
}

const zones = new Map<string, IANAZone>();

/**
 * Luxon reads offsets through Intl (microseconds each, and the bulk of the computation time), so
 * they are memoised per zone and UTC hour. An hour whose two ends have the same offset has no
 * transition inside it (tzdb never has two within an hour); an hour with a transition is not
 * cached and is read exactly each time.
 */
const HOUR_MS = 3_600_000;
const OFFSET_CACHE_LIMIT = 500_000;
const offsetCache = new Map<string, number | null>();

function offsetAt(zone: IANAZone, instant: number): number {
  const hour = Math.floor(instant / HOUR_MS);
  const key = `${zone.name}|${hour}`;
  let cached = offsetCache.get(key);
  if (cached === undefined) {
    const first = zone.offset(hour * HOUR_MS);
    cached = first === zone.offset(hour * HOUR_MS + HOUR_MS - 1) ? first : null;
    if (offsetCache.size >= OFFSET_CACHE_LIMIT) offsetCache.clear();
    offsetCache.set(key, cached);
  }
  return cached ?? zone.offset(instant);
}

export function zoneOf(name: string): IANAZone {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = IANAZone.create(name);
    if (!zone.isValid) throw new RangeError(`Unknown time zone ${name}`);
    zones.set(name, zone);
  }
  return zone;
}

export function isValidTimeZone(name: string): boolean {
  return IANAZone.isValidZone(name);
}

/** "HH:MM" (00:00–23:59) as minutes after midnight. */
export function parseTimeOfDay(value: string): number {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(value);
  if (match === null) throw new RangeError(`Not a time of day: ${value}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/** The local calendar date (and minutes after local midnight) of an instant. */
export function localDateOf(instant: number, zone: IANAZone): LocalDate & { minuteOfDay: number } {
  const wall = instant + offsetAt(zone, instant) * MS_PER_MINUTE;
  const epochDay = Math.floor(wall / MS_PER_DAY);
  const minuteOfDay = Math.floor((wall - epochDay * MS_PER_DAY) / MS_PER_MINUTE);
  return { epochDay, weekday: weekdayOf(epochDay), minuteOfDay };
}

export function weekdayOf(epochDay: number): number {
  // 1970-01-01 was a Thursday (ISO 4).
  return ((((epochDay + 3) % 7) + 7) % 7) + 1;
}

/** The instant at which the wall clock in `zone` shows `minuteOfDay` on `epochDay` (see the rules above). */
export function instantOf(epochDay: number, minuteOfDay: number, zone: IANAZone): number {
  const wall = epochDay * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  // Candidate offsets: those in force a day either side cover every real zone transition.
  const before = offsetAt(zone, wall - MS_PER_DAY);
  const after = offsetAt(zone, wall + MS_PER_DAY);
  let best: number | undefined;
  for (const offset of before === after ? [before] : [before, after]) {
    const candidate = wall - offset * MS_PER_MINUTE;
    if (offsetAt(zone, candidate) === offset && (best === undefined || candidate < best)) best = candidate;
  }
  if (best !== undefined) return best;
  // In a gap: read the wall time with the offset from before the jump, which lands after it.
  return wall - before * MS_PER_MINUTE;
}
