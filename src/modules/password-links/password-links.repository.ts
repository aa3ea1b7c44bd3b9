import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type PasswordLinkRow, passwordLinks, type UserRow, users } from '../../db/schema/index.js';

export type NewPasswordLink = Pick<
  PasswordLinkRow,
  'id' | 'userId' | 'tokenHash' | 'purpose' | 'createdBy' | 'createdAt' | 'expiresAt'
>;

export function createPasswordLinksRepository() {
  return {
    async insert(executor: Executor, link: NewPasswordLink): Promise<PasswordLinkRow> {
      const [row] = await executor.insert(passwordLinks).values(link).returning();
      if (row === undefined) throw new Error('password link insert returned no row');
      return row;
    },

    /** Revokes the user's links that are neither used nor revoked yet; returns how many. */
    async revokeUnusedForUser(executor: Executor, userId: string, at: Date): Promise<number> {
      const rows = await executor
        .update(passwordLinks)
        .set({ revokedAt: at })
        .where(and(eq(passwordLinks.userId, userId), isNull(passwordLinks.usedAt), isNull(passwordLinks.revokedAt)))
        .returning({ id: passwordLinks.id });
      return rows.length;
    },

    async findByTokenHash(
      executor: Executor,
      tokenHash: string,
    ): Promise<{ link: PasswordLinkRow; user: UserRow } | undefined> {
      const [row] = await executor
        .select({ link: passwordLinks, user: users })
        .from(passwordLinks)
        .innerJoin(users, eq(users.id, passwordLinks.userId))
        .where(eq(passwordLinks.tokenHash, tokenHash))
        .limit(1);
      return row;
    },

    /**
     * Marks the link used if it is still usable. The condition and the write are one statement,
     * so of two concurrent uses exactly one gets the row back.
     */
    async consume(executor: Executor, id: string, at: Date): Promise<PasswordLinkRow | undefined> {
      const [row] = await executor
        .update(passwordLinks)
        .set({ usedAt: at })
        .where(
          and(
            eq(passwordLinks.id, id),
            isNull(passwordLinks.usedAt),
            isNull(passwordLinks.revokedAt),
            gt(passwordLinks.expiresAt, at),
          ),
        )
        .returning();
      return row;
    },
  };
}

export type PasswordLinksRepository = ReturnType<typeof createPasswordLinksRepository>;
