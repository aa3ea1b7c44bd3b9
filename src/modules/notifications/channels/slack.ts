import type { NotificationChannel } from '../channels.js';

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
        const code = (error as { code?: unknown }).code;
        const text = typeof code === 'string' ? `Slack: ${code}` : 'Slack could not be reached';
        return {
          outcome: typeof code === 'string' && PERMANENT.has(code) ? 'permanent_failure' : 'transient_failure',
          detail: text,
        };
      }
    },
  };
}
