import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDays, describeTurn, move, shiftOf, startOfHour, toLocalInput, wallClock } from './calendar';

// Local days are the browser's; pin a zone with daylight saving so 23- and 25-hour days occur.
const previousZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
// Test files share worker processes: put the zone back as it was (unset stays unset, not "undefined").
afterAll(() => {
  if (previousZone === undefined) delete process.env.TZ;
  else process.env.TZ = previousZone;
});

const span = (start: string, end: string) => ({ start, end });

describe('calendarDays', () => {
  it('splits a span at local midnight and clips it to the shown days', () => {
    const from = new Date(2025, 0, 6); // Monday 6 January 2025, 00:00 in Berlin (UTC+1)
    const rows = calendarDays(
      [
        span('2025-01-06T17:00:00Z', '2025-01-07T05:00:00Z'), // 18:00 → 06:00 next morning
        span('2025-01-05T12:00:00Z', '2025-01-06T05:00:00Z'), // from before the range until 06:00
        span('2025-01-08T00:00:00Z', '2025-01-09T00:00:00Z'), // after the range
      ],
      from,
      2,
    );
    expect(rows.map((row) => row.start.toISOString())).toEqual([
      '2025-01-05T23:00:00.000Z',
      '2025-01-06T23:00:00.000Z',
    ]);
    expect(rows[0]?.segments.map(({ left, width }) => [left, width])).toEqual([
      [75, 25],
      [0, 25],
    ]);
    expect(rows[1]?.segments.map(({ left, width }) => [left, width])).toEqual([[0, 25]]);
  });

  it('measures daylight-saving days by their real length', () => {
    // 30 March 2025: clocks jump from 02:00 to 03:00, a 23-hour day.
    const spring = calendarDays([span('2025-03-29T23:00:00Z', '2025-03-30T01:00:00Z')], new Date(2025, 2, 30), 1);
    expect(spring[0]?.segments[0]?.width).toBeCloseTo((2 / 23) * 100);
    // 26 October 2025: clocks go back from 03:00 to 02:00, a 25-hour day; the whole day is 100 %.
    const autumn = calendarDays([span('2025-10-25T22:00:00Z', '2025-10-26T23:00:00Z')], new Date(2025, 9, 26), 1);
    expect(autumn[0]?.segments[0]).toMatchObject({ left: 0, width: 100 });
    expect(addDays(new Date(2025, 9, 26), 1).getTime() - new Date(2025, 9, 26).getTime()).toBe(25 * 3_600_000);
  });
});

describe('rotation helpers', () => {
  it('starts new rotations at the start of the current hour, so someone is on call at once', () => {
    expect(startOfHour(new Date(2025, 0, 6, 14, 37, 12))).toEqual(new Date(2025, 0, 6, 14, 0, 0));
    expect(startOfHour(new Date(2025, 0, 6, 23, 0, 0))).toEqual(new Date(2025, 0, 6, 23, 0, 0));
    expect(toLocalInput(startOfHour(new Date(2025, 0, 6, 9, 5)))).toBe('2025-01-06T09:00');
  });

  it('says how often a rotation hands over without "1 weeks"', () => {
    expect(describeTurn('days', 1)).toBe('every day');
    expect(describeTurn('weeks', 1)).toBe('every week');
    expect(describeTurn('weeks', 2)).toBe('every 2 weeks');
    expect(describeTurn('hours', 12)).toBe('every 12 hours');
  });

  it('reads wall-clock time and weekday in the schedule’s zone, not the browser’s', () => {
    // Monday 6 January 2025 23:30 UTC is already Tuesday 08:30 in Tokyo and 00:30 in Berlin.
    const instant = new Date('2025-01-06T23:30:00Z');
    expect(wallClock(instant, 'Asia/Tokyo')).toEqual({ time: '08:30', weekday: 2 });
    expect(wallClock(instant, 'Europe/Berlin')).toEqual({ time: '00:30', weekday: 2 });
    expect(wallClock(instant, 'America/New_York')).toEqual({ time: '18:30', weekday: 1 });
  });

  it('moves a participant up or down and keeps the others in order', () => {
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c']);
    expect(move(['a', 'b', 'c'], 2, 1)).toEqual(['a', 'b', 'c']);
  });
});

describe('shiftOf', () => {
  it('gives the whole shift, not the span clipped to the view', () => {
    const clipped = {
      start: '2025-01-06T00:00:00Z',
      end: '2025-01-13T00:00:00Z',
      shiftStart: '2025-01-03T09:00:00Z',
      shiftEnd: '2025-01-17T09:00:00Z',
    };
    expect(shiftOf(clipped)).toEqual({
      start: '2025-01-03T09:00:00Z',
      end: '2025-01-17T09:00:00Z',
      openStart: false,
      openEnd: false,
    });
  });

  it('falls back to the span and says so when the shift reaches beyond what the server computed', () => {
    const endless = { start: '2025-01-06T00:00:00Z', end: '2025-01-13T00:00:00Z', shiftStart: null, shiftEnd: null };
    expect(shiftOf(endless)).toEqual({
      start: '2025-01-06T00:00:00Z',
      end: '2025-01-13T00:00:00Z',
      openStart: true,
      openEnd: true,
    });
  });
});
