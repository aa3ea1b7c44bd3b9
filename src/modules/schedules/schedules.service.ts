import type { Database, Executor, Transaction } from '../../db/client.js';
import { isForeignKeyViolation, isUniqueViolation } from '../../db/client.js';
import type { ScheduleLayerVersionRow, ScheduleRow, TurnUnitColumn } from '../../db/schema/index.js';
import { randomHex, sha256Hex } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { Principal } from '../api-keys/api-keys.service.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import { type CalendarEvent, renderCalendar } from './ical.js';
import {
  computeLayerSpans,
  computeSpans,
  continuingStartIndex,
  type LayerDefinition,
  type LayerVersion,
  type Restriction,
  type ScheduleDefinition,
  type Span,
} from './oncall-computation.js';
import type { LayerWithVersions, SchedulesRepository, UserSummary } from './schedules.repository.js';
import { MAX_RANGE_DAYS } from './schedules.schema.js';

const DAY = 86_400_000;
/** What a calendar subscription shows: the recent past and the coming months. */
const FEED_PAST_DAYS = 30;
const FEED_FUTURE_DAYS = 180;
const FEED_TOKEN_BYTES = 32;
const FEED_URL_PATTERN = /^([0-9a-f]{64})\.ics$/;
/**
 * The instants a query may carry to the database: four-digit years, as PostgreSQL parses them
 * (`toISOString()` writes `+010000-…` beyond 9999). Windows computed around an instant near
 * either end are cut here rather than failing.
 */
