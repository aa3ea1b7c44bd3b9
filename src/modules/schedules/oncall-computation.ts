import type { IANAZone } from 'luxon';
import { instantOf, localDateOf, parseTimeOfDay, weekdayOf, zoneOf } from './local-time.js';

/**
 * Who is on call, computed from a schedule's definition alone: no database, no clock. The model
 * (documented with examples in docs/schedules.md):
 *
 * - A **layer** is a rotation. Its participants take turns in order. Turns are cut by handoffs:
 *   - `hours`: every `turnLength` elapsed hours from the layer's start. Elapsed time ignores the
 *     wall clock, so a 24-hour turn that spans a DST change hands off an hour earlier or later
 *     in local time (09:00 → 10:00 after spring-forward in Europe/Berlin).
 *   - `days` / `weeks`: at `handoffTime` local time, every `turnLength` calendar days or weeks
 *     from the start's local date (or from the first `handoffWeekday` on or after it). Calendar
 *     arithmetic keeps a 09:00 handoff at 09:00 local across DST; such a turn lasts 23 or 25 hours.
 *   The first turn runs from the start to the first handoff after it and belongs to the first
 *   participant (it is shorter than the others when the start is not at a handoff).
 * - **Restrictions** mask a layer: it covers only the listed windows (e.g. weekdays 09:00–17:00,
 *   or 18:00–08:00 for nights). The rotation itself keeps turning behind the mask.
 * - **Versions**: a change to a layer's rotation (participants, turn, handoff, restrictions) is a
 *   new version with `effectiveFrom`. It takes over at its own first handoff at or after that
 *   instant, so the turn in progress keeps its person and nothing before the change moves. The
 *   new list starts at `startIndex`.
 * - Handoffs and restrictions read the wall clock of the layer's time zone (the schedule's unless
 *   the layer names its own, e.g. for follow-the-sun rotations across zones).
 * - **Layers** are stacked: where several cover an instant, the one with the highest `position`
 *   wins. **Overrides** beat every layer; where overrides overlap, the latest created wins.
 *
 * All instants are epoch milliseconds in, Date out; intervals are half-open [start, end).
 */
export type TurnUnit = 'hours' | 'days' | 'weeks';

export interface Restriction {
  /** ISO weekdays (1 = Monday … 7 = Sunday) on which a window starts; all days when absent. */
  days?: number[] | undefined;
  /** "HH:MM" local. */
  start: string;
  /** "HH:MM" local; at or before `start` means the window ends on the next day (same time: 24 hours). */
  end: string;
}

export interface LayerVersion {
  effectiveFrom: Date;
  turnUnit: TurnUnit;
  turnLength: number;
  /** "HH:MM" local; for days/weeks only. Defaults to the local time of the layer's start. */
  handoffTime: string | null;
  /** For weeks only: the weekday of handoffs. Defaults to the weekday of the layer's start. */
  handoffWeekday: number | null;
  restrictions: Restriction[];
  participantIds: string[];
  /** The index in `participantIds` of the person who takes the version's first turn. */
  startIndex: number;
}

export interface LayerDefinition {
  id: string;
  /** The IANA zone of the layer's handoffs and restrictions; the schedule's when absent. */
  timeZone?: string | null | undefined;
  /** Higher positions win over lower ones. */
  position: number;
  startsAt: Date;
  endsAt: Date | null;
  /** At least one; in any order (sorted by effectiveFrom here). */
  versions: LayerVersion[];
}

export interface OverrideDefinition {
  id: string;
  userId: string;
  startsAt: Date;
  endsAt: Date;
  /** Precedence: the latest created wins where overrides overlap (ties: the greater id). */
  createdAt: Date;
}

export interface ScheduleDefinition {
  timeZone: string;
  layers: LayerDefinition[];
  overrides: OverrideDefinition[];
}

export interface Span {
  userId: string;
  start: Date;
  end: Date;
  layerId: string | null;
  overrideId: string | null;
}

interface Interval {
  start: number;
  end: number;
}

interface RawSpan extends Interval {
  userId: string;
  layerId: string | null;
  overrideId: string | null;
}

const MS_PER_HOUR = 3_600_000;

/** Handoff instants of one version, numbered like turns: turn k (k ≥ 1) starts at handoff(k). */
interface Rotation {
  /** Start of turn k ≥ 1. */
  handoff(k: number): number;
  /** The turn containing `t` (0 before the first handoff). */
  turnAt(t: number): number;
}

