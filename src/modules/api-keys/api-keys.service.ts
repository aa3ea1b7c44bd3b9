import type { Database, Executor, Transaction } from '../../db/client.js';
import type { ApiKeyRow } from '../../db/schema/index.js';
import { constantTimeEqual } from '../../lib/crypto.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ChangeFeed } from '../live-updates/change-feed.js';
import type { UsersRepository } from '../users/users.repository.js';
import { generateApiKey, hashApiKey, looksLikeApiKey } from './api-key-format.js';
import type { ApiKeysRepository } from './api-keys.repository.js';

export interface Principal {
  userId: string;
  email: string;
  isPlatformAdmin: boolean;
  /** The API key that authenticated the request; null for a console session. */
  apiKeyId: string | null;
  /** The console session that authenticated the request, if any. */
  sessionId?: string | undefined;
  /**
   * Limits of the API key that authenticated the request (absent: a full key or a session).
   * A key limited to a team is never a platform admin (`isPlatformAdmin` is false); an admin's
   * such key keeps admin rights inside its team only (`ownerIsPlatformAdmin`).
   */
  keyLimits?: KeyLimits | undefined;
}

export interface KeyLimits {
  scope: 'read' | 'write';
  teamId: string | null;
  ownerIsPlatformAdmin: boolean;
}

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
  /** Open live-update streams: a revoked key's end at once. */
  liveStreams?: Pick<ChangeFeed, 'endStreamsOf'>;
  now?: () => Date;
}) {
  const { db, apiKeysRepository, usersRepository, auditService } = deps;
  const now = deps.now ?? (() => new Date());

  /** Issues a key inside the caller's transaction; used by the API and by bootstrap-admin. */
  async function issue(tx: Transaction, ownerId: string, name: string, actorId: string | null) {
    const generated = generateApiKey();
    const row = await apiKeysRepository.insert(tx, {
      id: uuidv7(),
      userId: ownerId,
      name,
      keyHash: generated.keyHash,
      keyPrefix: generated.keyPrefix,
    });
    await auditService.record(tx, {
      action: 'api_key.created',
      userId: actorId,
      resourceType: 'api_key',
      resourceId: row.id,
      severity: 'MEDIUM',
      metadata: { name, ownerId, keyPrefix: row.keyPrefix },
    });
    return { ...toPublicApiKey(row), key: generated.key };
  }

  return {
    issue,

    async create(actor: Principal, input: { name: string; userId?: string | undefined }) {
      const ownerId = input.userId ?? actor.userId;
      if (ownerId !== actor.userId && !actor.isPlatformAdmin) {
        throw new AppError('forbidden', 'Only platform admins can create API keys for other users');
      }
      return db.transaction(async (tx) => {
        const owner = await usersRepository.findById(tx, ownerId);
        if (owner === undefined) throw new AppError('user-not-found', `No user with id ${ownerId}`);
        return issue(tx, ownerId, input.name, actor.userId);
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
        .catch(() => {});
      return {
        userId: found.user.id,
        email: found.user.email,
        isPlatformAdmin: found.user.isPlatformAdmin,
        apiKeyId: found.key.id,
      };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;
