/**
 * How long the on-call computation takes for a year of spans: `npx tsx bench/schedules.ts`.
 * A realistic heavy schedule (Europe/Berlin, both DST changes inside the year): a daily 24/7
 * rotation of 8 people with two participant changes, a business-hours layer on weekdays,
 * a nights layer with hourly-custom 12-hour turns, and 50 overrides.
 */
import { performance } from 'node:perf_hooks';
import {
  computeSpans,
  type LayerVersion,
  type OverrideDefinition,
  type ScheduleDefinition,
} from '../src/modules/schedules/oncall-computation.js';

const people = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}${i}`);
const version = (overrides: Partial<LayerVersion>): LayerVersion => ({
  effectiveFrom: new Date(0),
  turnUnit: 'days',
  turnLength: 1,
  handoffTime: '09:00',
  handoffWeekday: null,
  restrictions: [],
  participantIds: people('p', 8),
  startIndex: 0,
  ...overrides,
});
const start = new Date('2025-01-01T08:00:00Z');
const overrides: OverrideDefinition[] = Array.from({ length: 50 }, (_, i) => ({
  id: `o${i}`,
  userId: `cover${i % 5}`,
  startsAt: new Date(start.getTime() + i * 7 * 86_400_000 + 3_600_000 * (i % 24)),
  endsAt: new Date(start.getTime() + i * 7 * 86_400_000 + 3_600_000 * (i % 24) + 36 * 3_600_000),
  createdAt: new Date(start.getTime() + i * 1000),
}));
const schedule: ScheduleDefinition = {
  timeZone: 'Europe/Berlin',
  layers: [
    {
      id: '247',
      position: 1,
      startsAt: start,
      endsAt: null,
      versions: [
        version({}),
        version({ effectiveFrom: new Date('2025-04-15T12:00:00Z'), participantIds: people('p', 9), startIndex: 3 }),
        version({ effectiveFrom: new Date('2025-09-01T12:00:00Z'), participantIds: people('q', 6), startIndex: 1 }),
      ],
    },
    {
      id: 'business',
      position: 2,
      startsAt: start,
      endsAt: null,
      versions: [
        version({
          turnUnit: 'weeks',
          participantIds: people('b', 4),
          restrictions: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }],
        }),
      ],
    },
    {
      id: 'nights',
      position: 3,
      startsAt: start,
      endsAt: null,
      versions: [
        version({
          turnUnit: 'hours',
          turnLength: 12,
          handoffTime: null,
          participantIds: people('n', 5),
          restrictions: [{ start: '22:00', end: '06:00' }],
        }),
      ],
    },
  ],
  overrides,
};

const from = new Date('2025-01-01T00:00:00Z');
const to = new Date('2026-01-01T00:00:00Z');
const coldStart = performance.now();
computeSpans(schedule, from, to);
const cold = performance.now() - coldStart;
for (let i = 0; i < 5; i += 1) computeSpans(schedule, from, to); // warm-up
const runs = 30;
const times: number[] = [];
let count = 0;
for (let i = 0; i < runs; i += 1) {
  const began = performance.now();
  count = computeSpans(schedule, from, to).length;
  times.push(performance.now() - began);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(runs / 2)] ?? 0;
const worst = times[runs - 1] ?? 0;
console.log(
  `a year of spans (3 layers, 3 rotation versions, restrictions, 50 overrides, Europe/Berlin): ${count} spans; ` +
    `first (cold) run ${cold.toFixed(1)} ms; then median ${median.toFixed(1)} ms, worst ${worst.toFixed(1)} ms ` +
    `over ${runs} runs (node ${process.version})`,
);
