import { describe, expect, it } from 'vitest';
import { dailyWindow, minutesOfDay, weeklyWindow } from './restrictions.js';

describe('vendor restrictions as Klaxon windows', () => {
  it('keeps a daily window and drops one that covers the whole day', () => {
    expect(dailyWindow(8 * 60, 9 * 60)).toEqual([{ start: '08:00', end: '17:00' }]);
    expect(dailyWindow(22 * 60, 10 * 60)).toEqual([{ start: '22:00', end: '08:00' }]);
    expect(dailyWindow(0, 24 * 60)).toEqual([]);
  });

  it('splits a weekly window longer than a day into consecutive days with the same cover', () => {
    // Friday 18:00 for 62.5 hours: to Monday 08:30.
    expect(weeklyWindow(5, 18 * 60, 62 * 60 + 30)).toEqual([
      { days: [5], start: '18:00', end: '18:00' },
      { days: [6], start: '18:00', end: '18:00' },
      { days: [7], start: '18:00', end: '08:30' },
    ]);
    expect(weeklyWindow(7, 9 * 60, 8 * 60)).toEqual([{ days: [7], start: '09:00', end: '17:00' }]);
  });

  it('reads times of day with or without seconds', () => {
    expect(minutesOfDay('08:30:00')).toBe(510);
    expect(minutesOfDay('23:59')).toBe(1439);
    expect(minutesOfDay('24:00')).toBeNull();
  });
});
