import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { instantOf, localDateOf, zoneOf } from './local-time.js';
import {
  computeLayerSpans,
  computeSpans,
  continuingStartIndex,
  type LayerDefinition,
  type LayerVersion,
  type OverrideDefinition,
  onCallAt,
  type ScheduleDefinition,
} from './oncall-computation.js';

/** A local wall time in `zone` as a Date ("2025-03-30 09:00"). */
const at = (local: string, zone: string) => {
  const parsed = DateTime.fromFormat(local, 'yyyy-MM-dd HH:mm', { zone });
  if (!parsed.isValid) throw new Error(`bad local time ${local}`);
  return parsed.toJSDate();
};

const version = (overrides: Partial<LayerVersion> = {}): LayerVersion => ({
  effectiveFrom: new Date(0),
  turnUnit: 'days',
  turnLength: 1,
  handoffTime: null,
  handoffWeekday: null,
  restrictions: [],
  participantIds: ['alice', 'bob', 'carol'],
  startIndex: 0,
  ...overrides,
});

const layer = (
  id: string,
  startsAt: Date,
  versions: Partial<LayerVersion> | LayerVersion[],
  extra: Partial<LayerDefinition> = {},
): LayerDefinition => ({
  id,
  position: 1,
  startsAt,
  endsAt: null,
  versions: Array.isArray(versions) ? versions : [version(versions)],
  ...extra,
});

/** Spans as "user start→end" in local time with the UTC offset, easy to read in a table. */
function timeline(schedule: ScheduleDefinition, from: Date, to: Date): string[] {
  return computeSpans(schedule, from, to).map((span) => {
    const fmt = (d: Date) => DateTime.fromJSDate(d, { zone: schedule.timeZone }).toFormat("yyyy-MM-dd HH:mm'('ZZ')'");
    const source = span.overrideId === null ? span.layerId : `override:${span.overrideId}`;
    return `${span.userId} ${fmt(span.start)} → ${fmt(span.end)} [${source}]`;
  });
}

const hoursOf = (schedule: ScheduleDefinition, from: Date, to: Date) =>
  computeSpans(schedule, from, to).map((s) => [s.userId, (s.end.getTime() - s.start.getTime()) / 3_600_000]);

describe('local time rules', () => {
  it.each([
    // zone, local day, time, expected instant: gaps move forward, overlaps take the first occurrence
    ['Europe/Berlin', '2025-03-30', 150, '2025-03-30T01:30:00.000Z'],
    ['Europe/Berlin', '2025-10-26', 150, '2025-10-26T00:30:00.000Z'],
    ['America/New_York', '2025-03-09', 150, '2025-03-09T07:30:00.000Z'],
    ['America/New_York', '2025-11-02', 90, '2025-11-02T05:30:00.000Z'],
    ['Asia/Tokyo', '2025-03-30', 150, '2025-03-29T17:30:00.000Z'],
  ])('%s %s at minute %i is %s', (zone, day, minute, expected) => {
    const epochDay = Date.parse(`${day}T00:00:00Z`) / 86_400_000;
    expect(new Date(instantOf(epochDay, minute, zoneOf(zone))).toISOString()).toBe(expected);
  });

  it('reads the local date and weekday of an instant', () => {
    const local = localDateOf(Date.parse('2024-02-29T23:30:00Z'), zoneOf('Asia/Tokyo'));
    expect(local).toMatchObject({ weekday: 5, minuteOfDay: 8 * 60 + 30 });
    expect(new Date(local.epochDay * 86_400_000).toISOString().slice(0, 10)).toBe('2024-03-01');
  });
});

