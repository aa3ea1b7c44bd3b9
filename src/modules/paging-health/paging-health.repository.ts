import { and, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { contactMethods, escalationPolicies, schedules, teamMembers, teams, users } from '../../db/schema/index.js';

/** The facts paging health is judged from, for a set of teams. */
export function createPagingHealthRepository() {
  return {
    async teams(executor: Executor, teamIds: string[] | 'all') {
      const query = executor.select({ id: teams.id, name: teams.name }).from(teams);
      return teamIds === 'all'
        ? query.orderBy(teams.name)
        : query.where(inArray(teams.id, teamIds)).orderBy(teams.name);
    },

    async managedTeamIds(executor: Executor, userId: string): Promise<string[]> {
      const rows = await executor
        .select({ teamId: teamMembers.teamId })
        .from(teamMembers)
        .where(and(eq(teamMembers.userId, userId), eq(teamMembers.role, 'manager')));
      return rows.map((row) => row.teamId);
    },

    async policies(executor: Executor, teamIds: string[]) {
      if (teamIds.length === 0) return [];
      return executor
        .select({
          id: escalationPolicies.id,
          name: escalationPolicies.name,
          teamId: escalationPolicies.teamId,
          isDefault: escalationPolicies.isDefault,
          levels: escalationPolicies.levels,
        })
        .from(escalationPolicies)
        .where(inArray(escalationPolicies.teamId, teamIds));
    },

    async schedules(executor: Executor, teamIds: string[]) {
      if (teamIds.length === 0) return [];
      return executor
        .select({ id: schedules.id, name: schedules.name, teamId: schedules.teamId })
        .from(schedules)
        .where(inArray(schedules.teamId, teamIds));
    },

    async existingIds(executor: Executor, kind: 'user' | 'schedule', ids: string[]): Promise<Set<string>> {
      if (ids.length === 0) return new Set();
      const table = kind === 'user' ? users : schedules;
      const rows = await executor.select({ id: table.id }).from(table).where(inArray(table.id, ids));
      return new Set(rows.map((row) => row.id));
    },

    async people(executor: Executor, ids: string[]) {
      if (ids.length === 0) return [];
      return executor
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids));
    },

    /** Contact methods of these people (all people when 'all'): who has what. */
    async contactMethods(executor: Executor, userIds: string[] | 'all') {
      const query = executor.select({ userId: contactMethods.userId, type: contactMethods.type }).from(contactMethods);
      if (userIds === 'all') return query;
      if (userIds.length === 0) return [];
      return query.where(inArray(contactMethods.userId, userIds));
    },

    async memberIds(executor: Executor, teamIds: string[]): Promise<string[]> {
      if (teamIds.length === 0) return [];
      const rows = await executor
        .selectDistinct({ userId: teamMembers.userId })
        .from(teamMembers)
        .where(inArray(teamMembers.teamId, teamIds));
      return rows.map((row) => row.userId);
    },
  };
}

export type PagingHealthRepository = ReturnType<typeof createPagingHealthRepository>;
