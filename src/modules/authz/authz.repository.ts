import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { TeamRole } from '../../core/teams.js';
import { builtPerExecutor, type Executor } from '../../db/client.js';
import { schedules, teamMembers, teams, users } from '../../db/schema/index.js';

/**
 * standingOfUser's rule as SQL, for a statement that reads a person (`users`) left-joined to
 * their `team_members` row in the team: true while they may still act for the team (an enabled
 * platform admin or member). The escalation engine's send reads it with everything else it needs.
 */
export const standsInTeamSql = sql<boolean>`coalesce(${users.disabledAt} IS NULL AND (${users.isPlatformAdmin} OR ${teamMembers.role} IS NOT NULL), false)`;

/**
 * The one place that reads who belongs to which team and with what role. Every authorization
 * decision (authz.service.ts) and every check of a stored reference goes through these queries.
 */
/**
 * Read on every escalation step: built once per executor (53 µs a build), its ids one
 * `= ANY(uuid[])` parameter so the text does not vary with their number.
 */
const membersAmongQuery = builtPerExecutor((executor) =>
  executor
    .select({ userId: teamMembers.userId, name: users.name, email: users.email })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(
      and(
        eq(teamMembers.teamId, sql.placeholder('teamId')),
        sql`${teamMembers.userId} = ANY(${sql.placeholder('userIds')}::uuid[])`,
        isNull(users.disabledAt),
      ),
    )
    .prepare('klaxon_authz_members_among'),
);

export function createAuthzRepository() {
  return {
    async roleOf(executor: Executor, teamId: string, userId: string): Promise<TeamRole | undefined> {
      const [row] = await executor
        .select({ role: teamMembers.role })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .limit(1);
      return row?.role;
    },

    /** Every team of a user with the user's role in it. */
    async rolesOf(executor: Executor, userId: string): Promise<Map<string, TeamRole>> {
      const rows = await executor
        .select({ teamId: teamMembers.teamId, role: teamMembers.role })
        .from(teamMembers)
        .where(eq(teamMembers.userId, userId));
      return new Map(rows.map((row) => [row.teamId, row.role]));
    },

    /**
     * Which of `userIds` belong to the team (a disabled account belongs to none), each with the
     * name people see (their name, else their email), read in the same statement for the timeline.
     */
    async membersAmong(executor: Executor, teamId: string, userIds: string[]): Promise<Map<string, string>> {
      if (userIds.length === 0) return new Map();
      const rows = await membersAmongQuery(executor).execute({ teamId, userIds });
      return new Map(rows.map((row) => [row.userId, row.name ?? row.email]));
    },

    /** A user as grants derived from them see it: admin or not, disabled or not, and their role in the team. */
    async userInTeam(executor: Executor, userId: string, teamId: string) {
      const [row] = await executor
        .select({ isPlatformAdmin: users.isPlatformAdmin, disabledAt: users.disabledAt, role: teamMembers.role })
        .from(users)
        .leftJoin(teamMembers, and(eq(teamMembers.userId, users.id), eq(teamMembers.teamId, teamId)))
        .where(eq(users.id, userId))
        .limit(1);
      return row;
    },

    async findUser(executor: Executor, userId: string) {
      const [row] = await executor
        .select({ isPlatformAdmin: users.isPlatformAdmin, disabledAt: users.disabledAt })
        .from(users)
        .where(eq(users.id, userId))
        .limit(1);
      return row;
    },

    /** Which of `scheduleIds` are schedules of the team. */
    async schedulesAmong(executor: Executor, teamId: string, scheduleIds: string[]): Promise<Set<string>> {
      if (scheduleIds.length === 0) return new Set();
      const rows = await executor
        .select({ id: schedules.id })
        .from(schedules)
        .where(and(eq(schedules.teamId, teamId), inArray(schedules.id, scheduleIds)));
      return new Set(rows.map((row) => row.id));
    },

    async teamExists(executor: Executor, id: string): Promise<boolean> {
      const [row] = await executor.select({ id: teams.id }).from(teams).where(eq(teams.id, id)).limit(1);
      return row !== undefined;
    },

    async userExists(executor: Executor, id: string): Promise<boolean> {
      const [row] = await executor.select({ id: users.id }).from(users).where(eq(users.id, id)).limit(1);
      return row !== undefined;
    },
  };
}

export type AuthzRepository = ReturnType<typeof createAuthzRepository>;
