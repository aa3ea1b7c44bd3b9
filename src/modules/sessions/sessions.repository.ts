import { and, desc, eq, gt, isNull, lt } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { type SessionRow, sessions, type UserRow, users } from '../../db/schema/index.js';

export type NewSession = Pick<
  SessionRow,
  'id' | 'userId' | 'tokenHash' | 'csrfToken' | 'expiresAt' | 'createdAt' | 'lastSeenAt' | 'sourceIp' | 'userAgent'
>;

export function createSessionsRepository() {
  return {
    async insert(executor: Executor, session: NewSession): Promise<SessionRow> {
      const [row] = await executor.insert(sessions).values(session).returning();
      if (row === undefined) throw new Error('session insert returned no row');
      return row;
    },

    /** The unrevoked session with this token hash that is inside both its idle and absolute limits. */
    async findLive(
      executor: Executor,
      tokenHash: string,
      at: Date,
      idleSince: Date,
    ): Promise<{ session: SessionRow; user: UserRow } | undefined> {
      const [row] = await executor
        .select({ session: sessions, user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.tokenHash, tokenHash),
            isNull(sessions.revokedAt),
            isNull(users.disabledAt),
            gt(sessions.expiresAt, at),
            gt(sessions.lastSeenAt, idleSince),
          ),
        )
        .limit(1);
      return row;
    },

    async isLive(executor: Executor, id: string, at: Date, idleSince: Date): Promise<boolean> {
      const [row] = await executor
        .select({ id: sessions.id })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(
          and(
            eq(sessions.id, id),
            isNull(sessions.revokedAt),
            isNull(users.disabledAt),
            gt(sessions.expiresAt, at),
            gt(sessions.lastSeenAt, idleSince),
          ),
        )
        .limit(1);
      return row !== undefined;
    },

    /** A person's working sessions, newest first. */
    async listLive(executor: Executor, userId: string, at: Date, idleSince: Date): Promise<SessionRow[]> {
      return executor
        .select()
        .from(sessions)
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, at),
            gt(sessions.lastSeenAt, idleSince),
          ),
        )
        .orderBy(desc(sessions.id));
    },

    /** Revokes one session of this user; undefined when the user has no such working session. */
    async revokeOwn(executor: Executor, userId: string, id: string, at: Date): Promise<SessionRow | undefined> {
      const [row] = await executor
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.id, id), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .returning();
      return row;
    },

    /** Records activity, at most once per `staleBefore` window so a request is not a write. */
    async touch(executor: Executor, id: string, at: Date, staleBefore: Date): Promise<void> {
      await executor
        .update(sessions)
        .set({ lastSeenAt: at })
        .where(and(eq(sessions.id, id), lt(sessions.lastSeenAt, staleBefore)));
    },

    async revoke(executor: Executor, id: string, at: Date): Promise<SessionRow | undefined> {
      const [row] = await executor
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
        .returning();
      return row;
    },

    async revokeAllForUser(executor: Executor, userId: string, at: Date): Promise<number> {
      const rows = await executor
        .update(sessions)
        .set({ revokedAt: at })
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return rows.length;
    },
  };
}

export type SessionsRepository = ReturnType<typeof createSessionsRepository>;
