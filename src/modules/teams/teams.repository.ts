import { and, asc, eq, inArray, isNull, notExists, sql } from 'drizzle-orm';
import type { TeamRole } from '../../core/teams.js';
import type { Executor } from '../../db/client.js';
import { type ConstraintViolation, translatingViolations } from '../../db/constraint-violations.js';
import {
  integrations,
  routingRules,
  type TeamMemberRow,
  type TeamRow,
  teamMembers,
  teams,
  users,
} from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

export type NewTeam = Pick<TeamRow, 'id' | 'name' | 'description'>;
export type TeamChanges = Partial<Pick<TeamRow, 'name' | 'description'>>;

export interface TeamView extends TeamRow {
  memberCount: number;
  /** The caller's role in the team; null when the caller is not a member (a platform admin). */
  role: TeamRole | null;
}

export interface TeamMemberView extends TeamMemberRow {
  email: string;
  name: string | null;
}

const memberCount = sql<number>`(select count(*) from ${teamMembers} where ${teamMembers.teamId} = ${teams.id})::int`;

/** Team names are unique regardless of case (teams_name_unique). */
function nameTaken(team: { name?: string | undefined }) {
  return ({ constraint, error }: ConstraintViolation) =>
    constraint === 'teams_name_unique'
      ? new AppError(
          'duplicate-team',
          `A team named "${team.name ?? ''}" already exists (names compare case-insensitively)`,
          {
            cause: error,
          },
        )
      : undefined;
}

export function createTeamsRepository() {
  /** Teams with their member count and the viewer's role; all of them, or only those of `scope`. */
  async function listViews(executor: Executor, viewerId: string, scope: string[] | 'all', teamId?: string) {
    if (scope !== 'all' && scope.length === 0) return [];
    const rows = await executor
      .select({ team: teams, memberCount, role: teamMembers.role })
      .from(teams)
      .leftJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, viewerId)))
      .where(
        and(
          scope === 'all' ? undefined : inArray(teams.id, scope),
          teamId === undefined ? undefined : eq(teams.id, teamId),
        ),
      )
      .orderBy(asc(sql`lower(${teams.name})`), asc(teams.id));
    return rows.map((row): TeamView => ({ ...row.team, memberCount: row.memberCount, role: row.role }));
  }

  return {
    async insert(executor: Executor, team: NewTeam): Promise<TeamRow> {
      const [row] = await translatingViolations(executor.insert(teams).values(team).returning(), nameTaken(team));
      if (row === undefined) throw new Error('team insert returned no row');
      return row;
    },

    async findByIdForUpdate(executor: Executor, id: string): Promise<TeamRow | undefined> {
      const [row] = await executor.select().from(teams).where(eq(teams.id, id)).limit(1).for('update');
      return row;
    },

    listViews,

    async findView(executor: Executor, viewerId: string, id: string) {
      const [row] = await listViews(executor, viewerId, 'all', id);
      return row;
    },

    async update(executor: Executor, id: string, changes: TeamChanges, at: Date): Promise<TeamRow> {
      const [row] = await translatingViolations(
        executor
          .update(teams)
          .set({ ...changes, updatedAt: at })
          .where(eq(teams.id, id))
          .returning(),
        nameTaken(changes),
      );
      if (row === undefined) throw new Error('team update matched no row');
      return row;
    },

    /** A team still referenced by a restricting foreign key (routing) is in use and stays. */
    async delete(executor: Executor, id: string): Promise<void> {
      await translatingViolations(executor.delete(teams).where(eq(teams.id, id)), ({ kind, error }) =>
        kind === 'foreign-key'
          ? new AppError('team-in-use', 'The team is still used by routing', { cause: error })
          : undefined,
      );
    },

    /** What still points at a team: routing rules targeting it, integrations defaulting to it. */
    async references(executor: Executor, id: string) {
      const [rules] = await executor
        .select({ count: sql<number>`count(*)::int` })
        .from(routingRules)
        .where(eq(routingRules.teamId, id));
      const defaults = await executor
        .select({ name: integrations.name })
        .from(integrations)
        .where(eq(integrations.defaultTeamId, id));
      return { ruleCount: rules?.count ?? 0, integrationNames: defaults.map((row) => row.name) };
    },

    async listMembers(executor: Executor, teamId: string): Promise<TeamMemberView[]> {
      const rows = await executor
        .select({ member: teamMembers, email: users.email, name: users.name })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(eq(teamMembers.teamId, teamId))
        .orderBy(asc(users.email));
      return rows.map((row) => ({ ...row.member, email: row.email, name: row.name }));
    },

    async findMember(executor: Executor, teamId: string, userId: string): Promise<TeamMemberView | undefined> {
      const [row] = await executor
        .select({ member: teamMembers, email: users.email, name: users.name })
        .from(teamMembers)
        .innerJoin(users, eq(users.id, teamMembers.userId))
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .limit(1);
      return row === undefined ? undefined : { ...row.member, email: row.email, name: row.name };
    },

    /** People who could join the team: enabled accounts that are not in it yet. */
    async listCandidates(executor: Executor, teamId: string) {
      return executor
        .select({ id: users.id, email: users.email, name: users.name })
        .from(users)
        .where(
          and(
            isNull(users.disabledAt),
            notExists(
              executor
                .select({ one: sql`1` })
                .from(teamMembers)
                .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, users.id))),
            ),
          ),
        )
        .orderBy(asc(users.email));
    },

    async countManagers(executor: Executor, teamId: string): Promise<number> {
      const [row] = await executor
        .select({ count: sql<number>`count(*)::int` })
        .from(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, 'manager')));
      return row?.count ?? 0;
    },

    async insertMember(executor: Executor, member: Pick<TeamMemberRow, 'teamId' | 'userId' | 'role'>) {
      await translatingViolations(executor.insert(teamMembers).values(member), ({ kind, constraint, error }) => {
        if (kind === 'unique') {
          return new AppError('duplicate-team-member', `User ${member.userId} is already a member of this team`, {
            cause: error,
          });
        }
        if (constraint === 'team_members_user_id_users_id_fk') {
          return new AppError('user-not-found', `No user with id ${member.userId}`, { cause: error });
        }
        return undefined;
      });
    },

    async updateMemberRole(executor: Executor, teamId: string, userId: string, role: TeamRole): Promise<boolean> {
      const rows = await executor
        .update(teamMembers)
        .set({ role })
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .returning({ userId: teamMembers.userId });
      return rows.length > 0;
    },

    async deleteMember(executor: Executor, teamId: string, userId: string): Promise<boolean> {
      const rows = await executor
        .delete(teamMembers)
        .where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId)))
        .returning({ userId: teamMembers.userId });
      return rows.length > 0;
    },

    /** Names of the given teams, for explaining routing decisions. */
    async namesByIds(executor: Executor, ids: string[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const rows = await executor.select({ id: teams.id, name: teams.name }).from(teams).where(inArray(teams.id, ids));
      return new Map(rows.map((row) => [row.id, row.name]));
    },
  };
}

export type TeamsRepository = ReturnType<typeof createTeamsRepository>;