function rotationOf(version: LayerVersion, layerStart: number, zone: IANAZone): Rotation {
  if (version.turnUnit === 'hours') {
    const length = version.turnLength * MS_PER_HOUR;
    return {
      handoff: (k) => layerStart + k * length,
      turnAt: (t) => Math.max(0, Math.floor((t - layerStart) / length)),
    };
  }
  const step = version.turnLength * (version.turnUnit === 'weeks' ? 7 : 1);
  const start = localDateOf(layerStart, zone);
  const minute = version.handoffTime === null ? start.minuteOfDay : parseTimeOfDay(version.handoffTime);
  let anchorDay = start.epochDay;
  if (version.turnUnit === 'weeks' && version.handoffWeekday !== null) {
    anchorDay += (version.handoffWeekday - start.weekday + 7) % 7;
  }
  const gridPoint = (j: number) => instantOf(anchorDay + j * step, minute, zone);
  // The first handoff is the first grid point strictly after the start.
  const firstJ = gridPoint(0) > layerStart ? 0 : 1;
  const handoff = (k: number) => gridPoint(firstJ + k - 1);
  return {
    handoff,
    turnAt(t) {
      const day = localDateOf(t, zone).epochDay;
      let j = Math.floor((day - anchorDay) / step);
      while (gridPoint(j) > t) j -= 1;
      while (gridPoint(j + 1) <= t) j += 1;
      return Math.max(0, j - firstJ + 1);
    },
  };
}

interface ActiveVersion {
  version: LayerVersion;
  rotation: Rotation;
  /** When this version takes over (its first handoff at or after effectiveFrom). */
  from: number;
  /** When the next version takes over, or the layer ends. */
  to: number;
  /** The turn number at `from`: its turn gets participantIds[startIndex]. */
  firstTurn: number;
}

/** The stretches of time each version of a layer governs, in order; versions overtaken before taking over are dropped. */
function activeVersions(layer: LayerDefinition, zone: IANAZone): ActiveVersion[] {
  const layerStart = layer.startsAt.getTime();
  const layerEnd = layer.endsAt === null ? Number.POSITIVE_INFINITY : layer.endsAt.getTime();
  const sorted = [...layer.versions].sort((a, b) => a.effectiveFrom.getTime() - b.effectiveFrom.getTime());
  const takeovers = sorted.map((version) => {
    const rotation = rotationOf(version, layerStart, zone);
    const effective = version.effectiveFrom.getTime();
    if (effective <= layerStart) return { version, rotation, from: layerStart, firstTurn: 0 };
    let turn = rotation.turnAt(effective);
    if (turn === 0 || rotation.handoff(turn) < effective) turn += 1;
    return { version, rotation, from: rotation.handoff(turn), firstTurn: turn };
  });
  const result: ActiveVersion[] = [];
  for (let i = 0; i < takeovers.length; i += 1) {
    const current = takeovers[i];
    if (current === undefined) continue;
    let to = layerEnd;
    for (let j = i + 1; j < takeovers.length; j += 1) to = Math.min(to, takeovers[j]?.from ?? to);
    // A later version taking over no later than an earlier one replaces it entirely.
    if (to > current.from) result.push({ ...current, to });
  }
  return result;
}

function personOf(active: ActiveVersion, turn: number): string | undefined {
  const ids = active.version.participantIds;
  if (ids.length === 0) return undefined;
  const index = (((active.version.startIndex + turn - active.firstTurn) % ids.length) + ids.length) % ids.length;
  return ids[index];
}

/** The windows of a version's restrictions overlapping [from, to), merged; the whole interval when unrestricted. */
function restrictionWindows(restrictions: Restriction[], from: number, to: number, zone: IANAZone): Interval[] {
  if (restrictions.length === 0) return [{ start: from, end: to }];
  const windows: Interval[] = [];
  const firstDay = localDateOf(from, zone).epochDay - 1;
  const lastDay = localDateOf(to, zone).epochDay;
  for (const restriction of restrictions) {
    const startMinute = parseTimeOfDay(restriction.start);
    const endMinute = parseTimeOfDay(restriction.end);
    const days = restriction.days === undefined || restriction.days.length === 0 ? undefined : restriction.days;
    for (let day = firstDay; day <= lastDay; day += 1) {
      if (days !== undefined && !days.includes(weekdayOf(day))) continue;
      const start = instantOf(day, startMinute, zone);
      const end = instantOf(endMinute > startMinute ? day : day + 1, endMinute, zone);
      const clipped = { start: Math.max(start, from), end: Math.min(end, to) };
      if (clipped.end > clipped.start) windows.push(clipped);
    }
  }
  return mergeIntervals(windows);
}

