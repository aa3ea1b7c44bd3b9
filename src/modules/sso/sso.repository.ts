import { and, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { TeamRole } from '../../core/teams.js';
import type { Executor } from '../../db/client.js';
import {
  type OidcLoginRequestRow,
  oidcLoginRequests,
  teamMembers,
  teams,
  type UserRow,
  users,
} from '../../db/schema/index.js';

export type NewLoginRequest = Omit<OidcLoginRequestRow, 'consumedAt'>;

export interface Membership {
  teamId: string;
  teamName: string;
  role: TeamRole;
  source: 'manual' | 'sso';
}

/** Login requests (state, nonce, PKCE verifier), SSO identities on users, and SSO-managed memberships. */
export function createSsoRepository() {
  return {
    async insertLoginRequest(executor: Executor, request: NewLoginRequest): Promise<void> {
      await executor.insert(oidcLoginRequests).values(request);
    },

    /**
     * Marks the live request with this state used and returns it; undefined when it is unknown,
     * expired or already used. One UPDATE, so two callbacks racing with one state cannot both win.
     */
    async consumeLoginRequest(executor: Executor, stateHash: string, at: Date) {
      const [row] = await executor
        .update(oidcLoginRequests)
        .set({ consumedAt: at })
        .where(
          and(
            eq(oidcLoginRequests.stateHash, stateHash),
            isNull(oidcLoginRequests.consumedAt),
            gt(oidcLoginRequests.expiresAt, at),
          ),
        )
        .returning();
      return row;
    },

    /** Drops requests that ended before `before`: they can only be refused by now. */
    async deleteLoginRequestsBefore(executor: Executor, before: Date): Promise<void> {
      await executor.delete(oidcLoginRequests).where(lt(oidcLoginRequests.expiresAt, before));
    },

    async findUserByIdentity(executor: Executor, issuer: string, subject: string): Promise<UserRow | undefined> {
      const [row] = await executor
        .select()
        .from(users)
        .where(and(eq(users.oidcIssuer, issuer), eq(users.oidcSubject, subject)))
        .limit(1)
        .for('update');
      return row;
    },

    async findUserByEmail(executor: Executor, email: string): Promise<UserRow | undefined> {
      const [row] = await executor.select().from(users).where(eq(users.email, email)).limit(1).for('update');
      return row;
    },

    async insertUser(
      executor: Executor,
      user: Pick<UserRow, 'id' | 'email' | 'name' | 'isPlatformAdmin' | 'oidcIssuer' | 'oidcSubject'>,
    ): Promise<UserRow> {
      const [row] = await executor.insert(users).values(user).returning();
      if (row === undefined) throw new Error('user insert returned no row');
      return row;
    },

    async updateUser(
      executor: Executor,
      id: string,
      changes: Partial<Pick<UserRow, 'email' | 'name' | 'isPlatformAdmin' | 'oidcIssuer' | 'oidcSubject'>>,
      at: Date,
    ): Promise<UserRow> {
      const [row] = await executor
        .update(users)
        .set({ ...changes, updatedAt: at })
        .where(eq(users.id, id))
        .returning();
      if (row === undefined) throw new Error('user update matched no row');
      return row;
    },

    /** Teams whose lower-cased name is one of `names`. */
    async teamsByLowerName(executor: Executor, names: string[]): Promise<Array<{ id: string; name: string }>> {
      if (names.length === 0) return [];
      return executor
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(inArray(sql`lower(${teams.name})`, names));
    },

    async membershipsOf(executor: Executor, userId: string): Promise<Membership[]> {
      return executor
        .select({
          teamId: teamMembers.teamId,
          teamName: teams.name,
          role: teamMembers.role,
          source: teamMembers.source,
        })
        .from(teamMembers)
        .innerJoin(teams, eq(teams.id, teamMembers.teamId))
        .where(eq(teamMembers.userId, userId));
    },

    async insertSsoMembership(executor: Executor, teamId: string, userId: string, role: TeamRole): Promise<void> {
      await executor.insert(teamMembers).values({ teamId, userId, role, source: 'sso' }).onConflictDoNothing();
    },

    async updateSsoMembershipRole(executor: Executor, teamId: string, userId: string, role: TeamRole): Promise<void> {
      await executor
        .update(teamMembers)
        .set({ role })
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId), eq(teamMembers.source, 'sso')));
    },

    async deleteSsoMembership(executor: Executor, teamId: string, userId: string): Promise<void> {
      await executor
        .delete(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId), eq(teamMembers.source, 'sso')));
    },
  };
}

export type SsoRepository = ReturnType<typeof createSsoRepository>;
