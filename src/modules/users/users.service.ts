import type { Principal } from '../../core/principal.js';
import type { Executor } from '../../db/client.js';
import type { UserRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ChangeFeed } from '../live-updates/change-feed.js';
import type { SessionsRepository } from '../sessions/sessions.repository.js';
import type { UsersRepository } from './users.repository.js';

export interface CreateUserInput {
  email: string;
  name?: string | undefined;
  isPlatformAdmin?: boolean | undefined;
}

/** Emails compare case-insensitively: stored trimmed and lower-cased. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function createUsersService(deps: {
  db: Executor;
  usersRepository: UsersRepository;
  auditService: Pick<AuditService, 'record'>;
  /** Disabling ends the account's sessions in the same transaction. */
  sessionsRepository?: Pick<SessionsRepository, 'revokeAllForUser'>;
  /** …and its open live-update streams right after. */
  liveStreams?: Pick<ChangeFeed, 'endStreamsOf'>;
  now?: () => Date;
}) {
  const { db, usersRepository, auditService } = deps;
  const now = deps.now ?? (() => new Date());

  /**
   * Disables or enables an account. A disabled account's API keys, sessions, calendar feeds and
   * one-click links stop working at once (each is checked against the account when used), it is
   * no longer paged, and its sessions and open streams are ended now. Nobody disables themselves.
   */
  async function setDisabled(actor: Principal, id: string, disabled: boolean): Promise<UserRow> {
    if (disabled && actor.userId === id) throw new AppError('conflict', 'You cannot disable your own account');
    const user = await db.transaction(async (tx) => {
      const existing = await usersRepository.findById(tx, id);
      if (existing === undefined) throw new AppError('user-not-found', `No user with id ${id}`);
      if ((existing.disabledAt !== null) === disabled) return existing;
      const at = now();
      const updated = await usersRepository.update(tx, id, { disabledAt: disabled ? at : null }, at);
      const revokedSessions = disabled ? ((await deps.sessionsRepository?.revokeAllForUser(tx, id, at)) ?? 0) : 0;
      await auditService.record(tx, {
        action: disabled ? 'user.disabled' : 'user.enabled',
        userId: actor.userId,
        resourceType: 'user',
        resourceId: id,
        severity: 'HIGH',
        metadata: { email: existing.email, ...(disabled ? { revokedSessions } : {}) },
      });
      return updated ?? existing;
    });
    if (disabled) deps.liveStreams?.endStreamsOf({ userId: id });
    return user;
  }

  return {
    disable: (actor: Principal, id: string) => setDisabled(actor, id, true),
    enable: (actor: Principal, id: string) => setDisabled(actor, id, false),

    async create(input: CreateUserInput, actorId: string | null): Promise<UserRow> {
      const email = normalizeEmail(input.email);
      return await db.transaction(async (tx) => {
        const user = await usersRepository.insert(tx, {
          id: uuidv7(),
          email,
          name: input.name ?? null,
          isPlatformAdmin: input.isPlatformAdmin ?? false,
        });
        await auditService.record(tx, {
          action: 'user.created',
          userId: actorId,
          resourceType: 'user',
          resourceId: user.id,
          severity: user.isPlatformAdmin ? 'HIGH' : 'MEDIUM',
          metadata: { email: user.email, isPlatformAdmin: user.isPlatformAdmin },
        });
        return user;
      });
    },

    list(): Promise<UserRow[]> {
      return usersRepository.list(db);
    },

    findById(id: string): Promise<UserRow | undefined> {
      return usersRepository.findById(db, id);
    },

    findByEmail(email: string): Promise<UserRow | undefined> {
      return usersRepository.findByEmail(db, normalizeEmail(email));
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
