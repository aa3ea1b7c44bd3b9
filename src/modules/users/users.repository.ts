import { desc, eq } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { translatingViolations } from '../../db/constraint-violations.js';
import { type UserRow, users } from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export interface NewUser {
  id: string;
  email: string;
  name: string | null;
  isPlatformAdmin: boolean;
  passwordHash?: string | null;
}

export function createUsersRepository() {
  return {
    async insert(executor: Executor, user: NewUser): Promise<UserRow> {
      const [row] = await translatingViolations(
        executor.insert(users).values(user).returning(),
        ({ constraint, error }) =>
          constraint === 'users_email_unique'
            ? new AppError('duplicate-user', `A user with email ${user.email} already exists`, { cause: error })
            : undefined,
      );
      if (row === undefined) throw new Error('user insert returned no row');
      return row;
    },

    async findById(executor: Executor, id: string): Promise<UserRow | undefined> {
      const [row] = await executor.select().from(users).where(eq(users.id, id)).limit(1);
      return row;
    },

    async findByEmail(executor: Executor, email: string): Promise<UserRow | undefined> {
      const [row] = await executor.select().from(users).where(eq(users.email, email)).limit(1);
      return row;
    },

    async list(executor: Executor): Promise<UserRow[]> {
      return executor.select().from(users).orderBy(desc(users.id));
    },

    async update(
      executor: Executor,
      id: string,
      changes: Partial<Pick<UserRow, 'name' | 'isPlatformAdmin' | 'passwordHash' | 'disabledAt'>>,
      at: Date,
    ): Promise<UserRow | undefined> {
      const [row] = await executor
        .update(users)
        .set({ ...changes, updatedAt: at })
        .where(eq(users.id, id))
        .returning();
      return row;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