const EARLIEST = Date.parse('0001-01-01T00:00:00.000Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const storable = (date: Date) => new Date(Math.min(Math.max(date.getTime(), EARLIEST), LATEST));

export interface CreateScheduleInput {
  teamId: string;
  name: string;
  description?: string | null | undefined;
  timeZone: string;
}

export interface UpdateScheduleInput {
  name?: string | undefined;
  description?: string | null | undefined;
  timeZone?: string | undefined;
}

interface RotationInput {
  turnUnit: TurnUnitColumn;
  turnLength: number;
  handoffTime?: string | null | undefined;
  handoffWeekday?: number | null | undefined;
  restrictions: Restriction[];
  participantIds: string[];
}

export interface CreateLayerInput extends RotationInput {
  name: string;
  timeZone?: string | null | undefined;
  position?: number | undefined;
  startsAt: Date;
  endsAt?: Date | null | undefined;
}

export interface UpdateLayerInput extends Partial<RotationInput> {
  name?: string | undefined;
  position?: number | undefined;
  endsAt?: Date | null | undefined;
  effectiveFrom?: Date | undefined;
  startIndex?: number | undefined;
}

export interface CreateOverrideInput {
  userId: string;
  startsAt: Date;
  endsAt: Date;
  note?: string | null | undefined;
}

type Access = 'read' | 'manage';

export function createSchedulesService(deps: {
  db: Database;
  schedulesRepository: SchedulesRepository;
  auditService: Pick<AuditService, 'record'>;
  authz: Authz;
  now?: () => Date;
}) {
  const { db, schedulesRepository: repository, auditService, authz } = deps;
  const now = deps.now ?? (() => new Date());

  const notFound = (id: string) => new AppError('schedule-not-found', `No schedule with id ${id}`);
  const layerNotFound = (id: string) =>
    new AppError('schedule-layer-not-found', `No layer with id ${id} in this schedule`);
  const invalid = (path: string, message: string) =>
    new AppError('validation-failed', message, { errors: [{ path, message }] });

  async function accessOf(executor: Executor, viewer: Principal, schedule: ScheduleRow): Promise<Access | undefined> {
    const standing = await authz.standingIn(viewer, schedule.teamId, executor);
    if (standing === undefined) return undefined;
    return standing === 'member' ? 'read' : 'manage';
  }

  /** The schedule if the viewer may see it (404 otherwise, as for a missing one); 403 if they need to manage it and may only read. */
  async function authorize(executor: Executor, viewer: Principal, id: string, need: Access, lock = false) {
    const schedule = lock ? await repository.findByIdForUpdate(executor, id) : await repository.findById(executor, id);
    if (schedule === undefined) throw notFound(id);
    const standing = await authz.authorize(viewer, need === 'manage' ? 'manage' : 'read', schedule.teamId, {
      notFound: () => notFound(id),
      executor,
    });
    const access: Access = standing === 'member' ? 'read' : 'manage';
    return { schedule, access };
  }

  /** Layer participants and override users are stored references: members of the schedule's team only. */
  function checkTeamMembers(executor: Executor, teamId: string, userIds: string[], path: string) {
    return authz.assertReferences(executor, teamId, [{ kind: 'user', ids: userIds, path }]);
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

  function toLayerDefinition(layer: LayerWithVersions): LayerDefinition {
    return {
      id: layer.id,
      position: layer.position,
      timeZone: layer.timeZone,
      startsAt: layer.startsAt,
      endsAt: layer.endsAt,
      versions: layer.versions.map(toLayerVersion),
    };
  }

  async function loadDefinition(executor: Executor, schedule: ScheduleRow, range?: { from: Date; to: Date }) {
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
  }

  function checkRange(from: Date, to: Date) {
    if (to <= from) throw invalid('to', 'must be after from');
    if (to.getTime() - from.getTime() > MAX_RANGE_DAYS * DAY) {
      throw invalid('to', `The range may span at most ${MAX_RANGE_DAYS} days`);
    }
  }

  async function detail(viewer: Principal, id: string) {
    const { schedule, access } = await authorize(db, viewer, id, 'read');
    const layers = await repository.listLayers(db, id);
    return { ...schedule, canManage: access === 'manage', layers };
  }

  /** Renumbers layers 1..n in the given order. */
  async function renumber(tx: Transaction, orderedIds: string[]) {
    for (const [index, id] of orderedIds.entries()) await repository.setLayerPosition(tx, id, index + 1);
  }

  function placeAt(ids: string[], id: string, position: number | undefined): string[] {
    const others = ids.filter((other) => other !== id);
    const index = position === undefined ? others.length : Math.min(Math.max(position - 1, 0), others.length);
    return [...others.slice(0, index), id, ...others.slice(index)];
  }

  function feedToken() {
    const token = randomHex(FEED_TOKEN_BYTES);
    return { token, tokenHash: sha256Hex(token), tokenPrefix: `${token.slice(0, 8)}...` };
  }

  /** A person's shifts in the schedules of the teams they still belong to. */
  async function userShifts(userId: string, from: Date, to: Date) {
    const scheduleIds = await repository.scheduleIdsWithUser(db, userId, from);
    const scope = await authz.scopeOfUser(userId);
    const shifts: Array<Span & { scheduleId: string; scheduleName: string; teamId: string }> = [];
    for (const scheduleId of scheduleIds) {
      const schedule = await repository.findById(db, scheduleId);
      if (schedule === undefined || (scope !== 'all' && !scope.includes(schedule.teamId))) continue;
      const { definition } = await loadDefinition(db, schedule, { from, to });
      for (const span of computeSpans(definition, from, to)) {
        if (span.userId === userId) {
          shifts.push({ ...span, scheduleId, scheduleName: schedule.name, teamId: schedule.teamId });
        }
      }
    }
    return shifts.sort((a, b) => a.start.getTime() - b.start.getTime() || a.scheduleId.localeCompare(b.scheduleId));
  }

  /**
   * Issues a feed token (shown once, stored hashed) for a schedule or a person, audited in the
   * same transaction. `check` authorizes inside that transaction and returns the audit metadata.
   */
  async function createFeed(
    actor: Principal,
    owner: { scheduleId: string | null; userId: string | null },
    check: (tx: Transaction) => Promise<Record<string, unknown>>,
  ) {
    const { token, tokenHash, tokenPrefix } = feedToken();
    const feed = await db.transaction(async (tx) => {
      const metadata = await check(tx);
      const row = await repository.insertFeed(tx, {
        id: uuidv7(),
        ...owner,
        tokenHash,
        tokenPrefix,
        createdBy: actor.userId,
      });
      await auditService.record(tx, {
        action: 'ical_feed.created',
        userId: actor.userId,
        resourceType: 'ical_feed',
        resourceId: row.id,
        severity: 'MEDIUM',
        metadata: { ...metadata, tokenPrefix },
      });
      return row;
    });
    return { ...feed, url: `/ical/${token}.ics` };
  }

  async function summaries(executor: Executor, spans: Span[]): Promise<UserSummary[]> {
    return repository.userSummaries(executor, [...new Set(spans.map((span) => span.userId))]);
  }

  return {
    async create(input: CreateScheduleInput, actor: Principal) {
      await authz.authorize(actor, 'manage', input.teamId, {
        notFound: () => new AppError('team-not-found', `No team with id ${input.teamId}`),
      });
      try {
        const created = await db.transaction(async (tx) => {
          const row = await repository.insert(tx, {
            id: uuidv7(),
            teamId: input.teamId,
            name: input.name,
            description: input.description ?? null,
            timeZone: input.timeZone,
          });
          await auditService.record(tx, {
            action: 'schedule.created',
            userId: actor.userId,
            resourceType: 'schedule',
            resourceId: row.id,
            severity: 'MEDIUM',
            metadata: { name: row.name, teamId: row.teamId, timeZone: row.timeZone },
          });
          return row;
        });
        return detail(actor, created.id);
      } catch (error) {
        if (isUniqueViolation(error, 'schedules_team_name_unique')) {
          throw new AppError('duplicate-schedule', `The team already has a schedule named "${input.name}"`);
        }
        if (isForeignKeyViolation(error, 'schedules_team_id_teams_id_fk')) {
          throw new AppError('team-not-found', `No team with id ${input.teamId}`);
        }
        throw error;
      }
    },

    async list(viewer: Principal, teamId?: string) {
      const rows = await repository.list(db, await authz.scopeOf(viewer), teamId);
      const managed = await authz.managedAmong(
        viewer,
        rows.map((row) => row.teamId),
      );
      return rows.map((row) => ({ ...row, canManage: managed.has(row.teamId) }));
    },

    get: detail,

    async update(id: string, input: UpdateScheduleInput, actor: Principal) {
      try {
        await db.transaction(async (tx) => {
          const { schedule } = await authorize(tx, actor, id, 'manage', true);
          const changes: Record<string, { from: unknown; to: unknown }> = {};
          for (const field of ['name', 'description', 'timeZone'] as const) {
            const value = input[field];
            if (value !== undefined && value !== schedule[field]) changes[field] = { from: schedule[field], to: value };
          }
          if (Object.keys(changes).length === 0) return;
          await repository.update(
            tx,
            id,
            Object.fromEntries(Object.entries(changes).map(([field, change]) => [field, change.to])),
            now(),
          );
          await auditService.record(tx, {
            action: 'schedule.updated',
            userId: actor.userId,
            resourceType: 'schedule',
            resourceId: id,
            severity: changes.timeZone === undefined ? 'INFO' : 'MEDIUM',
            metadata: { name: schedule.name, changes },
          });
        });
      } catch (error) {
        if (isUniqueViolation(error, 'schedules_team_name_unique')) {
          throw new AppError('duplicate-schedule', `The team already has a schedule named "${input.name ?? ''}"`);
        }
        throw error;
      }
      return detail(actor, id);
    },

    async delete(id: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, id, 'manage', true);
        await repository.delete(tx, id);
        await auditService.record(tx, {
          action: 'schedule.deleted',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: id,
          severity: 'HIGH',
          metadata: { name: schedule.name, teamId: schedule.teamId },
        });
      });
    },

    async createLayer(scheduleId: string, input: CreateLayerInput, actor: Principal) {
      const layerId = uuidv7();
      await db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'manage', true);
        await checkTeamMembers(tx, schedule.teamId, input.participantIds, 'participantIds');
        const existing = await repository.listLayers(tx, scheduleId);
        await repository.insertLayer(tx, {
          id: layerId,
          scheduleId,
          name: input.name,
          position: existing.length + 1,
          timeZone: input.timeZone ?? null,
          startsAt: input.startsAt,
          endsAt: input.endsAt ?? null,
        });
        await renumber(
          tx,
          placeAt(
            existing.map((layer) => layer.id),
            layerId,
            input.position,
          ),
        );
        const version = {
          turnUnit: input.turnUnit,
          turnLength: input.turnLength,
          handoffTime: input.handoffTime ?? null,
          handoffWeekday: input.handoffWeekday ?? null,
          restrictions: input.restrictions,
          participantIds: input.participantIds,
        };
        await repository.insertVersion(tx, {
          id: uuidv7(),
          layerId,
          effectiveFrom: input.startsAt,
          ...version,
          startIndex: 0,
          createdBy: actor.userId,
        });
        await auditService.record(tx, {
          action: 'schedule.layer_created',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: {
            name: schedule.name,
            layerId,
            layerName: input.name,
            timeZone: input.timeZone ?? null,
            startsAt: input.startsAt.toISOString(),
            endsAt: input.endsAt?.toISOString() ?? null,
            ...version,
          },
        });
      });
      const layers = await repository.listLayers(db, scheduleId);
      const layer = layers.find((candidate) => candidate.id === layerId);
      if (layer === undefined) throw layerNotFound(layerId);
      return layer;
    },

    /**
     * Name, position and end apply at once. Rotation fields (turn, handoff, restrictions,
     * participants) become a new version effective from `effectiveFrom` (never before now), which
     * takes over at its first handoff from then: the turn in progress and the past are unchanged.
     */
    async updateLayer(scheduleId: string, layerId: string, input: UpdateLayerInput, actor: Principal) {
      await db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'manage', true);
        const layers = await repository.listLayers(tx, scheduleId);
        const layer = layers.find((candidate) => candidate.id === layerId);
        const latest = layer?.versions[layer.versions.length - 1];
        if (layer === undefined || latest === undefined) throw layerNotFound(layerId);
        const at = now();
        const changes: Record<string, unknown> = {};

        if (input.name !== undefined && input.name !== layer.name) changes.name = { from: layer.name, to: input.name };
        if (input.endsAt !== undefined && input.endsAt?.getTime() !== layer.endsAt?.getTime()) {
          if (input.endsAt !== null && input.endsAt < at) throw invalid('endsAt', 'must not be in the past');
          if (layer.endsAt !== null && layer.endsAt < at) {
            throw invalid('endsAt', 'the layer has already ended; create a new layer instead');
          }
          if (input.endsAt !== null && input.endsAt <= layer.startsAt)
            throw invalid('endsAt', 'must be after startsAt');
          changes.endsAt = { from: layer.endsAt?.toISOString() ?? null, to: input.endsAt?.toISOString() ?? null };
        }
        if (changes.name !== undefined || changes.endsAt !== undefined) {
          await repository.updateLayer(
            tx,
            layerId,
            {
              ...(input.name === undefined ? {} : { name: input.name }),
              ...(input.endsAt === undefined ? {} : { endsAt: input.endsAt }),
            },
            at,
          );
        }
        if (input.position !== undefined && input.position !== layer.position) {
          changes.position = { from: layer.position, to: input.position };
          await renumber(
            tx,
            placeAt(
              layers.map((candidate) => candidate.id),
              layerId,
              input.position,
            ),
          );
        }

        const rotationKeys = [
          'turnUnit',
          'turnLength',
          'handoffTime',
          'handoffWeekday',
          'restrictions',
          'participantIds',
        ] as const;
        const rotationChanged = rotationKeys.some(
          (key) => input[key] !== undefined && JSON.stringify(input[key]) !== JSON.stringify(latest[key]),
        );
        if (rotationChanged || input.startIndex !== undefined) {
          const next = {
            turnUnit: input.turnUnit ?? latest.turnUnit,
            turnLength: input.turnLength ?? latest.turnLength,
            handoffTime: input.handoffTime === undefined ? latest.handoffTime : input.handoffTime,
            handoffWeekday: input.handoffWeekday === undefined ? latest.handoffWeekday : input.handoffWeekday,
            restrictions: input.restrictions ?? latest.restrictions,
            participantIds: input.participantIds ?? latest.participantIds,
          };
          if (next.turnUnit === 'hours') next.handoffTime = null;
          if (next.turnUnit !== 'weeks') next.handoffWeekday = null;
          if (input.participantIds !== undefined) {
            await checkTeamMembers(tx, schedule.teamId, input.participantIds, 'participantIds');
          }
          if (input.startIndex !== undefined && input.startIndex >= Math.max(next.participantIds.length, 1)) {
            throw invalid('startIndex', 'must be an index into participantIds');
          }
          const effectiveFrom =
            input.effectiveFrom !== undefined && input.effectiveFrom > at ? input.effectiveFrom : at;
          const definition = { timeZone: schedule.timeZone, layers: [], overrides: [] };
          const startIndex =
            input.startIndex ?? continuingStartIndex(definition, toLayerDefinition(layer), { ...next, effectiveFrom });
          await repository.insertVersion(tx, {
            id: uuidv7(),
            layerId,
            effectiveFrom,
            ...next,
            startIndex,
            createdBy: actor.userId,
          });
          changes.rotation = { effectiveFrom: effectiveFrom.toISOString(), ...next, startIndex };
        }
        if (Object.keys(changes).length === 0) return;
        await auditService.record(tx, {
          action: 'schedule.layer_updated',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'INFO',
          metadata: { name: schedule.name, layerId, layerName: input.name ?? layer.name, changes },
        });
      });
      const layer = (await repository.listLayers(db, scheduleId)).find((candidate) => candidate.id === layerId);
      if (layer === undefined) throw layerNotFound(layerId);
      return layer;
    },

    async deleteLayer(scheduleId: string, layerId: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'manage', true);
        const layers = await repository.listLayers(tx, scheduleId);
        const layer = layers.find((candidate) => candidate.id === layerId);
        if (layer === undefined) throw layerNotFound(layerId);
        await repository.deleteLayer(tx, layerId);
        await renumber(
          tx,
          layers.filter((candidate) => candidate.id !== layerId).map((candidate) => candidate.id),
        );
        await auditService.record(tx, {
          action: 'schedule.layer_deleted',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: { name: schedule.name, layerId, layerName: layer.name },
        });
      });
    },

    async listOverrides(
      viewer: Principal,
      scheduleId: string,
      range: { from?: Date | undefined; to?: Date | undefined },
    ) {
      await authorize(db, viewer, scheduleId, 'read');
      const from = storable(range.from ?? new Date(EARLIEST));
      const to = storable(range.to ?? new Date(LATEST));
      return repository.listOverrides(db, scheduleId, { from, to });
    },

    async createOverride(scheduleId: string, input: CreateOverrideInput, actor: Principal) {
      return db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'manage', true);
        await checkTeamMembers(tx, schedule.teamId, [input.userId], 'userId');
        const row = await repository.insertOverride(tx, {
          id: uuidv7(),
          scheduleId,
          userId: input.userId,
          startsAt: input.startsAt,
          endsAt: input.endsAt,
          note: input.note ?? null,
          createdBy: actor.userId,
        });
        await auditService.record(tx, {
          action: 'schedule.override_created',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: {
            name: schedule.name,
            overrideId: row.id,
            coveringUserId: row.userId,
            startsAt: row.startsAt.toISOString(),
            endsAt: row.endsAt.toISOString(),
          },
        });
        return row;
      });
    },

    async deleteOverride(scheduleId: string, overrideId: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'manage', true);
        const row = await repository.findOverride(tx, scheduleId, overrideId);
        if (row === undefined) {
          throw new AppError('schedule-override-not-found', `No override with id ${overrideId} in this schedule`);
        }
        await repository.deleteOverride(tx, overrideId);
        await auditService.record(tx, {
          action: 'schedule.override_deleted',
          userId: actor.userId,
          resourceType: 'schedule',
          resourceId: scheduleId,
          severity: 'MEDIUM',
          metadata: {
            name: schedule.name,
            overrideId,
            coveringUserId: row.userId,
            startsAt: row.startsAt.toISOString(),
            endsAt: row.endsAt.toISOString(),
          },
        });
      });
    },

    /** The computed timeline over [from, to) (default: the next 7 days), with each layer's own. */
    async spans(viewer: Principal, scheduleId: string, range: { from?: Date | undefined; to?: Date | undefined }) {
      const { schedule } = await authorize(db, viewer, scheduleId, 'read');
      const from = range.from ?? now();
      const to = range.to ?? new Date(from.getTime() + 7 * DAY);
      checkRange(from, to);
      const { layers, definition } = await loadDefinition(db, schedule, { from, to });
      const spans = computeSpans(definition, from, to);
      const layerSpans = [...layers]
        .sort((a, b) => b.position - a.position)
        .map((layer) => ({
          layerId: layer.id,
          name: layer.name,
          position: layer.position,
          spans: computeLayerSpans(definition, layer.id, from, to),
        }));
      const users = await summaries(db, [...spans, ...layerSpans.flatMap((layer) => layer.spans)]);
      return { schedule, from, to, spans, layers: layerSpans, users };
    },

    /**
     * Who is on call at an instant, with the whole of their current shift: the window grows until
     * the shift's ends are inside it (or the range limit is reached).
     */
    async onCall(viewer: Principal, scheduleId: string, at: Date | undefined) {
      const { schedule } = await authorize(db, viewer, scheduleId, 'read');
      const instant = at ?? now();
      const t = instant.getTime();
      let found: Span | undefined;
      for (const days of [7, 60, MAX_RANGE_DAYS / 2]) {
        const from = new Date(t - days * DAY);
        const to = new Date(t + days * DAY);
        const { definition } = await loadDefinition(db, schedule, { from, to });
        found = computeSpans(definition, from, to).find((span) => span.start.getTime() <= t && t < span.end.getTime());
        if (found === undefined || (found.start > from && found.end < to)) break;
      }
      const oncall = found === undefined ? [] : [found];
      const users = await summaries(db, oncall);
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
      const { definition } = await loadDefinition(db, schedule, { from, to });
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

    async createScheduleFeed(scheduleId: string, actor: Principal) {
      return createFeed(actor, { scheduleId, userId: null }, async (tx) => {
        const { schedule } = await authorize(tx, actor, scheduleId, 'read');
        return { scheduleId, name: schedule.name };
      });
    },

    async createUserFeed(userId: string, actor: Principal) {
      if (!authz.isSelfOrAdmin(actor, userId)) {
        throw new AppError('user-not-found', `No user with id ${userId}`);
      }
      return createFeed(actor, { scheduleId: null, userId }, async (tx) => {
        if (!(await repository.userExists(tx, userId)))
          throw new AppError('user-not-found', `No user with id ${userId}`);
        return { forUserId: userId };
      });
    },

    /** Live feeds of a schedule: all of them for its managers, the caller's own for members. */
    async listScheduleFeeds(viewer: Principal, scheduleId: string) {
      const { access } = await authorize(db, viewer, scheduleId, 'read');
      return repository.listFeeds(db, { scheduleId }, access === 'manage' ? undefined : viewer.userId);
    },

    async listUserFeeds(viewer: Principal, userId: string) {
      if (!authz.isSelfOrAdmin(viewer, userId)) {
        throw new AppError('user-not-found', `No user with id ${userId}`);
      }
      return repository.listFeeds(db, { userId });
    },

    /** Revocable by whoever created it, the user it belongs to, the schedule's managers and platform admins. */
    async revokeFeed(id: string, actor: Principal): Promise<void> {
      await db.transaction(async (tx) => {
        const feed = await repository.findFeed(tx, id);
        const missing = () => new AppError('ical-feed-not-found', `No feed with id ${id}`);
        if (feed === undefined) throw missing();
        let allowed = authz.isSelfOrAdmin(actor, feed.createdBy) || feed.userId === actor.userId;
        if (!allowed && feed.scheduleId !== null) {
          const schedule = await repository.findById(tx, feed.scheduleId);
          allowed = schedule !== undefined && (await accessOf(tx, actor, schedule)) === 'manage';
        }
        if (!allowed) throw missing();
        await repository.revokeFeed(tx, id, now());
        await auditService.record(tx, {
          action: 'ical_feed.revoked',
          userId: actor.userId,
          resourceType: 'ical_feed',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { scheduleId: feed.scheduleId, forUserId: feed.userId, tokenPrefix: feed.tokenPrefix },
        });
      });
    },

    /**
     * The calendar behind `/ical/<token>.ics`, or undefined (404) for anything but a live token.
     * The token is looked up by its SHA-256, so no comparison ever touches the token itself.
     */
    async renderFeed(file: string): Promise<string | undefined> {
      const match = FEED_URL_PATTERN.exec(file);
      if (match?.[1] === undefined) return undefined;
      const feed = await repository.findFeedByTokenHash(db, sha256Hex(match[1]));
      if (feed === undefined) return undefined;
      const stamp = now();
      // Whole UTC days, so the first events keep their start (and UID) through the day.
      const from = new Date(Math.floor(stamp.getTime() / DAY) * DAY - FEED_PAST_DAYS * DAY);
      const to = new Date(from.getTime() + (FEED_PAST_DAYS + FEED_FUTURE_DAYS) * DAY);
      let name: string;
      let spans: Array<Span & { scheduleName: string; scheduleId: string }>;
      if (feed.scheduleId !== null) {
        const schedule = await repository.findById(db, feed.scheduleId);
        // A feed is a grant of whoever created it: it ends when they may no longer read the schedule.
        if (schedule === undefined || (await authz.standingOfUser(feed.createdBy, schedule.teamId)) === undefined) {
          return undefined;
        }
        const { definition } = await loadDefinition(db, schedule, { from, to });
        name = `On call: ${schedule.name}`;
        spans = computeSpans(definition, from, to).map((span) => ({
          ...span,
          scheduleName: schedule.name,
          scheduleId: schedule.id,
        }));
      } else if (feed.userId !== null) {
        const [user] = await repository.userSummaries(db, [feed.userId]);
        // Ends with the account (disabled) or when the person belongs to no team any more.
        const scope = await authz.scopeOfUser(feed.userId);
        if (user === undefined || (scope !== 'all' && scope.length === 0)) return undefined;
        name = `On call: ${user.name ?? user.email}`;
        spans = await userShifts(feed.userId, from, to);
      } else {
        return undefined;
      }
      const users = await summaries(db, spans);
      const events: CalendarEvent[] = spans.map((span) => {
        const user = users.find((candidate) => candidate.id === span.userId);
        const who = user === undefined ? span.userId : (user.name ?? user.email);
        return {
          uid: `${span.scheduleId}-${span.userId}-${span.start.getTime()}-${span.overrideId ?? span.layerId}@klaxon`,
          start: span.start,
          end: span.end,
          summary: feed.scheduleId !== null ? `On call: ${who}` : `On call: ${span.scheduleName}`,
          description: `${span.scheduleName}: ${who} (${span.overrideId === null ? 'rotation' : 'override'})`,
        };
      });
      return renderCalendar({ name, stamp, events });
    },
  };
}

export type SchedulesService = ReturnType<typeof createSchedulesService>;
