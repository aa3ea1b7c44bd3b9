import type { AlertMatcher } from '../../core/noise-control.js';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { SilenceRow } from '../../db/schema/index.js';
import type { WatchedCache } from '../../db/watched-cache.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { formatMatcher, matcherHolds, matchesEverything } from './alert-matchers.js';
import type { SilencesRepository } from './silences.repository.js';
import { type SilenceState, silenceState } from './suppression.js';

export interface SilenceInput {
  matchers: AlertMatcher[];
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  durationMinutes?: number | undefined;
  comment: string;
  createdBy?: string | undefined;
}

export interface SilenceChangesInput {
  matchers?: AlertMatcher[] | undefined;
  startsAt?: Date | undefined;
  endsAt?: Date | undefined;
  comment?: string | undefined;
}

const invalid = (message: string, path: string) =>
  new AppError('validation-failed', message, { errors: [{ path, message }] });

export function createSilencesService(deps: {
  db: Database;
  repository: SilencesRepository;
  auditService: Pick<AuditService, 'record'>;
  /** The ingest path's copy of unexpired silences, dropped after each change this process commits. */
  cache?: Pick<WatchedCache<unknown>, 'clear'>;
  now?: () => Date;
}) {
  const { db, repository, auditService } = deps;
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('silence-not-found', `No silence with id ${id}`);

  async function change<T>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    deps.cache?.clear();
    return result;
  }

  /**
   * Alertmanager's rules: at least one matcher must not match the empty string (or the silence
   * would mute everything), the end may not precede the start nor lie in the past, and a start
   * in the past becomes now.
   */
  function validTimes(
    matchers: AlertMatcher[],
    startsAt: Date,
    endsAt: Date,
    at: Date,
  ): { startsAt: Date; endsAt: Date } {
    if (matchesEverything(matchers)) {
      throw invalid('at least one matcher must not match the empty string', 'matchers');
    }
    if (endsAt.getTime() < startsAt.getTime()) throw invalid('end time must not be before start time', 'endsAt');
    if (endsAt.getTime() <= at.getTime()) throw invalid('end time cannot be in the past', 'endsAt');
    return { startsAt: startsAt.getTime() < at.getTime() ? at : startsAt, endsAt };
  }

  async function insert(tx: Transaction, input: SilenceInput, actor: Principal, at: Date): Promise<SilenceRow> {
    const startsAt = input.startsAt ?? at;
    let endsAt = input.endsAt;
    if (endsAt === undefined && input.durationMinutes !== undefined) {
      endsAt = new Date(startsAt.getTime() + input.durationMinutes * 60_000);
    }
    if (endsAt === undefined) throw invalid('give endsAt or durationMinutes', 'endsAt');
    const times = validTimes(input.matchers, startsAt, endsAt, at);
    const row = await repository.insert(tx, {
      id: uuidv7(),
      matchers: input.matchers,
      ...times,
      createdBy: input.createdBy ?? actor.email,
      comment: input.comment,
      createdByUserId: actor.userId,
      createdAt: at,
      updatedAt: at,
    });
    await auditService.record(tx, {
      action: 'silence.created',
      userId: actor.userId,
      resourceType: 'silence',
      resourceId: row.id,
      severity: 'MEDIUM',
      metadata: describe(row),
    });
    return row;
  }

  async function lockExisting(tx: Transaction, id: string): Promise<SilenceRow> {
    const row = await repository.findByIdForUpdate(tx, id);
    if (row === undefined) throw notFound(id);
    return row;
  }

  async function updateLocked(
    tx: Transaction,
    existing: SilenceRow,
    input: SilenceChangesInput,
    actor: Principal,
    at: Date,
  ): Promise<SilenceRow> {
    const matchers = input.matchers ?? existing.matchers;
    // An active silence keeps the start it had: it has been muting since then.
    const active = silenceState(existing, at) === 'active';
    const times = validTimes(
      matchers,
      active ? existing.startsAt : (input.startsAt ?? existing.startsAt),
      input.endsAt ?? existing.endsAt,
      at,
    );
    const row = await repository.update(
      tx,
      existing.id,
      {
        matchers,
        startsAt: active ? existing.startsAt : times.startsAt,
        endsAt: times.endsAt,
        comment: input.comment ?? existing.comment,
      },
      at,
    );
    await auditService.record(tx, {
      action: 'silence.updated',
      userId: actor.userId,
      resourceType: 'silence',
      resourceId: row.id,
      severity: 'MEDIUM',
      metadata: { ...describe(row), previous: describe(existing) },
    });
    return row;
  }

  return {
    get: async (id: string) => {
      const row = await repository.findById(db, id);
      if (row === undefined) throw notFound(id);
      return row;
    },

    /** Newest first; `state` filters on the state at this moment. */
    async list(filter: { state?: SilenceState | undefined; matchers?: AlertMatcher[] | undefined } = {}) {
      const at = now();
      const rows = await repository.list(db);
      return rows.filter(
        (row) =>
          (filter.state === undefined || silenceState(row, at) === filter.state) &&
          (filter.matchers === undefined || matchesFilter(row, filter.matchers)),
      );
    },

    create: (input: SilenceInput, actor: Principal) => change((tx) => insert(tx, input, actor, now())),

    update: (id: string, input: SilenceChangesInput, actor: Principal) =>
      change(async (tx) => {
        const at = now();
        const existing = await lockExisting(tx, id);
        if (silenceState(existing, at) === 'expired')
          throw new AppError('conflict', 'An expired silence cannot change');
        return updateLocked(tx, existing, input, actor, at);
      }),

    /**
     * Alertmanager's POST: without an id (or with an unknown one: 404) a new silence; a pending
     * or active one is changed in place; an expired one is left alone and a new silence made
     * from the request, as Alertmanager does.
     */
    upsert: (id: string | undefined, input: SilenceInput & { startsAt: Date; endsAt: Date }, actor: Principal) =>
      change(async (tx) => {
        const at = now();
        if (id === undefined || id === '') return insert(tx, input, actor, at);
        const existing = await repository.findByIdForUpdate(tx, id);
        if (existing === undefined) throw notFound(id);
        if (silenceState(existing, at) === 'expired') return insert(tx, input, actor, at);
        return updateLocked(tx, existing, input, actor, at);
      }),

    /** Ends the silence now; a pending one never starts. Expiring an expired silence changes nothing. */
    expire: (id: string, actor: Principal) =>
      change(async (tx) => {
        const at = now();
        const existing = await lockExisting(tx, id);
        const state = silenceState(existing, at);
        if (state === 'expired') return existing;
        const row = await repository.update(
          tx,
          id,
          state === 'pending' ? { startsAt: at, endsAt: at } : { endsAt: at },
          at,
        );
        await auditService.record(tx, {
          action: 'silence.expired',
          userId: actor.userId,
          resourceType: 'silence',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: describe(row),
        });
        return row;
      }),
  };
}

export type SilencesService = ReturnType<typeof createSilencesService>;

function describe(row: SilenceRow) {
  return {
    matchers: row.matchers.map(formatMatcher),
    startsAt: row.startsAt.toISOString(),
    endsAt: row.endsAt.toISOString(),
    createdBy: row.createdBy,
    comment: row.comment,
  };
}

/**
 * Alertmanager's `filter` on silences: the silence's matchers read as a label set (name →
 * value), and every filter matcher must hold on it.
 */
function matchesFilter(row: SilenceRow, filter: AlertMatcher[]): boolean {
  const labels = new Map(row.matchers.map((matcher) => [matcher.name, matcher.value]));
  return filter.every((matcher) => matcherHolds(matcher, labels.get(matcher.name) ?? ''));
}