function mergeIntervals(intervals: Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => a.start - b.start);
  const merged: Interval[] = [];
  for (const interval of sorted) {
    const last = merged[merged.length - 1];
    if (last !== undefined && interval.start <= last.end) last.end = Math.max(last.end, interval.end);
    else merged.push({ ...interval });
  }
  return merged;
}

/** Joins touching spans of the same person from the same source. */
function mergeSpans(spans: RawSpan[]): RawSpan[] {
  const merged: RawSpan[] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (
      last !== undefined &&
      last.end === span.start &&
      last.userId === span.userId &&
      last.layerId === span.layerId &&
      last.overrideId === span.overrideId
    ) {
      last.end = span.end;
    } else {
      merged.push({ ...span });
    }
  }
  return merged;
}

function layerSpansRaw(layer: LayerDefinition, zone: IANAZone, from: number, to: number): RawSpan[] {
  const spans: RawSpan[] = [];
  for (const active of activeVersions(layer, zone)) {
    const lo = Math.max(from, active.from);
    const hi = Math.min(to, active.to);
    if (hi <= lo || active.version.participantIds.length === 0) continue;
    const windows = restrictionWindows(active.version.restrictions, lo, hi, zone);
    let windowIndex = 0;
    for (let turn = active.rotation.turnAt(lo); windowIndex < windows.length; turn += 1) {
      const turnStart = turn === 0 ? active.from : active.rotation.handoff(turn);
      if (turnStart >= hi) break;
      const turnEnd = active.rotation.handoff(turn + 1);
      const userId = personOf(active, turn);
      if (userId === undefined) break;
      // Intersect the turn with the (sorted, disjoint) restriction windows.
      while (windowIndex < windows.length) {
        const window = windows[windowIndex];
        if (window === undefined) break;
        const start = Math.max(window.start, turnStart, lo);
        const end = Math.min(window.end, turnEnd, hi);
        if (end > start) spans.push({ userId, start, end, layerId: layer.id, overrideId: null });
        if (window.end > turnEnd) break;
        windowIndex += 1;
      }
    }
  }
  return mergeSpans(spans);
}

/** One layer's own timeline over [from, to), before other layers and overrides are applied. */
export function computeLayerSpans(schedule: ScheduleDefinition, layerId: string, from: Date, to: Date): Span[] {
  const layer = schedule.layers.find((candidate) => candidate.id === layerId);
  if (layer === undefined) return [];
  return layerSpansRaw(layer, layerZone(schedule, layer), from.getTime(), to.getTime()).map(toSpan);
}

function overridePrecedes(a: OverrideDefinition, b: OverrideDefinition): boolean {
  const byTime = a.createdAt.getTime() - b.createdAt.getTime();
  return byTime === 0 ? a.id < b.id : byTime < 0;
}

/** Overrides flattened over [from, to): each instant belongs to the latest created override covering it. */
function overrideSpansRaw(overrides: OverrideDefinition[], from: number, to: number): RawSpan[] {
  const relevant = overrides.filter((o) => o.startsAt.getTime() < to && o.endsAt.getTime() > from);
  if (relevant.length === 0) return [];
  const points = new Set<number>([from, to]);
  for (const o of relevant) {
    points.add(Math.min(Math.max(o.startsAt.getTime(), from), to));
    points.add(Math.min(Math.max(o.endsAt.getTime(), from), to));
  }
  const sorted = [...points].sort((a, b) => a - b);
  const spans: RawSpan[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const start = sorted[i] as number;
    const end = sorted[i + 1] as number;
    let winner: OverrideDefinition | undefined;
    for (const o of relevant) {
      if (o.startsAt.getTime() <= start && o.endsAt.getTime() >= end && (!winner || overridePrecedes(winner, o))) {
        winner = o;
      }
    }
    if (winner) spans.push({ userId: winner.userId, start, end, layerId: null, overrideId: winner.id });
  }
  return mergeSpans(spans);
}

/**
 * The schedule's final timeline over [from, to): at every instant the latest override covering
 * it, else the highest layer covering it, else nobody (a gap, with no span). Spans are sorted,
 * never overlap, and touching spans of the same person and source are joined.
 */
