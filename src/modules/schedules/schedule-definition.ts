import type { Executor } from '../../db/client.js';
import type { ScheduleLayerVersionRow, ScheduleRow } from '../../db/schema/index.js';
import type { LayerDefinition, LayerVersion, ScheduleDefinition, Span } from './oncall-computation.js';
import { invalid } from './schedule-access.js';
import type { LayerWithVersions, SchedulesRepository, UserSummary } from './schedules.repository.js';
import { MAX_RANGE_DAYS } from './schedules.schema.js';

export const DAY = 86_400_000;
/**
 * The instants a query may carry to the database: four-digit years, as PostgreSQL parses them
 * (`toISOString()` writes `+010000-…` beyond 9999). Windows computed around an instant near
 * either end are cut here rather than failing.
 */
export const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
export const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
export const storable = (date: Date) => new Date(Math.min(Math.max(date.getTime(), EARLIEST), LATEST));

export function checkRange(from: Date, to: Date) {
  if (to <= from) throw invalid('to', 'must be after from');
  if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
    throw invalid('to', `The range may span at most ${MAX_RANGE_DAYS} days`);
  }
}

function toLayerVersion(row: ScheduleLayerVersionRow): LayerVersion {
  return {
    effectiveFrom: row.effectiveFrom,
    turnUnit: row.turnUnit,
    turnLength: row.turnLength,
    handoffTime: row.handoffTime,
    handoffWeekday: row.handoffWeekday,
    restrictions: row.restrictions,
    participantIds: row.participantIds,
    startIndex: row.startIndex,
  };
}

export function toLayerDefinition(layer: LayerWithVersions): LayerDefinition {
  return {
    id: layer.id,
    position: layer.position,
    timeZone: layer.timeZone,
    startsAt: layer.startsAt,
    endsAt: layer.endsAt,
    versions: layer.versions.map(toLayerVersion),
  };
}

/** A schedule's stored layers and overrides as the on-call computation reads them. */
export function createDefinitionLoader(repository: SchedulesRepository) {
  return {
    async load(executor: Executor, schedule: ScheduleRow, range?: { from: Date; to: Date }) {
      const layers = await repository.listLayers(executor, schedule.id);
      const overrides = await repository.listOverrides(
        executor,
        schedule.id,
        range === undefined ? undefined : { from: storable(range.from), to: storable(range.to) },
      );
      const definition: ScheduleDefinition = {
        timeZone: schedule.timeZone,
        layers: layers.map(toLayerDefinition),
        overrides: overrides.map((o) => ({
          id: o.id,
          userId: o.userId,
          startsAt: o.startsAt,
          endsAt: o.endsAt,
          createdAt: o.createdAt,
        })),
      };
      return { layers, definition };
    },

    /** The people the spans name, for display. */
    summaries(executor: Executor, spans: Span[]): Promise<UserSummary[]> {
      return repository.userSummaries(executor, [...new Set(spans.map((span) => span.userId))]);
    },
  };
}

export type DefinitionLoader = ReturnType<typeof createDefinitionLoader>;