describe('rotations', () => {
  it('daily rotation at 09:00', () => {
    const zone = 'Europe/Berlin';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2025-01-06 09:00', zone), {})],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-06 00:00', zone), at('2025-01-10 00:00', zone))).toEqual([
      'alice 2025-01-06 09:00(+01:00) → 2025-01-07 09:00(+01:00) [L]',
      'bob 2025-01-07 09:00(+01:00) → 2025-01-08 09:00(+01:00) [L]',
      'carol 2025-01-08 09:00(+01:00) → 2025-01-09 09:00(+01:00) [L]',
      'alice 2025-01-09 09:00(+01:00) → 2025-01-10 00:00(+01:00) [L]',
    ]);
  });

  it('weekly rotation handing off on Monday 10:00 after a mid-week start', () => {
    const zone = 'America/New_York';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('W', at('2025-01-08 15:00', zone), { turnUnit: 'weeks', handoffTime: '10:00', handoffWeekday: 1 }),
      ],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-01 00:00', zone), at('2025-02-03 12:00', zone))).toEqual([
      'alice 2025-01-08 15:00(-05:00) → 2025-01-13 10:00(-05:00) [W]',
      'bob 2025-01-13 10:00(-05:00) → 2025-01-20 10:00(-05:00) [W]',
      'carol 2025-01-20 10:00(-05:00) → 2025-01-27 10:00(-05:00) [W]',
      'alice 2025-01-27 10:00(-05:00) → 2025-02-03 10:00(-05:00) [W]',
      'bob 2025-02-03 10:00(-05:00) → 2025-02-03 12:00(-05:00) [W]',
    ]);
  });

  it('a start before the handoff time gives the first participant a short first turn', () => {
    const zone = 'Europe/Berlin';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2025-01-06 07:00', zone), { handoffTime: '09:00' })],
      overrides: [],
    };
    expect(hoursOf(s, at('2025-01-06 00:00', zone), at('2025-01-08 09:00', zone))).toEqual([
      ['alice', 2],
      ['bob', 24],
      ['carol', 24],
    ]);
  });

  it.each([
    ['12-hour turns', { turnUnit: 'hours', turnLength: 12 }, [12, 12, 12, 12]],
    ['36-hour custom turns', { turnUnit: 'hours', turnLength: 36 }, [36, 12]],
    ['2-day turns', { turnUnit: 'days', turnLength: 2 }, [48]],
    ['2-week turns', { turnUnit: 'weeks', turnLength: 2 }, [48]],
  ] as const)('%s', (_label, shape, expectedHours) => {
    const zone = 'Asia/Tokyo';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2025-05-01 08:00', zone), shape)],
      overrides: [],
    };
    expect(hoursOf(s, at('2025-05-01 08:00', zone), at('2025-05-03 08:00', zone)).map(([, h]) => h)).toEqual(
      expectedHours,
    );
  });

  it('a single participant is one continuous span; no participants is no coverage', () => {
    const zone = 'UTC';
    const one: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2025-01-01 00:00', zone), { participantIds: ['solo'] })],
      overrides: [],
    };
    expect(hoursOf(one, at('2025-01-01 00:00', zone), at('2025-01-31 00:00', zone))).toEqual([['solo', 720]]);
    const none = { ...one, layers: [layer('L', at('2025-01-01 00:00', zone), { participantIds: [] })] };
    expect(computeSpans(none, at('2025-01-01 00:00', zone), at('2025-01-31 00:00', zone))).toEqual([]);
  });

  it('before the layer starts and after it ends there is nobody', () => {
    const zone = 'UTC';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2025-01-02 00:00', zone), {}, { endsAt: at('2025-01-03 12:00', zone) })],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-01 00:00', zone), at('2025-01-05 00:00', zone))).toEqual([
      'alice 2025-01-02 00:00(+00:00) → 2025-01-03 00:00(+00:00) [L]',
      'bob 2025-01-03 00:00(+00:00) → 2025-01-03 12:00(+00:00) [L]',
    ]);
  });
});

