import { describe, expect, it } from 'vitest';
import { nextSupportHoursStart, pagingDecision, type UrgencySettings, withinSupportHours } from './support-hours.js';

const weekdays = (start: string, end: string) => [1, 2, 3, 4, 5].map((day) => ({ day, start, end }));
const berlin: UrgencySettings = {
  highUrgencySeverities: ['critical', 'error'],
  timeZone: 'Europe/Berlin',
  windows: weekdays('09:00', '17:00'),
  outsideHours: 'defer',
};
const newYork: UrgencySettings = { ...berlin, timeZone: 'America/New_York', windows: weekdays('08:00', '18:00') };
const utc = (iso: string) => new Date(iso);

describe('support hours across DST changes', () => {
  it('Europe/Berlin: 09:00 is 07:00Z before 2026-10-25 and 08:00Z after', () => {
    // Friday 2026-10-23 is summer time (UTC+2); Monday 2026-10-26 is winter time (UTC+1).
    expect(withinSupportHours(berlin, utc('2026-10-23T06:59:00Z'))).toBe(false);
    expect(withinSupportHours(berlin, utc('2026-10-23T07:00:00Z'))).toBe(true);
    expect(withinSupportHours(berlin, utc('2026-10-23T14:59:00Z'))).toBe(true);
    expect(withinSupportHours(berlin, utc('2026-10-23T15:00:00Z'))).toBe(false);
    expect(withinSupportHours(berlin, utc('2026-10-26T07:59:00Z'))).toBe(false);
    expect(withinSupportHours(berlin, utc('2026-10-26T08:00:00Z'))).toBe(true);
    expect(nextSupportHoursStart(berlin, utc('2026-10-23T15:00:00Z'))).toEqual(utc('2026-10-26T08:00:00Z'));
  });

  it('America/New_York: 08:00 is 12:00Z before 2026-11-01 and 13:00Z after', () => {
    expect(withinSupportHours(newYork, utc('2026-10-30T11:59:00Z'))).toBe(false);
    expect(withinSupportHours(newYork, utc('2026-10-30T12:00:00Z'))).toBe(true);
    expect(withinSupportHours(newYork, utc('2026-10-30T22:00:00Z'))).toBe(false);
    expect(withinSupportHours(newYork, utc('2026-11-02T12:59:00Z'))).toBe(false);
    expect(withinSupportHours(newYork, utc('2026-11-02T13:00:00Z'))).toBe(true);
    expect(nextSupportHoursStart(newYork, utc('2026-10-30T22:00:00Z'))).toEqual(utc('2026-11-02T13:00:00Z'));
  });

  it('a window at a repeated hour starts at its first occurrence, one in a skipped hour after the gap', () => {
    const sunday = (timeZone: string, start: string): UrgencySettings => ({
      ...berlin,
      timeZone,
      windows: [{ day: 0, start, end: '04:00' }],
    });
    // 01:30 happens twice in New York on 2026-11-01: first at 05:30Z (EDT).
    expect(nextSupportHoursStart(sunday('America/New_York', '01:30'), utc('2026-10-31T12:00:00Z'))).toEqual(
      utc('2026-11-01T05:30:00Z'),
    );
    // 02:30 does not happen in Berlin on 2027-03-28: it moves on to 03:30 CEST (01:30Z).
    expect(nextSupportHoursStart(sunday('Europe/Berlin', '02:30'), utc('2027-03-27T12:00:00Z'))).toEqual(
      utc('2027-03-28T01:30:00Z'),
    );
  });
});

describe('pagingDecision', () => {
  const night = utc('2026-12-06T01:00:00Z');

  it('pages high urgency at once, even outside support hours', () => {
    expect(pagingDecision(berlin, 'critical', night)).toEqual({ urgency: 'high', action: 'page' });
  });

  it('defers low urgency outside support hours to their start, named on the wall clock', () => {
    expect(pagingDecision(berlin, 'warning', night)).toEqual({
      urgency: 'low',
      action: 'defer',
      until: utc('2026-12-07T08:00:00Z'),
      message: 'Low urgency outside support hours: deferred until 2026-12-07T09:00 Europe/Berlin',
    });
  });

  it('never pages low urgency outside support hours when the team chose so', () => {
    expect(pagingDecision({ ...berlin, outsideHours: 'never' }, 'info', night).action).toBe('never');
  });

  it('pages low urgency inside support hours, and always without support hours', () => {
    expect(pagingDecision(berlin, 'warning', utc('2026-12-07T08:00:00Z'))).toEqual({ urgency: 'low', action: 'page' });
    expect(pagingDecision({ ...berlin, timeZone: null, windows: [] }, 'info', night)).toEqual({
      urgency: 'low',
      action: 'page',
    });
  });
});
