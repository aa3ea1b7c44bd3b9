import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarDays } from './calendar';

// Local days are the browser's; pin a zone with daylight saving so 23- and 25-hour days occur.
const previousZone = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'Europe/Berlin';
});
afterAll(() => {
  process.env.TZ = previousZone;
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