describe('restrictions', () => {
  const zone = 'Europe/Berlin';
  const start = at('2025-01-06 09:00', zone); // a Monday

  it('weekdays 09:00–17:00 with a weekly rotation', () => {
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('BH', start, {
          turnUnit: 'weeks',
          participantIds: ['alice', 'bob'],
          restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
        }),
      ],
      overrides: [],
    };
    const spans = timeline(s, at('2025-01-10 00:00', zone), at('2025-01-14 00:00', zone));
    expect(spans).toEqual([
      'alice 2025-01-10 09:00(+01:00) → 2025-01-10 17:00(+01:00) [BH]',
      'bob 2025-01-13 09:00(+01:00) → 2025-01-13 17:00(+01:00) [BH]',
    ]);
  });

  it('nights 18:00–08:00 wrap past midnight, and a window straddling a handoff splits between people', () => {
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('N', at('2025-01-06 00:00', zone), { restrictions: [{ start: '18:00', end: '08:00' }] })],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-06 00:00', zone), at('2025-01-08 00:00', zone))).toEqual([
      'alice 2025-01-06 00:00(+01:00) → 2025-01-06 08:00(+01:00) [N]',
      'alice 2025-01-06 18:00(+01:00) → 2025-01-07 00:00(+01:00) [N]',
      'bob 2025-01-07 00:00(+01:00) → 2025-01-07 08:00(+01:00) [N]',
      'bob 2025-01-07 18:00(+01:00) → 2025-01-08 00:00(+01:00) [N]',
    ]);
  });

  it('adjacent whole-day windows (weekend) join into one span', () => {
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('WE', start, {
          turnUnit: 'weeks',
          participantIds: ['alice'],
          restrictions: [{ days: [6, 7], start: '00:00', end: '00:00' }],
        }),
      ],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-06 00:00', zone), at('2025-01-13 00:00', zone))).toEqual([
      'alice 2025-01-11 00:00(+01:00) → 2025-01-13 00:00(+01:00) [WE]',
    ]);
  });
});

describe('layers', () => {
  it('a business-hours layer above a 24/7 layer wins where it covers; the lower one shows through elsewhere', () => {
    const zone = 'America/New_York';
    const start = at('2025-01-06 09:00', zone);
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('247', start, { turnUnit: 'weeks', participantIds: ['sam', 'tia'] }, { position: 1 }),
        layer(
          'BH',
          start,
          { participantIds: ['ann', 'ben'], restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }] },
          { position: 2 },
        ),
      ],
      overrides: [],
    };
    expect(timeline(s, at('2025-01-06 00:00', zone), at('2025-01-07 12:00', zone))).toEqual([
      'ann 2025-01-06 09:00(-05:00) → 2025-01-06 17:00(-05:00) [BH]',
      'sam 2025-01-06 17:00(-05:00) → 2025-01-07 09:00(-05:00) [247]',
      'ben 2025-01-07 09:00(-05:00) → 2025-01-07 12:00(-05:00) [BH]',
    ]);
    expect(computeLayerSpans(s, '247', at('2025-01-06 00:00', zone), at('2025-01-07 12:00', zone))).toHaveLength(1);
  });
});

