import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  computeLayerSpans,
  computeSpans,
  type LayerDefinition,
  type LayerVersion,
  layerOnCallAt,
  onCallAt,
  type ScheduleDefinition,
  type Span,
} from './oncall-computation.js';

/**
 * Properties of the timeline against the direct point-in-time computation, over random
 * schedules in zones with and without DST and random ranges around the DST transitions.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const BASE = Date.parse('2024-01-01T00:00:00Z');
const RANGE = 3 * 365 * DAY;

const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.constantFrom(0, 15, 30, 45)).map(([h, m]) => {
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
});
const people = fc.uniqueArray(fc.constantFrom('ann', 'ben', 'cho', 'dev', 'eve'), { minLength: 0, maxLength: 4 });

const versionArb = fc.record({
  effectiveOffset: fc.integer({ min: -10 * DAY, max: 60 * DAY }),
  turnUnit: fc.constantFrom('hours' as const, 'days' as const, 'weeks' as const),
  turnLength: fc.integer({ min: 1, max: 30 }),
  handoffTime: fc.option(time, { nil: null }),
  handoffWeekday: fc.option(fc.integer({ min: 1, max: 7 }), { nil: null }),
  restrictions: fc.array(
    fc.record({
      days: fc.option(fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), { nil: undefined }),
      start: time,
      end: time,
    }),
    { maxLength: 2 },
  ),
  participantIds: people,
  startIndex: fc.nat(),
});

const layerArb = fc.record({
  startOffset: fc.integer({ min: 0, max: RANGE }),
  length: fc.option(fc.integer({ min: HOUR, max: 120 * DAY }), { nil: null }),
  versions: fc.array(versionArb, { minLength: 1, maxLength: 3 }),
});

const scheduleArb = fc
  .record({
    timeZone: fc.constantFrom('Europe/Berlin', 'America/New_York', 'Asia/Tokyo', 'Australia/Lord_Howe', 'UTC'),
    layers: fc.array(layerArb, { minLength: 1, maxLength: 3 }),
    overrides: fc.array(
      fc.record({
        startOffset: fc.integer({ min: 0, max: RANGE }),
        length: fc.integer({ min: HOUR / 4, max: 10 * DAY }),
        userId: fc.constantFrom('ovr1', 'ovr2', 'ann'),
        createdOffset: fc.integer({ min: 0, max: 1000 }),
      }),
      { maxLength: 3 },
    ),
  })
  .map(
    ({ timeZone, layers, overrides }): ScheduleDefinition => ({
      timeZone,
      layers: layers.map(
        (l, index): LayerDefinition => ({
          id: `layer${index}`,
          position: index,
          startsAt: new Date(BASE + l.startOffset),
          endsAt: l.length === null ? null : new Date(BASE + l.startOffset + l.length),
          versions: l.versions.map(
            (v): LayerVersion => ({
              effectiveFrom: new Date(BASE + l.startOffset + v.effectiveOffset),
              turnUnit: v.turnUnit,
              turnLength: v.turnLength,
              handoffTime: v.turnUnit === 'hours' ? null : v.handoffTime,
              handoffWeekday: v.turnUnit === 'weeks' ? v.handoffWeekday : null,
              restrictions: v.restrictions,
              participantIds: v.participantIds,
              startIndex: v.participantIds.length === 0 ? 0 : v.startIndex % v.participantIds.length,
            }),
          ),
        }),
      ),
      overrides: overrides.map((o, index) => ({
        id: `o${index}`,
        userId: o.userId,
        startsAt: new Date(BASE + o.startOffset),
        endsAt: new Date(BASE + o.startOffset + o.length),
        createdAt: new Date(BASE + o.createdOffset),
      })),
    }),
  );

const intervalArb = fc
  .tuple(fc.integer({ min: 0, max: RANGE }), fc.integer({ min: HOUR, max: 45 * DAY }))
  .map(([offset, length]) => ({ from: new Date(BASE + offset), to: new Date(BASE + offset + length) }));

function assertWellFormed(spans: Span[], from: Date, to: Date) {
  for (let i = 0; i < spans.length; i += 1) {
    const span = spans[i] as Span;
    expect(span.end.getTime()).toBeGreaterThan(span.start.getTime());
    expect(span.start.getTime()).toBeGreaterThanOrEqual(from.getTime());
    expect(span.end.getTime()).toBeLessThanOrEqual(to.getTime());
    if (i > 0) expect(span.start.getTime()).toBeGreaterThanOrEqual((spans[i - 1] as Span).end.getTime());
  }
}

/** Instants worth probing: every span edge, just before each, and a spread across the range. */
function probes(spans: Span[], from: Date, to: Date, extra: number[]): number[] {
  const points = new Set<number>(extra);
  for (const span of spans) {
    points.add(span.start.getTime());
    points.add(span.end.getTime() - 1);
  }
  for (let i = 0; i < 40; i += 1) points.add(from.getTime() + Math.floor(((to.getTime() - from.getTime()) * i) / 40));
  return [...points].filter((t) => t >= from.getTime() && t < to.getTime());
}

const containing = (spans: Span[], t: number) => spans.filter((s) => s.start.getTime() <= t && t < s.end.getTime());

describe('timeline properties', () => {
  it('within a layer, spans never overlap and at every covered instant exactly one person is on call', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        intervalArb,
        fc.array(fc.integer({ min: 0, max: 45 * DAY }), { maxLength: 10 }),
        (schedule, { from, to }, offsets) => {
          for (const layer of schedule.layers) {
            const spans = computeLayerSpans(schedule, layer.id, from, to);
            assertWellFormed(spans, from, to);
            for (const t of probes(
              spans,
              from,
              to,
              offsets.map((o) => from.getTime() + o),
            )) {
              const expected = layerOnCallAt(schedule, layer, new Date(t));
              const found = containing(spans, t);
              expect(found.map((s) => s.userId)).toEqual(expected === null ? [] : [expected]);
            }
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('the final timeline never overlaps, agrees with who is on call at each instant, and leaves no covered instant uncovered', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        intervalArb,
        fc.array(fc.integer({ min: 0, max: 45 * DAY }), { maxLength: 10 }),
        (schedule, { from, to }, offsets) => {
          const spans = computeSpans(schedule, from, to);
          assertWellFormed(spans, from, to);
          for (const t of probes(
            spans,
            from,
            to,
            offsets.map((o) => from.getTime() + o),
          )) {
            const expected = onCallAt(schedule, new Date(t));
            const found = containing(spans, t).map(({ userId, layerId, overrideId }) => ({
              userId,
              layerId,
              overrideId,
            }));
            expect(found).toEqual(expected === null ? [] : [expected]);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('splitting a range in two gives the same timeline (up to the cut)', () => {
    fc.assert(
      fc.property(
        scheduleArb,
        intervalArb,
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        (schedule, { from, to }, cut) => {
          const middle = new Date(Math.floor(from.getTime() + (to.getTime() - from.getTime()) * cut));
          const whole = computeSpans(schedule, from, to);
          const parts = [...computeSpans(schedule, from, middle), ...computeSpans(schedule, middle, to)];
          const rejoined: Span[] = [];
          for (const span of parts) {
            const last = rejoined[rejoined.length - 1];
            const same =
              last?.end.getTime() === span.start.getTime() &&
              last.userId === span.userId &&
              last.layerId === span.layerId &&
              last.overrideId === span.overrideId;
            if (last !== undefined && same) last.end = span.end;
            else rejoined.push({ ...span });
          }
          expect(rejoined).toEqual(whole);
        },
      ),
      { numRuns: 100 },
    );
  });
});
