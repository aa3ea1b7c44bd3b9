import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import type { HeartbeatRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { HeartbeatMonitor } from './heartbeat-monitor.js';
import { generatePingToken, hashPingToken, looksLikePingToken, pingTokenMatches } from './heartbeat-token.js';
import type { HeartbeatChanges, HeartbeatsRepository } from './heartbeats.repository.js';
import type { CreateHeartbeatInput, UpdateHeartbeatInput } from './heartbeats.schema.js';

export const PING_PATH = '/api/heartbeats/ping/';
const TOKEN_WARNING = 'Store this ping URL now: the token is shown only this once.';

const deadlineFrom = (from: Date, heartbeat: Pick<HeartbeatRow, 'intervalSeconds' | 'graceSeconds'>) =>
  new Date(from.getTime() + (heartbeat.intervalSeconds + heartbeat.graceSeconds) * 1000);

/**
 * Heartbeat monitors of a team: read by its members, written by its managers and platform
 * admins (watchdogs, which consume an integration's alerts, by platform admins only), every
 * change audited in its transaction. Pings come from the public ping route or from watchdog
 * alerts; a ping of a missed heartbeat resolves its alert.
 */
export function createHeartbeatsService(deps: {
  db: Database;
  repository: HeartbeatsRepository;
  authz: Pick<Authz, 'can' | 'scopeOf' | 'authorize'>;
  auditService: Pick<AuditService, 'record'>;
  monitor: Pick<HeartbeatMonitor, 'deadlineChanged' | 'recovered'>;
  /** Dropped after each change this process commits (the watchdog cache of the ingest path). */
  watchdogCache?: { clear(): void };
  now?: () => Date;
}) {
  const { db, repository, authz, auditService, monitor } = deps;
  /** Throws unless the caller may change the team's heartbeats: 404 for outsiders, 403 for members. */
  const assertManager = (actor: Principal, teamId: string) =>
    authz.authorize(actor, 'manage', teamId, {
      notFound: () => new AppError('team-not-found', `No team with id ${teamId}`),
      teamMustExist: true,
    });
  const now = deps.now ?? (() => new Date());
  const notFound = (id: string) => new AppError('heartbeat-not-found', `No heartbeat with id ${id}`);

  async function visible(viewer: Principal, id: string): Promise<HeartbeatRow> {
    const heartbeat = await repository.findById(db, id);
    if (heartbeat === undefined || !(await authz.can(viewer, 'read', heartbeat.teamId))) throw notFound(id);
    return heartbeat;
  }

  function assertMayConfigureWatchdog(actor: Principal, watchdog: unknown) {
    if (watchdog !== undefined && watchdog !== null && !actor.isPlatformAdmin) {
      throw new AppError('forbidden', 'Only platform admins can turn an integration’s alerts into heartbeat pings');
    }
  }

  async function changed<T extends HeartbeatRow>(work: (tx: Transaction) => Promise<T>): Promise<T> {
    const heartbeat = await db.transaction(work);
    deps.watchdogCache?.clear();
    if (heartbeat.isActive && heartbeat.state === 'up') monitor.deadlineChanged(heartbeat.deadlineAt);
    return heartbeat;
  }

  async function ping(heartbeatId: string, at: Date): Promise<HeartbeatRow | undefined> {
    const outcome = await db.transaction((tx) => repository.ping(tx, heartbeatId, at));
    if (outcome === undefined) return undefined;
    if (outcome.previousState !== 'up') await monitor.recovered(outcome.heartbeat);
    if (outcome.heartbeat.isActive) monitor.deadlineChanged(outcome.heartbeat.deadlineAt);
    return outcome.heartbeat;
  }

  return {
    async list(viewer: Principal, teamId?: string) {
      const scope = await authz.scopeOf(viewer);
      const teams = teamId === undefined ? scope : scope === 'all' || scope.includes(teamId) ? [teamId] : [];
      return repository.list(db, teams);
    },

    get: visible,

    async create(actor: Principal, input: CreateHeartbeatInput) {
      await assertManager(actor, input.teamId);
      assertMayConfigureWatchdog(actor, input.watchdog);
      const at = now();
      const { token, tokenHash, tokenPrefix } = generatePingToken();
      const heartbeat = await changed(async (tx) => {
        const row = await repository.insert(tx, {
          id: uuidv7(),
          teamId: input.teamId,
          name: input.name,
          description: input.description ?? null,
          integrationId: input.integrationId ?? null,
          intervalSeconds: input.intervalSeconds,
          graceSeconds: input.graceSeconds,
          severity: input.severity,
          tokenHash,
          tokenPrefix,
          watchdogIntegrationId: input.watchdog?.integrationId ?? null,
          watchdogMatchers: input.watchdog?.matchers ?? [],
          isActive: input.isActive,
          state: 'up',
          // A sender that never starts is as silent as one that stopped: the clock runs from creation.
          deadlineAt: deadlineFrom(at, input),
          createdAt: at,
          updatedAt: at,
        });
        await auditService.record(tx, {
          action: 'heartbeat.created',
          userId: actor.userId,
          resourceType: 'heartbeat',
          resourceId: row.id,
          severity: 'MEDIUM',
          metadata: {
            name: row.name,
            teamId: row.teamId,
            integrationId: row.integrationId,
            intervalSeconds: row.intervalSeconds,
            graceSeconds: row.graceSeconds,
            watchdogIntegrationId: row.watchdogIntegrationId,
          },
        });
        return row;
      });
      return { heartbeat, token, pingPath: PING_PATH + token, warning: TOKEN_WARNING };
    },

    async update(actor: Principal, id: string, input: UpdateHeartbeatInput) {
      const current = await visible(actor, id);
      await assertManager(actor, current.teamId);
      assertMayConfigureWatchdog(actor, input.watchdog);
      if (input.watchdog === null && current.watchdogIntegrationId !== null && !actor.isPlatformAdmin) {
        throw new AppError('forbidden', 'Only platform admins can change a heartbeat’s watchdog');
      }
      return changed(async (tx) => {
        const before = await repository.findByIdForUpdate(tx, id);
        if (before === undefined) throw notFound(id);
        const { watchdog, ...fields } = input;
        const changes: HeartbeatChanges = Object.fromEntries(
          Object.entries(fields).filter(([, value]) => value !== undefined),
        );
        if (watchdog !== undefined) {
          changes.watchdogIntegrationId = watchdog?.integrationId ?? null;
          changes.watchdogMatchers = watchdog?.matchers ?? [];
        }
        // A new interval, or resuming, counts from now or the last ping, whichever is later.
        if (input.intervalSeconds !== undefined || input.graceSeconds !== undefined || input.isActive === true) {
          const from = before.lastPingAt !== null && before.isActive ? before.lastPingAt : now();
          changes.deadlineAt = deadlineFrom(from, { ...before, ...changes });
        }
        const row = await repository.update(tx, id, { ...changes, updatedAt: now() });
        await auditService.record(tx, {
          action: 'heartbeat.updated',
          userId: actor.userId,
          resourceType: 'heartbeat',
          resourceId: id,
          severity: 'INFO',
          metadata: {
            name: row.name,
            teamId: row.teamId,
            changes: Object.fromEntries(
              Object.keys(changes)
                .filter((key) => key !== 'deadlineAt')
                .map((key) => [
                  key,
                  { from: before[key as keyof HeartbeatChanges], to: row[key as keyof HeartbeatChanges] },
                ]),
            ),
          },
        });
        return row;
      });
    },

    async rotateToken(actor: Principal, id: string) {
      const current = await visible(actor, id);
      await assertManager(actor, current.teamId);
      const { token, tokenHash, tokenPrefix } = generatePingToken();
      const heartbeat = await changed(async (tx) => {
        const row = await repository.update(tx, id, { tokenHash, tokenPrefix, updatedAt: now() });
        await auditService.record(tx, {
          action: 'heartbeat.token_rotated',
          userId: actor.userId,
          resourceType: 'heartbeat',
          resourceId: id,
          severity: 'HIGH',
          metadata: { name: row.name, teamId: row.teamId, tokenPrefix },
        });
        return row;
      });
      return { heartbeat, token, pingPath: PING_PATH + token, warning: TOKEN_WARNING };
    },

    async delete(actor: Principal, id: string) {
      const current = await visible(actor, id);
      await assertManager(actor, current.teamId);
      await db.transaction(async (tx) => {
        await repository.delete(tx, id);
        await auditService.record(tx, {
          action: 'heartbeat.deleted',
          userId: actor.userId,
          resourceType: 'heartbeat',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { name: current.name, teamId: current.teamId },
        });
      });
      deps.watchdogCache?.clear();
    },

    /** The public ping: an unknown and a malformed token answer 404 alike. A paused heartbeat takes pings. */
    async pingByToken(token: string): Promise<HeartbeatRow> {
      const missing = new AppError('heartbeat-not-found', 'No heartbeat has this ping token');
      if (!looksLikePingToken(token)) throw missing;
      const heartbeat = await repository.findByTokenHash(db, hashPingToken(token));
      if (heartbeat === undefined || !pingTokenMatches(token, heartbeat.tokenHash)) throw missing;
      const pinged = await ping(heartbeat.id, now());
      if (pinged === undefined) throw missing;
      return pinged;
    },

    /** A watchdog alert arrived for this heartbeat. */
    pingById: (heartbeatId: string, at: Date) => ping(heartbeatId, at),
  };
}

export type HeartbeatsService = ReturnType<typeof createHeartbeatsService>;