describe('overrides', () => {
  const zone = 'UTC';
  const base: ScheduleDefinition = {
    timeZone: zone,
    layers: [layer('L', at('2025-01-01 00:00', zone), { participantIds: ['alice', 'bob'] })],
    overrides: [],
  };
  const override = (id: string, userId: string, from: string, to: string, created: string): OverrideDefinition => ({
    id,
    userId,
    startsAt: at(from, zone),
    endsAt: at(to, zone),
    createdAt: at(created, zone),
  });

  it('inside one turn', () => {
    const s = {
      ...base,
      overrides: [override('o1', 'zed', '2025-01-01 10:00', '2025-01-01 12:00', '2024-12-01 00:00')],
    };
    expect(timeline(s, at('2025-01-01 00:00', zone), at('2025-01-02 00:00', zone))).toEqual([
      'alice 2025-01-01 00:00(+00:00) → 2025-01-01 10:00(+00:00) [L]',
      'zed 2025-01-01 10:00(+00:00) → 2025-01-01 12:00(+00:00) [override:o1]',
      'alice 2025-01-01 12:00(+00:00) → 2025-01-02 00:00(+00:00) [L]',
    ]);
  });

  it('straddling a handoff and the edge of the requested range', () => {
    const s = {
      ...base,
      overrides: [override('o1', 'zed', '2024-12-31 20:00', '2025-01-02 06:00', '2024-12-01 00:00')],
    };
    expect(timeline(s, at('2025-01-01 00:00', zone), at('2025-01-03 00:00', zone))).toEqual([
      'zed 2025-01-01 00:00(+00:00) → 2025-01-02 06:00(+00:00) [override:o1]',
      'bob 2025-01-02 06:00(+00:00) → 2025-01-03 00:00(+00:00) [L]',
    ]);
  });

  it('overlapping overrides: the latest created wins, whatever the order given', () => {
    const older = override('o-old', 'yan', '2025-01-01 08:00', '2025-01-01 20:00', '2024-12-01 00:00');
    const newer = override('o-new', 'zed', '2025-01-01 12:00', '2025-01-01 14:00', '2024-12-02 00:00');
    for (const overrides of [
      [older, newer],
      [newer, older],
    ]) {
      expect(timeline({ ...base, overrides }, at('2025-01-01 06:00', zone), at('2025-01-01 22:00', zone))).toEqual([
        'alice 2025-01-01 06:00(+00:00) → 2025-01-01 08:00(+00:00) [L]',
        'yan 2025-01-01 08:00(+00:00) → 2025-01-01 12:00(+00:00) [override:o-old]',
        'zed 2025-01-01 12:00(+00:00) → 2025-01-01 14:00(+00:00) [override:o-new]',
        'yan 2025-01-01 14:00(+00:00) → 2025-01-01 20:00(+00:00) [override:o-old]',
        'alice 2025-01-01 20:00(+00:00) → 2025-01-01 22:00(+00:00) [L]',
      ]);
    }
  });

  it('an override fills a gap where no layer covers', () => {
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [],
      overrides: [override('o1', 'zed', '2025-01-01 10:00', '2025-01-01 12:00', '2024-12-01 00:00')],
    };
    expect(onCallAt(s, at('2025-01-01 11:00', zone))).toEqual({ userId: 'zed', layerId: null, overrideId: 'o1' });
    expect(onCallAt(s, at('2025-01-01 12:00', zone))).toBeNull();
  });
});

describe('participant changes mid-rotation', () => {
  const zone = 'Europe/Berlin';
  const start = at('2025-01-06 09:00', zone);
  const from = at('2025-01-06 00:00', zone);
  const to = at('2025-01-13 09:00', zone);
  const original = version({ participantIds: ['alice', 'bob', 'carol'] });
  const base: ScheduleDefinition = { timeZone: zone, layers: [layer('L', start, [original])], overrides: [] };
  const before = computeSpans(base, from, to);
  const changedAt = at('2025-01-07 15:00', zone); // during bob's turn

  const withChange = (participantIds: string[]) => {
    const next = { ...original, effectiveFrom: changedAt, participantIds };
    const startIndex = continuingStartIndex(base, base.layers[0] as LayerDefinition, next);
    return { ...base, layers: [layer('L', start, [original, { ...next, startIndex }])] };
  };
  const names = (s: ScheduleDefinition) => computeSpans(s, from, to).map((span) => span.userId);
  const pastUnchanged = (s: ScheduleDefinition) =>
    expect(computeSpans(s, from, changedAt)).toEqual(computeSpans(base, from, changedAt));

  it('adding someone: the running turn and the past stay, then the rotation carries on through the new list', () => {
    const s = withChange(['alice', 'bob', 'carol', 'dave']);
    pastUnchanged(s);
    expect(names(s)).toEqual(['alice', 'bob', 'carol', 'dave', 'alice', 'bob', 'carol']);
    // bob's running turn ends at its own handoff, not at the change
    expect(computeSpans(s, from, to)[1]?.end).toEqual(before[1]?.end);
  });

  it('removing the person on call: they finish their turn, the one due next takes over', () => {
    const s = withChange(['alice', 'carol']);
    pastUnchanged(s);
    expect(names(s)).toEqual(['alice', 'bob', 'carol', 'alice', 'carol', 'alice', 'carol']);
  });

  it('reordering: the next turn goes to whoever follows the current person in the new order', () => {
    const s = withChange(['carol', 'bob', 'alice']);
    pastUnchanged(s);
    expect(names(s)).toEqual(['alice', 'bob', 'alice', 'carol', 'bob', 'alice', 'carol']);
  });

  it('a change of turn shape takes over at its own first handoff after the change', () => {
    const next = { ...original, effectiveFrom: changedAt, turnUnit: 'weeks' as const, handoffTime: '09:00' };
    const s = { ...base, layers: [layer('L', start, [original, next])] };
    pastUnchanged(s);
    // the daily grid continues until the weekly grid's first handoff on Monday 13th 09:00
    expect(names(s)).toEqual(['alice', 'bob', 'carol', 'alice', 'bob', 'carol', 'alice']);
  });

  it('a change effective before the layer starts replaces the original list entirely', () => {
    const s = { ...base, layers: [layer('L', start, [original, { ...original, participantIds: ['zoe'] }])] };
    expect(names(s)).toEqual(['zoe']);
  });
});

