import type { Principal } from '../../core/principal.js';
import type { ScheduleRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import type { Authz } from '../authz/authz.service.js';
import { computeLayerSpans, computeSpans, type Span } from './oncall-computation.js';
import type { SchedulePartDeps } from './schedule-access.js';
import { checkRange, DAY, type DefinitionLoader } from './schedule-definition.js';
import { MAX_RANGE_DAYS } from './schedules.schema.js';
import { allBounded, withShiftBounds } from './shift-bounds.js';

/** Who is on call: a schedule's timeline, the person on call at an instant, a person's shifts. */
export function createScheduleOnCall(
  deps: Pick<SchedulePartDeps, 'db' | 'repository' | 'access' | 'now'> & {
    authz: Authz;
    definitions: DefinitionLoader;
  },
) {
  const { db, repository, access, now, authz, definitions } = deps;

  /** A person's shifts in the schedules of the teams they still belong to. */
  async function userShifts(userId: string, from: Date, to: Date) {
    const scheduleIds = await repository.scheduleIdsWithUser(db, userId, from);
    const scope = await authz.scopeOfUser(userId);
    const shifts: Array<Span & { scheduleId: string; scheduleName: string; teamId: string }> = [];
    for (const scheduleId of scheduleIds) {
      const schedule = await repository.findById(db, scheduleId);
      if (schedule === undefined || (scope !== 'all' && !scope.includes(schedule.teamId))) continue;
      const { definition } = await definitions.load(db, schedule, { from, to });
      for (const span of computeSpans(definition, from, to)) {
        if (span.userId === userId) {
          shifts.push({ ...span, scheduleId, scheduleName: schedule.name, teamId: schedule.teamId });
        }
      }
    }
    return shifts.sort((a, b) => a.start.getTime() - b.start.getTime() || a.scheduleId.localeCompare(b.scheduleId));
  }

  /**
   * The spans with the bounds of their whole shifts, looked up in ever wider windows around the
   * view until every shift fits (or the widest still cuts it: a shift of more than half the range limit).
   */
  async function shiftsOf(schedule: ScheduleRow, spans: Span[], view: { from: Date; to: Date }) {
    let bounded = withShiftBounds(spans, spans, view);
    for (const days of [7, 60, MAX_RANGE_DAYS / 2]) {
      if (allBounded(bounded)) break;
      const window = {
        from: new Date(view.from.getTime() - days * DAY),
        to: new Date(view.to.getTime() + days * DAY),
      };
      const { definition } = await definitions.load(db, schedule, window);
      bounded = withShiftBounds(spans, computeSpans(definition, window.from, window.to), window);
    }
    return bounded;
  }

  return {
    userShifts,

    /** The computed timeline over [from, to) (default: the next 7 days), with each layer's own. */
    async spans(viewer: Principal, scheduleId: string, range: { from?: Date | undefined; to?: Date | undefined }) {
      const { schedule } = await access.authorize(db, viewer, scheduleId, 'read');
      const from = range.from ?? now();
      const to = range.to ?? new Date(from.getTime() + 7 * DAY);
      checkRange(from, to);
      const { layers, definition } = await definitions.load(db, schedule, { from, to });
      const spans = await shiftsOf(schedule, computeSpans(definition, from, to), { from, to });
      const layerSpans = [...layers]
        .sort((a, b) => b.position - a.position)
        .map((layer) => ({
          layerId: layer.id,
          name: layer.name,
          position: layer.position,
          spans: computeLayerSpans(definition, layer.id, from, to),
        }));
      const users = await definitions.summaries(db, [...spans, ...layerSpans.flatMap((layer) => layer.spans)]);
      return { schedule, from, to, spans, layers: layerSpans, users };
    },

    /**
     * Who is on call at an instant, with the whole of their current shift: the window grows until
     * the shift's ends are inside it (or the range limit is reached).
     */
    async onCall(viewer: Principal, scheduleId: string, at: Date | undefined) {
      const { schedule } = await access.authorize(db, viewer, scheduleId, 'read');
      const instant = at ?? now();
      const t = instant.getTime();
      let found: Span | undefined;
      for (const days of [7, 60, MAX_RANGE_DAYS / 2]) {
        const from = new Date(t - days * DAY);
        const to = new Date(t + days * DAY);
        const { definition } = await definitions.load(db, schedule, { from, to });
        found = computeSpans(definition, from, to).find((span) => span.start.getTime() <= t && t < span.end.getTime());
        if (found === undefined || (found.start > from && found.end < to)) break;
      }
      const oncall = found === undefined ? [] : [found];
      const users = await definitions.summaries(db, oncall);
      return {
        scheduleId,
        at: instant,
        oncall: oncall.map((span) => ({ ...span, user: users.find((user) => user.id === span.userId) ?? null })),
      };
    },

    /**
     * Who is on call on a schedule at an instant, for escalation (no viewer: the engine acts for
     * the team). Implements the incidents module's OnCallResolver; [] for an unknown schedule.
     */
    async whoIsOnCall(scheduleId: string, at: Date): Promise<string[]> {
      const schedule = await repository.findById(db, scheduleId);
      if (schedule === undefined) return [];
      // Any span covering `at` overlaps this window, so the window is enough to find it.
      const from = new Date(at.getTime() - DAY);
      const to = new Date(at.getTime() + 1);
      const { definition } = await definitions.load(db, schedule, { from, to });
      const t = at.getTime();
      return [
        ...new Set(
          computeSpans(definition, from, to)
            .filter((span) => span.start.getTime() <= t && t < span.end.getTime())
            .map((span) => span.userId),
        ),
      ];
    },

    /** A person's shifts across every schedule over [from, to) (default: the next 30 days). Self or admin. */
    async userOnCall(viewer: Principal, userId: string, range: { from?: Date | undefined; to?: Date | undefined }) {
      if (!authz.isSelfOrAdmin(viewer, userId)) {
        throw new AppError('user-not-found', `No user with id ${userId}`);
      }
      if (!(await repository.userExists(db, userId))) throw new AppError('user-not-found', `No user with id ${userId}`);
      const from = range.from ?? now();
      const to = range.to ?? new Date(from.getTime() + 30 * DAY);
      checkRange(from, to);
      // A key limited to one team shows that team's shifts only.
      const scope = await authz.scopeOf(viewer);
      const shifts = (await userShifts(userId, from, to)).filter(
        (shift) => scope === 'all' || scope.includes(shift.teamId) || viewer.keyLimits === undefined,
      );
      return { userId, from, to, shifts };
    },
  };
}

export type ScheduleOnCall = ReturnType<typeof createScheduleOnCall>;
