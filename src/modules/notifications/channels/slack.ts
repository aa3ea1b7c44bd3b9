import type { DeliveryResult, NotificationChannel, TeamChannel } from '../channels.js';

/** What the DM channel needs of the Slack module: post the incident message and remember it. */
export interface SlackDirectMessages {
  directMessage(slackUserId: string, incidentId: string, reason: string): Promise<{ channel: string; ts: string }>;
  /** A DM that is not about an incident (a contact method test). */
  sendText(slackUserId: string, text: string): Promise<void>;
}

/** Errors of the Web API (https://api.slack.com/methods/chat.postMessage#errors) that a retry will not fix. */
const PERMANENT = new Set([
  'channel_not_found',
  'user_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'missing_scope',
  'cannot_dm_bot',
  // Klaxon's own: the app is not configured, or the incident is gone.
  'slack-not-configured',
  'incident-not-found',
]);

/** A failed Web API call as a delivery outcome: permanent when a retry cannot help, else transient (retried). */
function failureOf(error: unknown): DeliveryResult {
  const code = (error as { code?: unknown }).code;
  return {
    outcome: typeof code === 'string' && PERMANENT.has(code) ? 'permanent_failure' : 'transient_failure',
    detail: typeof code === 'string' ? `Slack: ${code}` : 'Slack could not be reached',
  };
}

/**
 * `slack` contact methods whose address is a Slack user id (created by linking the account):
 * a DM from Klaxon's bot with the incident's Block Kit message and its buttons, remembered so
 * the message is rewritten in place when the incident changes. (A `slack` method whose address
 * is an incoming webhook URL is served by channels.ts.)
 */
export function createSlackChannel(slack: SlackDirectMessages): NotificationChannel {
  return {
    type: 'slack',
    async send(destination, message) {
      try {
        if (message.incidentNumber === undefined) {
          await slack.sendText(destination.address, message.title);
          return { outcome: 'sent', detail: null };
        }
        const posted = await slack.directMessage(destination.address, message.incidentId, message.reason);
        return { outcome: 'sent', detail: `ts ${posted.ts}` };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}

/**
 * A team's Slack channel as an escalation target: the incident's Block Kit message posted to the
 * channel its managers set, remembered so it is rewritten in place. A team without a channel is a
 * permanent failure (the paging health page flags it).
 */
export function createSlackTeamChannel(slack: {
  postToTeamChannel(incidentId: string, reason: string): Promise<{ ts: string } | 'no-channel'>;
}): TeamChannel {
  return {
    async post(incidentId, reason) {
      try {
        const posted = await slack.postToTeamChannel(incidentId, reason);
        return posted === 'no-channel'
          ? { outcome: 'permanent_failure', detail: 'the team has no Slack channel' }
          : { outcome: 'sent', detail: `ts ${posted.ts}` };
      } catch (error) {
        return failureOf(error);
      }
    },
  };
}