describe('daylight saving time', () => {
  const handoffs = (s: ScheduleDefinition, from: Date, to: Date) =>
    computeSpans(s, from, to).map((span) =>
      DateTime.fromJSDate(span.start, { zone: s.timeZone }).toFormat("MM-dd HH:mm'('ZZ')'"),
    );

  it.each([
    ['Europe/Berlin', '2025-03-28', 'spring forward', [24, 23, 24]],
    ['Europe/Berlin', '2025-10-24', 'fall back', [24, 25, 24]],
    ['America/New_York', '2025-03-07', 'spring forward', [24, 23, 24]],
    ['America/New_York', '2025-10-31', 'fall back', [24, 25, 24]],
    ['Asia/Tokyo', '2025-03-28', 'no DST', [24, 24, 24]],
  ])('%s %s (%s): a daily 09:00 handoff stays at 09:00 local; the turn lasts %j hours', (zone, day, _l, hours) => {
    const s: ScheduleDefinition = { timeZone: zone, layers: [layer('L', at(`${day} 09:00`, zone), {})], overrides: [] };
    const spans = computeSpans(
      s,
      at(`${day} 09:00`, zone),
      DateTime.fromJSDate(at(`${day} 09:00`, zone), { zone })
        .plus({ days: 3 })
        .toJSDate(),
    );
    expect(spans.map((span) => DateTime.fromJSDate(span.start, { zone }).toFormat('HH:mm'))).toEqual([
      '09:00',
      '09:00',
      '09:00',
    ]);
    expect(spans.map((span) => (span.end.getTime() - span.start.getTime()) / 3_600_000)).toEqual(hours);
  });

  it.each([
    ['Europe/Berlin', '2025-03-29', ['03-29 09:00(+01:00)', '03-30 10:00(+02:00)', '03-31 10:00(+02:00)']],
    ['Europe/Berlin', '2025-10-25', ['10-25 09:00(+02:00)', '10-26 08:00(+01:00)', '10-27 08:00(+01:00)']],
    ['America/New_York', '2025-03-08', ['03-08 09:00(-05:00)', '03-09 10:00(-04:00)', '03-10 10:00(-04:00)']],
    ['America/New_York', '2025-11-01', ['11-01 09:00(-04:00)', '11-02 08:00(-05:00)', '11-03 08:00(-05:00)']],
    ['Asia/Tokyo', '2025-03-29', ['03-29 09:00(+09:00)', '03-30 09:00(+09:00)', '03-31 09:00(+09:00)']],
  ])('%s from %s: a 24-hour turn is 24 elapsed hours, so its local handoff shifts', (zone, day, expected) => {
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at(`${day} 09:00`, zone), { turnUnit: 'hours', turnLength: 24 })],
      overrides: [],
    };
    const from = at(`${day} 09:00`, zone);
    expect(handoffs(s, from, new Date(from.getTime() + 72 * 3_600_000))).toEqual(expected);
  });

  it.each([
    ['Europe/Berlin', '2025-03-29', '02:30', ['03-29 02:30(+01:00)', '03-30 03:30(+02:00)', '03-31 02:30(+02:00)']],
    ['Europe/Berlin', '2025-10-25', '02:30', ['10-25 02:30(+02:00)', '10-26 02:30(+02:00)', '10-27 02:30(+01:00)']],
    ['America/New_York', '2025-03-08', '02:30', ['03-08 02:30(-05:00)', '03-09 03:30(-04:00)', '03-10 02:30(-04:00)']],
    ['America/New_York', '2025-11-01', '01:30', ['11-01 01:30(-04:00)', '11-02 01:30(-04:00)', '11-03 01:30(-05:00)']],
  ])(
    '%s from %s: a %s handoff in the gap moves forward; in the overlap it is the first occurrence',
    (zone, day, time, expected) => {
      const s: ScheduleDefinition = {
        timeZone: zone,
        layers: [layer('L', at(`${day} ${time}`, zone), { handoffTime: time })],
        overrides: [],
      };
      const from = at(`${day} ${time}`, zone);
      expect(handoffs(s, from, new Date(from.getTime() + 70 * 3_600_000))).toEqual(expected);
    },
  );

  it('a weekly Monday 09:00 handoff stays at 09:00 across both transitions of a year (New York)', () => {
    const zone = 'America/New_York';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('W', at('2025-01-06 09:00', zone), { turnUnit: 'weeks' })],
      overrides: [],
    };
    const spans = computeSpans(s, at('2025-01-06 09:00', zone), at('2026-01-05 09:00', zone));
    expect(spans).toHaveLength(52);
    for (const span of spans) {
      const local = DateTime.fromJSDate(span.start, { zone });
      expect([local.weekday, local.toFormat('HH:mm')]).toEqual([1, '09:00']);
    }
  });

  it('a nights restriction 22:00–06:00 over the fall-back night lasts 9 hours (Berlin)', () => {
    const zone = 'Europe/Berlin';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('N', at('2025-10-20 09:00', zone), {
          turnUnit: 'weeks',
          restrictions: [{ start: '22:00', end: '06:00' }],
        }),
      ],
      overrides: [],
    };
    expect(hoursOf(s, at('2025-10-25 12:00', zone), at('2025-10-26 12:00', zone))).toEqual([['alice', 9]]);
    expect(hoursOf(s, at('2025-03-29 12:00', zone), at('2025-03-30 12:00', zone))).toEqual([]);
  });
});

