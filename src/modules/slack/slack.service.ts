import { createHash } from 'node:crypto';
import type { Principal } from '../../core/principal.js';
import type { Database, Transaction } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Authz } from '../authz/authz.service.js';
import type { EscalationStep } from '../incidents/incidents.service.js';
import type { OnCallResolver } from '../incidents/on-call-resolver.js';
import { escapeSlackText } from '../notifications/chat-markup.js';
import type { NotificationsRepository } from '../notifications/notifications.repository.js';
import type { IncidentView, SlackRepository } from './slack.repository.js';
import { type SlackApi, SlackApiError } from './slack-api.js';
import { SLACK_ACTIONS, type SlackActionId, slackIncidentMessage } from './slack-blocks.js';
import { SLACK_SIGNATURE_MAX_AGE_SECONDS } from './slack-signature.js';

/** The part of a `block_actions` interaction payload Klaxon reads (https://api.slack.com/reference/interaction-payloads/block-actions). */
export interface SlackBlockAction {
  slackUserId: string;
  channelId: string | undefined;
  actionId: string;
  value: string;
}

const MAX_RATE_LIMIT_WAIT_SECONDS = 30;
const UPDATE_ATTEMPTS = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function createSlackService(deps: {
  db: Database;
  repository: SlackRepository;
  /** Undefined while SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET are not set. */
  api: SlackApi | undefined;
  authz: Authz;
  auditService: Pick<AuditService, 'record'>;
  notificationsRepository: Pick<NotificationsRepository, 'insertContactMethod'>;
  actAsPagedPerson: (
    userId: string,
    incidentId: string,
    action: 'acknowledge' | 'resolve',
    how: string,
  ) => Promise<{ changed: boolean }>;
  /** Runs the incident's pending escalation level now (as key 3 of a call does). */
  runStep: (step: EscalationStep, alsoInTransaction?: (tx: Transaction) => Promise<void>) => Promise<'ran' | 'stale'>;
  resolver: OnCallResolver;
  publicUrl: string;
  log?: (error: unknown, message: string) => void;
  now?: () => Date;
}) {
  const { db, repository, authz } = deps;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? (() => {});
  const profileUrl = `${deps.publicUrl}/profile`;
  const teamNotFound = (teamId: string) => new AppError('team-not-found', `No team with id ${teamId}`);

  const apiOrThrow = (): SlackApi => {
    if (deps.api === undefined) throw new AppError('slack-not-configured');
    return deps.api;
  };
  const unavailable = (error: unknown) =>
    error instanceof SlackApiError ? new AppError('slack-unavailable', `Slack answered: ${error.code}`) : error;

  const messageFrom = (view: IncidentView, reason?: string) =>
    slackIncidentMessage({ ...view, consoleUrl: `${deps.publicUrl}/incidents/${view.id}`, reason });

  async function messageOf(incidentId: string, reason?: string) {
    const [view] = await repository.incidentViews(db, [incidentId]);
    return view === undefined ? undefined : { view, message: messageFrom(view, reason) };
  }

  /** chat.update, waiting out Slack's Retry-After a few times: the latest state must land. */
  async function updateInPlace(channelId: string, ts: string, message: ReturnType<typeof slackIncidentMessage>) {
    const api = apiOrThrow();
    for (let attempt = 1; ; attempt++) {
      try {
        return await api.update(channelId, ts, message);
      } catch (error) {
        const wait = error instanceof SlackApiError ? error.retryAfterSeconds : undefined;
        if (wait === undefined || attempt >= UPDATE_ATTEMPTS) throw error;
        await sleep(Math.min(wait, MAX_RATE_LIMIT_WAIT_SECONDS) * 1000);
      }
    }
  }

  async function ephemeral(channelId: string | undefined, slackUserId: string, text: string) {
    if (channelId === undefined) return;
    await apiOrThrow()
      .postEphemeral(channelId, slackUserId, text)
      .catch((error: unknown) => log(error, 'Slack ephemeral message failed'));
  }

  /** A DM of plain Klaxon text (escaped like alert text: it may quote a title). */
  async function sendText(slackUserId: string, text: string) {
    const escaped = escapeSlackText(text);
    await apiOrThrow().postMessage(slackUserId, {
      text: escaped,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escaped } }],
    });
  }

  async function escalate(userId: string, incidentId: string): Promise<string> {
    const [incident] = await repository.incidentViews(db, [incidentId]);
    if (incident?.status !== 'triggered' || incident.escalationLevel === null) {
      return 'There is no further level to escalate to.';
    }
    const ran = await deps.runStep(
      { incidentId, level: incident.escalationLevel, repetition: incident.escalationRepetition },
      // In the step's own transaction: audited exactly when it escalated.
      async (tx) => {
        await deps.auditService.record(tx, {
          action: 'incident.escalated',
          userId,
          resourceType: 'incident',
          resourceId: incidentId,
          severity: 'LOW',
          metadata: { teamId: incident.teamId, how: 'from Slack' },
        });
      },
    );
    return ran === 'ran' ? 'Escalated to the next level.' : 'The incident changed meanwhile: nothing escalated.';
  }

  return {
    configured: deps.api !== undefined,

    async linkStatus(viewer: Principal) {
      const link = await repository.findLinkOfUser(db, viewer.userId);
      return { configured: deps.api !== undefined, linked: link !== undefined, slackUserId: link?.slackUserId ?? null };
    },

    /**
     * Links the caller to the Slack account with their email (users.lookupByEmail), and adds the
     * `slack` contact method that DMs it. Relinking replaces the previous account.
     */
    async link(viewer: Principal) {
      const api = apiOrThrow();
      const found = await api.lookupByEmail(viewer.email).catch((error: unknown) => {
        throw unavailable(error);
      });
      if (found === undefined) throw new AppError('slack-user-not-found');
      const at = now();
      await db.transaction(async (tx) => {
        await repository.upsertLink(tx, viewer.userId, found.id, at);
        // Relinking keeps the DM contact method (and the notification rules that use it).
        if ((await repository.readdressDirectMessageMethods(tx, viewer.userId, found.id)) === 0) {
          await deps.notificationsRepository.insertContactMethod(tx, {
            id: uuidv7(),
            userId: viewer.userId,
            type: 'slack',
            label: 'Slack direct message',
            address: found.id,
            createdAt: at,
          });
        }
        await deps.auditService.record(tx, {
          action: 'slack.linked',
          userId: viewer.userId,
          resourceType: 'user',
          resourceId: viewer.userId,
          severity: 'LOW',
          metadata: { slackUserId: found.id },
        });
      });
      return { configured: true, linked: true, slackUserId: found.id };
    },

    async unlink(viewer: Principal) {
      await db.transaction(async (tx) => {
        await repository.deleteDirectMessageMethods(tx, viewer.userId);
        await repository.deleteLink(tx, viewer.userId);
        await deps.auditService.record(tx, {
          action: 'slack.unlinked',
          userId: viewer.userId,
          resourceType: 'user',
          resourceId: viewer.userId,
          severity: 'LOW',
          metadata: {},
        });
      });
    },

    sendText,

    /** A DM to the caller's linked account, to see that it arrives. */
    async sendTest(viewer: Principal) {
      apiOrThrow();
      const link = await repository.findLinkOfUser(db, viewer.userId);
      if (link === undefined) throw new AppError('slack-not-linked');
      await sendText(link.slackUserId, 'Test from Klaxon: incident messages will reach you here').catch(
        (error: unknown) => {
          throw unavailable(error);
        },
      );
    },

    async getTeamChannel(viewer: Principal, teamId: string) {
      await authz.authorize(viewer, 'read', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      return { configured: deps.api !== undefined, channelId: (await repository.findTeamChannel(db, teamId)) ?? null };
    },

    async setTeamChannel(viewer: Principal, teamId: string, channelId: string | null) {
      await authz.authorize(viewer, 'manage', teamId, { notFound: () => teamNotFound(teamId), teamMustExist: true });
      await db.transaction(async (tx) => {
        await repository.setTeamChannel(tx, teamId, channelId, now());
        await deps.auditService.record(tx, {
          action: 'team.slack_channel_set',
          userId: viewer.userId,
          resourceType: 'team',
          resourceId: teamId,
          severity: 'LOW',
          metadata: { channelId },
        });
      });
      return { configured: deps.api !== undefined, channelId };
    },

    /** Whether a team has a Slack channel and the app is configured (paging health, escalation). */
    async teamChannelReady(teamId: string): Promise<boolean> {
      return deps.api !== undefined && (await repository.findTeamChannel(db, teamId)) !== undefined;
    },

    /** Posts the incident to its team's Slack channel (an escalation level's `team_channel` target). */
    async postToTeamChannel(incidentId: string, reason: string): Promise<{ ts: string } | 'no-channel'> {
      const api = apiOrThrow();
      const found = await messageOf(incidentId, reason);
      const channelId = found === undefined ? undefined : await repository.findTeamChannel(db, found.view.teamId);
      if (found === undefined || channelId === undefined) return 'no-channel';
      const posted = await api.postMessage(channelId, found.message);
      await repository.insertMessage(db, { incidentId, channelId: posted.channel, ts: posted.ts, createdAt: now() });
      return posted;
    },

    /** The incident message of a DM (the `slack` channel); remembered so it is updated in place. */
    async directMessage(slackUserId: string, incidentId: string, reason: string) {
      const api = apiOrThrow();
      const found = await messageOf(incidentId, reason);
      if (found === undefined) throw new AppError('incident-not-found');
      const posted = await api.postMessage(slackUserId, found.message);
      await repository.insertMessage(db, { incidentId, channelId: posted.channel, ts: posted.ts, createdAt: now() });
      return posted;
    },

    /**
     * Rewrites every message posted about these incidents with their state now (chat.update),
     * whatever changed them: console, API, SMS reply, email link, Slack itself. On the hot path of
     * every status change: one query finds the batch's stored messages, and only incidents that
     * have one are read (in one more query). Failures are logged; the next change writes the full
     * state again.
     */
    async incidentsChanged(incidentIds: string[]): Promise<void> {
      if (deps.api === undefined || incidentIds.length === 0) return;
      const messages = await repository.messagesOf(db, incidentIds);
      if (messages.length === 0) return;
      const views = new Map(
        (await repository.incidentViews(db, [...new Set(messages.map((m) => m.incidentId))])).map((view) => [
          view.id,
          messageFrom(view),
        ]),
      );
      await Promise.all(
        messages.map(async ({ incidentId, channelId, ts }) => {
          const message = views.get(incidentId);
          if (message === undefined) return;
          await updateInPlace(channelId, ts, message).catch((error: unknown) =>
            log(error, 'Slack message update failed'),
          );
        }),
      );
    },

    /**
     * A signed request seen for the first time (by its signature's digest); false for a replay.
     * Digests older than the signature window are dropped: Slack's timestamp check refuses those.
     */
    async firstSighting(signature: string): Promise<boolean> {
      const at = now();
      await repository.pruneRequests(db, new Date(at.getTime() - 2 * SLACK_SIGNATURE_MAX_AGE_SECONDS * 1000));
      return repository.claimRequest(db, createHash('sha256').update(signature).digest('hex'), at);
    },

    /**
     * A button press. The Slack user must be linked to a Klaxon person who may work on the
     * incident's team (as in the API); anyone else gets an ephemeral explanation and nothing changes.
     */
    async interaction(action: SlackBlockAction): Promise<void> {
      if (!(SLACK_ACTIONS as readonly string[]).includes(action.actionId) || !UUID.test(action.value)) return;
      const link = await repository.findLinkOfSlackUser(db, action.slackUserId);
      if (link === undefined) {
        await ephemeral(
          action.channelId,
          action.slackUserId,
          `Your Slack account is not linked to Klaxon yet. Open your Klaxon profile (${profileUrl}) and choose "Link Slack".`,
        );
        return;
      }
      const [incident] = await repository.incidentViews(db, [action.value]);
      const standing = incident === undefined ? undefined : await authz.standingOfUser(link.userId, incident.teamId);
      if (incident === undefined || standing === undefined) {
        await ephemeral(action.channelId, action.slackUserId, 'Only members of the incident’s team can act on it.');
        return;
      }
      const id = action.actionId as SlackActionId;
      let answer: string;
      if (id === 'klaxon_escalate') {
        answer = await escalate(link.userId, incident.id);
      } else {
        const verb = id === 'klaxon_acknowledge' ? 'acknowledge' : 'resolve';
        const { changed } = await deps.actAsPagedPerson(link.userId, incident.id, verb, 'from Slack');
        if (changed) return; // The message itself now shows the new state.
        answer = `#${incident.number} is already ${incident.status}.`;
      }
      await ephemeral(action.channelId, action.slackUserId, answer);
    },

    /** `/klaxon oncall [team]`: who is on call now, for the named team or the caller's teams. */
    async slashCommand(slackUserId: string, text: string): Promise<string> {
      const [subcommand, ...rest] = text.trim().split(/\s+/);
      if (subcommand?.toLowerCase() !== 'oncall') return 'Usage: /klaxon oncall [team]';
      const link = await repository.findLinkOfSlackUser(db, slackUserId);
      if (link === undefined) {
        return `Your Slack account is not linked to Klaxon yet. Open your Klaxon profile (${profileUrl}) and choose "Link Slack".`;
      }
      const teamName = rest.join(' ');
      const scope = await authz.scopeOfUser(link.userId);
      const candidates =
        teamName === '' ? await repository.teamsOfUser(db, link.userId) : await repository.teamsByName(db, teamName);
      const teams = candidates.filter((team) => scope === 'all' || scope.includes(team.id));
      if (teams.length === 0) {
        return teamName === ''
          ? 'You are not on any team.'
          : `No team named "${escapeSlackText(teamName)}" that you can see.`;
      }
      const at = now();
      const lines: string[] = [];
      for (const team of teams) {
        lines.push(`*${escapeSlackText(team.name)}*`);
        const schedules = await repository.schedulesOf(db, team.id);
        if (schedules.length === 0) lines.push('• no schedules');
        for (const schedule of schedules) {
          const ids = await deps.resolver.whoIsOnCall(schedule.id, at);
          const people = await repository.peopleByIds(db, ids);
          const names = people.map((person) => escapeSlackText(person.name ?? person.email));
          lines.push(`• ${escapeSlackText(schedule.name)}: ${names.length === 0 ? 'nobody' : names.join(', ')}`);
        }
      }
      return lines.join('\n');
    },
  };
}

export type SlackService = ReturnType<typeof createSlackService>;
