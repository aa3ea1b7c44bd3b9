import type { ApiKeyScope } from '../../core/api-keys.js';
import type { Principal } from '../../core/principal.js';
import type { Database, Executor, Transaction } from '../../db/client.js';
import type { ApiKeyRow } from '../../db/schema/index.js';
import { constantTimeEqual } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { ChangeFeed } from '../live-updates/change-feed.js';
import type { UsersRepository } from '../users/users.repository.js';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-format.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

export type PublicApiKey = Omit<ApiKeyRow, 'keyHash'>;

const LAST_USED_RESOLUTION_MS = 60_000;

export function toPublicApiKey(row: ApiKeyRow): PublicApiKey {
  const { keyHash: _hash, ...rest } = row;
  return rest;
}

export function createApiKeysService(deps: {
  db: Database;
  apiKeysRepository: ApiKeysRepository;
  usersRepository: Pick<UsersRepository, 'findById'>;
  auditService: Pick<AuditService, 'record'>;
  /** Decides whether the owner stands in the team a key is limited to. */
  authz: Pick<Authz, 'standingOfUser'>;
  /** Open live-update streams: a revoked key's end at once. */
  liveStreams?: Pick<ChangeFeed, 'endStreamsOf'>;
  now?: () => Date;
  /** Where a failed last-used update is reported: it never fails the request it rides on. */
  log?: Pick<Console, 'warn'>;
}) {
  const { db, apiKeysRepository, usersRepository, auditService } = deps;
  const now = deps.now ?? (() => new Date());

  /** Issues a key inside the caller's transaction; used by the API and by bootstrap-admin. */
  async function issue(
    tx: Transaction,
    ownerId: string,
    name: string,
    actorId: string | null,
    limits: { scope?: ApiKeyScope | undefined; teamId?: string | undefined; expiresAt?: Date | undefined } = {},
  ) {
    const generated = generateApiKey();
    const row = await apiKeysRepository.insert(tx, {
      id: uuidv7(),
      userId: ownerId,
      name,
      keyHash: generated.keyHash,
      keyPrefix: generated.keyPrefix,
      ...(limits.scope === undefined ? {} : { scope: limits.scope }),
      ...(limits.teamId === undefined ? {} : { teamId: limits.teamId }),
      ...(limits.expiresAt === undefined ? {} : { expiresAt: limits.expiresAt }),
    });
    await auditService.record(tx, {
      action: 'api_key.created',
      userId: actorId,
      resourceType: 'api_key',
      resourceId: row.id,
      severity: 'MEDIUM',
      metadata: {
        name,
        ownerId,
        keyPrefix: row.keyPrefix,
        scope: row.scope,
        teamId: row.teamId,
        expiresAt: row.expiresAt?.toISOString() ?? null,
      },
    });
    return { ...toPublicApiKey(row), key: generated.key };
  }

  return {
    issue,

    /**
     * A key for oneself (or anyone, for platform admins), optionally read-only, limited to one of
     * the owner's teams, or expiring. A key made with a limited key is limited at least as much:
     * it inherits the team limit and may not name another team.
     */
    async create(
      actor: Principal,
      input: {
        name: string;
        userId?: string | undefined;
        scope?: ApiKeyScope | undefined;
        teamId?: string | undefined;
        expiresAt?: Date | undefined;
      },
    ) {
      const ownerId = input.userId ?? actor.userId;
      if (ownerId !== actor.userId && !actor.isPlatformAdmin) {
        throw new AppError('forbidden', 'Only platform admins can create API keys for other users');
      }
      const actorTeam = actor.keyLimits?.teamId ?? null;
      if (actorTeam !== null && input.teamId !== undefined && input.teamId !== actorTeam) {
        throw new AppError('forbidden', 'A key limited to a team can only create keys limited to that team');
      }
      const teamId = input.teamId ?? actorTeam ?? undefined;
      if (input.expiresAt !== undefined && input.expiresAt <= now()) {
        throw new AppError('validation-failed', 'expiresAt must be in the future', {
          errors: [{ path: 'expiresAt', message: 'must be in the future' }],
        });
      }
      return db.transaction(async (tx) => {
        const owner = await usersRepository.findById(tx, ownerId);
        if (owner === undefined) throw new AppError('user-not-found', `No user with id ${ownerId}`);
        // The team is a stored reference: one the owner stands in, so the key never exceeds its owner.
        if (teamId !== undefined && (await deps.authz.standingOfUser(ownerId, teamId, tx)) === undefined) {
          throw new AppError('team-not-found', `The key's owner is not in a team with id ${teamId}`);
        }
        return issue(tx, ownerId, input.name, actor.userId, { scope: input.scope, teamId, expiresAt: input.expiresAt });
      });
    },

    async list(actor: Principal): Promise<PublicApiKey[]> {
      const rows = await apiKeysRepository.list(db, actor.isPlatformAdmin ? undefined : actor.userId);
      return rows.map(toPublicApiKey);
    },

    /**
     * Revokes at once; revoking an already revoked key is a no-op. Another user's key is a 403
     * (CONTRACT: owner or admin; "authenticated but not allowed: 403").
     */
    async revoke(actor: Principal, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        const existing = await apiKeysRepository.findById(tx, id);
        if (existing === undefined) throw new AppError('api-key-not-found', `No API key with id ${id}`);
        if (!actor.isPlatformAdmin && existing.userId !== actor.userId) {
          throw new AppError('forbidden', "Only the key's owner or a platform admin can revoke it");
        }
        if (existing.revokedAt !== null) return;
        await apiKeysRepository.revoke(tx, id, now());
        await auditService.record(tx, {
          action: 'api_key.revoked',
          userId: actor.userId,
          resourceType: 'api_key',
          resourceId: id,
          severity: 'MEDIUM',
          metadata: { name: existing.name, ownerId: existing.userId, keyPrefix: existing.keyPrefix },
        });
      });
      deps.liveStreams?.endStreamsOf({ apiKeyId: id });
    },

    /** Whether a key still works (live-update streams re-check it at each heartbeat). */
    isLive: (id: string) => apiKeysRepository.isLive(db, id, now()),

    /** The principal for a presented key, or undefined for a malformed, unknown, revoked or expired one. */
    async authenticate(presented: string, executor: Executor = db): Promise<Principal | undefined> {
      if (!looksLikeApiKey(presented)) return undefined;
      const keyHash = hashApiKey(presented);
      const at = now();
      const found = await apiKeysRepository.findActiveByHash(executor, keyHash, at);
      // The index lookup found the row by hash; the constant-time check makes the final
      // decision independent of any early-exit comparison along the way.
      if (found === undefined || !constantTimeEqual(found.key.keyHash, keyHash)) return undefined;
      void apiKeysRepository
        .touchLastUsed(executor, found.key.id, at, new Date(at.getTime() - LAST_USED_RESOLUTION_MS))
        .catch((error: unknown) => deps.log?.warn({ err: error }, 'could not record when an API key was last used'));
      const { scope, teamId } = found.key;
      // A full key (the contract's) carries no limits; a limited key is never a platform admin
      // outside its team, and never more than its owner (authz applies the limits).
      if (scope === 'write' && teamId === null) {
        return {
          userId: found.user.id,
          email: found.user.email,
          isPlatformAdmin: found.user.isPlatformAdmin,
          apiKeyId: found.key.id,
        };
      }
      return {
        userId: found.user.id,
        email: found.user.email,
        isPlatformAdmin: teamId === null && found.user.isPlatformAdmin,
        apiKeyId: found.key.id,
        keyLimits: { scope, teamId, ownerIsPlatformAdmin: found.user.isPlatformAdmin },
      };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