describe('calendar edge cases and long ranges', () => {
  it('leap day: a daily rotation gives 29 February its own turn; a monthly-ish 28-day turn lands on it', () => {
    const zone = 'Asia/Tokyo';
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [layer('L', at('2024-02-27 09:00', zone), { participantIds: ['a', 'b', 'c', 'd'] })],
      overrides: [],
    };
    expect(timeline(s, at('2024-02-28 09:00', zone), at('2024-03-02 09:00', zone))).toEqual([
      'b 2024-02-28 09:00(+09:00) → 2024-02-29 09:00(+09:00) [L]',
      'c 2024-02-29 09:00(+09:00) → 2024-03-01 09:00(+09:00) [L]',
      'd 2024-03-01 09:00(+09:00) → 2024-03-02 09:00(+09:00) [L]',
    ]);
    const fourWeeks = {
      ...s,
      layers: [layer('L', at('2024-02-01 09:00', zone), { turnUnit: 'weeks', turnLength: 4 })],
    };
    expect(computeSpans(fourWeeks, at('2024-02-20 00:00', zone), at('2024-03-10 00:00', zone))[1]?.start).toEqual(
      at('2024-02-29 09:00', zone),
    );
  });

  it('a year of a daily rotation with weekday restrictions, two layers and overrides is exact and contiguous', () => {
    const zone = 'Europe/Berlin';
    const start = at('2025-01-01 09:00', zone);
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('247', start, { turnUnit: 'weeks', participantIds: ['p1', 'p2', 'p3', 'p4'] }, { position: 1 }),
        layer(
          'BH',
          start,
          {
            participantIds: ['b1', 'b2', 'b3'],
            restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
          },
          { position: 2 },
        ),
      ],
      overrides: [
        {
          id: 'o',
          userId: 'x',
          startsAt: at('2025-06-01 00:00', zone),
          endsAt: at('2025-06-08 00:00', zone),
          createdAt: start,
        },
      ],
    };
    const from = at('2025-01-01 09:00', zone);
    const to = at('2026-01-01 09:00', zone);
    const spans = computeSpans(s, from, to);
    expect(spans[0]?.start).toEqual(from);
    expect(spans[spans.length - 1]?.end).toEqual(to);
    for (let i = 1; i < spans.length; i += 1) expect(spans[i]?.start).toEqual(spans[i - 1]?.end);
    // 261 weekdays in 2025, minus the 5 inside the override week, each give one business-hours span
    expect(spans.filter((span) => span.layerId === 'BH')).toHaveLength(256);
  });
});

