import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/client.js';
import type { UserRow } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
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
  db: Database;
  usersRepository: UsersRepository;
  auditService: Pick<AuditService, 'record'>;
}) {
  const { db, usersRepository, auditService } = deps;
  return {
    async create(input: CreateUserInput, actorId: string | null): Promise<UserRow> {
      const email = normalizeEmail(input.email);
      try {
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
      } catch (error) {
        if (isUniqueViolation(error)) throw new AppError('duplicate-user', `A user with email ${email} already exists`);
        throw error;
      }
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
