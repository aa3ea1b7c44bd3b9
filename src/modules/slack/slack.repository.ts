import { and, asc, eq, inArray, lt, sql } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { translatingViolations } from '../../db/constraint-violations.js';
import {
  contactMethods,
  incidents,
  schedules,
  slackLinks,
  slackMessages,
  slackRequests,
  slackTeamChannels,
  teamMembers,
  teams,
  users,
} from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';

const directMessageMethodsOf = (userId: string) => [
  eq(contactMethods.userId, userId),
  eq(contactMethods.type, 'slack'),
  sql`${contactMethods.address} not like 'http%'`,
];

export function createSlackRepository() {
  return {
    async findLinkOfUser(executor: Executor, userId: string) {
      const [row] = await executor.select().from(slackLinks).where(eq(slackLinks.userId, userId));
      return row;
    },

    async findLinkOfSlackUser(executor: Executor, slackUserId: string) {
      const [row] = await executor.select().from(slackLinks).where(eq(slackLinks.slackUserId, slackUserId));
      return row;
    },

    /** One Slack account links to one person: another person's account is taken. */
    async upsertLink(executor: Executor, userId: string, slackUserId: string, at: Date) {
      await translatingViolations(
        executor
          .insert(slackLinks)
          .values({ userId, slackUserId, linkedAt: at })
          .onConflictDoUpdate({ target: slackLinks.userId, set: { slackUserId, linkedAt: at } }),
        ({ constraint, error }) =>
          constraint === 'slack_links_slack_user_unique'
            ? new AppError('slack-account-taken', undefined, { cause: error })
            : undefined,
      );
    },

    async deleteLink(executor: Executor, userId: string) {
      await executor.delete(slackLinks).where(eq(slackLinks.userId, userId));
    },

    /**
     * Points the person's Slack DM contact methods (type `slack` whose address is a Slack user id,
     * not a webhook URL) at another Slack account; how many there were. Updated in place, not
     * replaced, so the notification rules that use them stay.
     */
    async readdressDirectMessageMethods(executor: Executor, userId: string, slackUserId: string): Promise<number> {
      const updated = await executor
        .update(contactMethods)
        .set({ address: slackUserId })
        .where(and(...directMessageMethodsOf(userId)))
        .returning({ id: contactMethods.id });
      return updated.length;
    },

    async deleteDirectMessageMethods(executor: Executor, userId: string) {
      await executor.delete(contactMethods).where(and(...directMessageMethodsOf(userId)));
    },

    async findTeamChannel(executor: Executor, teamId: string): Promise<string | undefined> {
      const [row] = await executor
        .select({ channelId: slackTeamChannels.channelId })
        .from(slackTeamChannels)
        .where(eq(slackTeamChannels.teamId, teamId));
      return row?.channelId;
    },

    async setTeamChannel(executor: Executor, teamId: string, channelId: string | null, at: Date) {
      if (channelId === null) {
        await executor.delete(slackTeamChannels).where(eq(slackTeamChannels.teamId, teamId));
        return;
      }
      await executor
        .insert(slackTeamChannels)
        .values({ teamId, channelId, updatedAt: at })
        .onConflictDoUpdate({ target: slackTeamChannels.teamId, set: { channelId, updatedAt: at } });
    },

    async insertMessage(executor: Executor, row: typeof slackMessages.$inferInsert) {
      await executor.insert(slackMessages).values(row).onConflictDoNothing();
    },

    async messagesOf(executor: Executor, incidentIds: string[]) {
      if (incidentIds.length === 0) return [];
      return executor
        .select()
        .from(slackMessages)
        .where(inArray(slackMessages.incidentId, incidentIds))
        .orderBy(asc(slackMessages.createdAt));
    },

    /** Records a signed request; false when it was recorded before (a replay). */
    async claimRequest(executor: Executor, digest: string, at: Date): Promise<boolean> {
      const inserted = await executor
        .insert(slackRequests)
        .values({ digest, receivedAt: at })
        .onConflictDoNothing()
        .returning({ digest: slackRequests.digest });
      return inserted.length > 0;
    },

    async pruneRequests(executor: Executor, before: Date) {
      await executor.delete(slackRequests).where(lt(slackRequests.receivedAt, before));
    },

    /** The incidents with their team's name, as their messages show them. */
    async incidentViews(executor: Executor, ids: string[]) {
      if (ids.length === 0) return [];
      return executor
        .select({
          id: incidents.id,
          number: incidents.number,
          title: incidents.title,
          severity: incidents.severity,
          status: incidents.status,
          teamId: incidents.teamId,
          teamName: teams.name,
          escalationLevel: incidents.escalationLevel,
          escalationRepetition: incidents.escalationRepetition,
        })
        .from(incidents)
        .innerJoin(teams, eq(teams.id, incidents.teamId))
        .where(inArray(incidents.id, ids));
    },

    async teamsByName(executor: Executor, name: string) {
      return executor
        .select({ id: teams.id, name: teams.name })
        .from(teams)
        .where(sql`lower(${teams.name}) = lower(${name})`);
    },

    async teamsOfUser(executor: Executor, userId: string) {
      return executor
        .select({ id: teams.id, name: teams.name })
        .from(teamMembers)
        .innerJoin(teams, eq(teams.id, teamMembers.teamId))
        .where(eq(teamMembers.userId, userId))
        .orderBy(asc(teams.name));
    },

    async schedulesOf(executor: Executor, teamId: string) {
      return executor
        .select({ id: schedules.id, name: schedules.name })
        .from(schedules)
        .where(eq(schedules.teamId, teamId))
        .orderBy(asc(schedules.name));
    },

    async peopleByIds(executor: Executor, ids: string[]) {
      if (ids.length === 0) return [];
      return executor
        .select({ id: users.id, name: users.name, email: users.email })
        .from(users)
        .where(inArray(users.id, ids));
    },

    async linksOfUsers(executor: Executor, userIds: string[]) {
      if (userIds.length === 0) return [];
      return executor.select().from(slackLinks).where(inArray(slackLinks.userId, userIds));
    },
  };
}

export type SlackRepository = ReturnType<typeof createSlackRepository>;

/** An incident as its Slack message shows it. */
export type IncidentView = Awaited<ReturnType<SlackRepository['incidentViews']>>[number];