describe('the worked examples of docs/schedules.md', () => {
  const utc = (span: { userId: string; start: Date; end: Date; layerId: string | null; overrideId: string | null }) =>
    `${span.userId} ${span.start.toISOString().slice(0, 16)}Z → ${span.end.toISOString().slice(0, 16)}Z ${span.overrideId ?? span.layerId}`;

  it('follow-the-sun across Europe/Berlin and America/New_York, each layer in its own zone', () => {
    const s: ScheduleDefinition = {
      timeZone: 'Europe/Berlin',
      overrides: [],
      layers: [
        layer(
          'europe',
          at('2025-03-03 07:00', 'Europe/Berlin'),
          {
            turnUnit: 'weeks',
            handoffTime: '07:00',
            participantIds: ['anna', 'bjorn'],
            restrictions: [{ start: '07:00', end: '19:00' }],
          },
          { position: 1, timeZone: 'Europe/Berlin' },
        ),
        layer(
          'americas',
          at('2025-03-03 13:00', 'America/New_York'),
          {
            turnUnit: 'weeks',
            handoffTime: '13:00',
            participantIds: ['carlos', 'dana'],
            restrictions: [{ start: '13:00', end: '01:00' }],
          },
          { position: 2, timeZone: 'America/New_York' },
        ),
      ],
    };
    const day = (from: string, to: string) => computeSpans(s, new Date(from), new Date(to)).map(utc);
    expect(day('2025-03-03T06:00:00Z', '2025-03-04T06:00:00Z')).toEqual([
      'anna 2025-03-03T06:00Z → 2025-03-03T18:00Z europe',
      'carlos 2025-03-03T18:00Z → 2025-03-04T06:00Z americas',
    ]);
    // New York is on summer time, Berlin not yet: one hour overlaps (americas is higher), one is uncovered
    expect(day('2025-03-10T05:00:00Z', '2025-03-11T05:00:00Z')).toEqual([
      'bjorn 2025-03-10T06:00Z → 2025-03-10T17:00Z europe',
      'dana 2025-03-10T17:00Z → 2025-03-11T05:00Z americas',
    ]);
    expect(day('2025-03-31T05:00:00Z', '2025-04-01T05:00:00Z')).toEqual([
      'anna 2025-03-31T05:00Z → 2025-03-31T17:00Z europe',
      'carlos 2025-03-31T17:00Z → 2025-04-01T05:00Z americas',
    ]);
  });

  it('business-hours primary over a 24/7 secondary, with an override, across the New York fall-back', () => {
    const zone = 'America/New_York';
    const start = at('2025-10-27 09:00', zone);
    const s: ScheduleDefinition = {
      timeZone: zone,
      layers: [
        layer('secondary', start, { turnUnit: 'weeks', handoffTime: '09:00', participantIds: ['sam', 'tia'] }),
        layer(
          'primary',
          start,
          {
            handoffTime: '09:00',
            participantIds: ['ann', 'ben', 'cai'],
            restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
          },
          { position: 2 },
        ),
      ],
      overrides: [
        {
          id: 'override',
          userId: 'ben',
          startsAt: at('2025-11-01 18:00', zone),
          endsAt: at('2025-11-02 10:00', zone),
          createdAt: new Date('2025-10-20T00:00:00Z'),
        },
      ],
    };
    expect(hoursOf(s, at('2025-10-31 00:00', zone), at('2025-11-04 00:00', zone))).toEqual([
      ['sam', 9],
      ['ben', 8],
      ['sam', 25],
      ['ben', 17],
      ['sam', 23],
      ['ben', 8],
      ['tia', 7],
    ]);
  });
});
