import type { Principal } from '../../core/principal.js';
import type { TurnUnitColumn } from '../../core/schedules.js';
import type { Transaction } from '../../db/client.js';
import { uuidv7 } from '../../lib/ids.js';
import { continuingStartIndex, type Restriction } from './oncall-computation.js';
import { invalid, layerNotFound, type SchedulePartDeps } from './schedule-access.js';
import { toLayerDefinition } from './schedule-definition.js';

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

/** A schedule's layers (rotations): their order, and their rotation as versions that take over at a handoff. */
export function createScheduleLayers(deps: SchedulePartDeps) {
  const { db, repository, auditService, access, now } = deps;

  /** Renumbers layers 1..n in the given order. */
  async function renumber(tx: Transaction, orderedIds: string[]) {
    for (const [index, id] of orderedIds.entries()) await repository.setLayerPosition(tx, id, index + 1);
  }

  function placeAt(ids: string[], id: string, position: number | undefined): string[] {
    const others = ids.filter((other) => other !== id);
    const index = position === undefined ? others.length : Math.min(Math.max(position - 1, 0), others.length);
    return [...others.slice(0, index), id, ...others.slice(index)];
  }

  return {
    async createLayer(scheduleId: string, input: CreateLayerInput, actor: Principal) {
      const layerId = uuidv7();
      await db.transaction(async (tx) => {
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
        await access.checkTeamMembers(tx, schedule.teamId, input.participantIds, 'participantIds');
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
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
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
            await access.checkTeamMembers(tx, schedule.teamId, input.participantIds, 'participantIds');
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
        const { schedule } = await access.authorize(tx, actor, scheduleId, 'manage', true);
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
  };
}

export type ScheduleLayers = ReturnType<typeof createScheduleLayers>;