export function computeSpans(schedule: ScheduleDefinition, from: Date, to: Date): Span[] {
  const lo = from.getTime();
  const hi = to.getTime();
  if (!(hi > lo)) return [];
  // Highest priority first: overrides, then layers from the highest position down.
  const layers = [...schedule.layers].sort((a, b) => b.position - a.position);
  const sources: RawSpan[][] = [
    overrideSpansRaw(schedule.overrides, lo, hi),
    ...layers.map((layer) => layerSpansRaw(layer, layerZone(schedule, layer), lo, hi)),
  ];
  const points = new Set<number>();
  for (const source of sources) {
    for (const span of source) {
      points.add(span.start);
      points.add(span.end);
    }
  }
  const sorted = [...points].sort((a, b) => a - b);
  const cursors = sources.map(() => 0);
  const result: RawSpan[] = [];
  for (let i = 0; i + 1 < sorted.length; i += 1) {
    const start = sorted[i] as number;
    const end = sorted[i + 1] as number;
    for (let s = 0; s < sources.length; s += 1) {
      const source = sources[s] as RawSpan[];
      let cursor = cursors[s] as number;
      while (cursor < source.length && (source[cursor] as RawSpan).end <= start) cursor += 1;
      cursors[s] = cursor;
      const span = source[cursor];
      if (span !== undefined && span.start <= start) {
        result.push({ ...span, start, end });
        break;
      }
    }
  }
  return mergeSpans(result).map(toSpan);
}

function layerZone(schedule: ScheduleDefinition, layer: LayerDefinition): IANAZone {
  return zoneOf(layer.timeZone ?? schedule.timeZone);
}

function toSpan(span: RawSpan): Span {
  return {
    userId: span.userId,
    start: new Date(span.start),
    end: new Date(span.end),
    layerId: span.layerId,
    overrideId: span.overrideId,
  };
}

/**
 * Who one layer puts on call at an instant, computed directly (no timeline): the reference the
 * span computation is tested against.
 */
export function layerOnCallAt(schedule: ScheduleDefinition, layer: LayerDefinition, at: Date): string | null {
  const t = at.getTime();
  const zone = layerZone(schedule, layer);
  if (t < layer.startsAt.getTime() || (layer.endsAt !== null && t >= layer.endsAt.getTime())) return null;
  const active = activeVersions(layer, zone).find((candidate) => candidate.from <= t && t < candidate.to);
  if (active === undefined) return null;
  const inWindow = restrictionWindows(active.version.restrictions, t, t + 1, zone).length > 0;
  if (!inWindow) return null;
  return personOf(active, active.rotation.turnAt(t)) ?? null;
}

/** Who is on call at an instant, and why, computed directly (no timeline). */
export function onCallAt(
  schedule: ScheduleDefinition,
  at: Date,
): { userId: string; layerId: string | null; overrideId: string | null } | null {
  const t = at.getTime();
  let winner: OverrideDefinition | undefined;
  for (const o of schedule.overrides) {
    if (o.startsAt.getTime() <= t && t < o.endsAt.getTime() && (!winner || overridePrecedes(winner, o))) winner = o;
  }
  if (winner) return { userId: winner.userId, layerId: null, overrideId: winner.id };
  for (const layer of [...schedule.layers].sort((a, b) => b.position - a.position)) {
    const userId = layerOnCallAt(schedule, layer, at);
    if (userId !== null) return { userId, layerId: layer.id, overrideId: null };
  }
  return null;
}

/**
 * Where a new participant list should start so the rotation carries on naturally when it takes
 * over at `version.effectiveFrom`: after the person whose turn is running then, if they stay;
 * else with the person who was due next, if they stay; else with the first of the new list.
 */
export function continuingStartIndex(
  schedule: ScheduleDefinition,
  layer: LayerDefinition,
  version: Omit<LayerVersion, 'startIndex'>,
): number {
  const zone = layerZone(schedule, layer);
  const candidate: LayerVersion = { ...version, startIndex: 0 };
  const probe = activeVersions({ ...layer, endsAt: null, versions: [...layer.versions, candidate] }, zone);
  const mine = probe.find((active) => active.version === candidate);
  if (mine === undefined || mine.from <= layer.startsAt.getTime()) return 0;
  const before = activeVersions({ ...layer, endsAt: null }, zone);
  const personAt = (t: number) => {
    const active = before.find((a) => a.from <= t && t < a.to);
    return active === undefined ? undefined : personOf(active, active.rotation.turnAt(t));
  };
  const current = personAt(mine.from - 1);
  const currentIndex = current === undefined ? -1 : version.participantIds.indexOf(current);
  if (currentIndex >= 0) return (currentIndex + 1) % version.participantIds.length;
  const due = personAt(mine.from);
  const dueIndex = due === undefined ? -1 : version.participantIds.indexOf(due);
  return Math.max(dueIndex, 0);
}
