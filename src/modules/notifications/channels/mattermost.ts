import type { OutboundGuard } from '../../../lib/outbound-guard.js';
import type { NotificationChannel, NotificationMessage } from '../channels.js';
import { escapeMattermostText } from '../chat-markup.js';
import { postGuarded } from '../outbound-post.js';

/** Where Mattermost sends button presses (a public provider callback route). */
export const MATTERMOST_ACTIONS_PATH = '/api/providers/mattermost/actions';

/** The signed one-click token at the end of an action URL (`…/api/incidents/actions/<token>`). */
const tokenOf = (url: string) => url.slice(url.lastIndexOf('/') + 1);

const COLORS: Record<string, string> = { critical: '#d0021b', error: '#e8590c', warning: '#f5a623', info: '#4a90e2' };

/** The attachment of an incident message, without buttons once nothing is left to do. */
export function mattermostAttachment(
  incident: { title: string; severity: string; status: string },
  details: { teamName?: string; alertCount?: number; reason?: string; consoleUrl: string },
  actions: unknown[],
): Record<string, unknown> {
  const facts = [
    ...(details.teamName === undefined ? [] : [`Team: ${escapeMattermostText(details.teamName)}`]),
    `Status: **${incident.status}**`,
    ...(details.alertCount === undefined ? [] : [`Alerts: ${details.alertCount}`]),
  ];
  return {
    fallback: `[${incident.severity.toUpperCase()}] ${escapeMattermostText(incident.title)} (${incident.status})`,
    color: incident.status === 'resolved' ? '#2e7d32' : (COLORS[incident.severity] ?? '#4a90e2'),
    title: `[${incident.severity.toUpperCase()}] ${escapeMattermostText(incident.title)}`,
    title_link: details.consoleUrl,
    text: [facts.join(' · '), ...(details.reason === undefined ? [] : [escapeMattermostText(details.reason)])].join(
      '\n',
    ),
    actions,
  };
}

/** What a button press sends back: its own token, and (Acknowledge) the Resolve token for the updated post. */
export interface MattermostContext {
  token: string;
  resolveToken?: string | undefined;
}

export function mattermostButton(action: 'acknowledge' | 'resolve', publicUrl: string, context: MattermostContext) {
  return {
    id: action,
    name: action === 'acknowledge' ? 'Acknowledge' : 'Resolve',
    style: action === 'acknowledge' ? 'primary' : 'good',
    integration: { url: `${publicUrl}${MATTERMOST_ACTIONS_PATH}`, context },
  };
}

/**
 * Mattermost incoming webhook with interactive message buttons
 * (https://developers.mattermost.com/integrate/plugins/interactive-messages/). Mattermost does not
 * sign the requests it sends when a button is pressed, so each button's `context` carries the
 * signed, single-use, expiring one-click token of that action for this person; the callback
 * verifies it in constant time and acts as the person the message was sent to.
 */
export function mattermostPayload(message: NotificationMessage, publicUrl: string): Record<string, unknown> {
  const resolveToken = message.resolveUrl === null ? undefined : tokenOf(message.resolveUrl);
  const acknowledge =
    message.acknowledgeUrl === null
      ? []
      : [mattermostButton('acknowledge', publicUrl, { token: tokenOf(message.acknowledgeUrl), resolveToken })];
  const resolve = resolveToken === undefined ? [] : [mattermostButton('resolve', publicUrl, { token: resolveToken })];
  return {
    username: 'Klaxon',
    text: `Incident: ${escapeMattermostText(message.title)}`,
    attachments: [mattermostAttachment(message, message, [...acknowledge, ...resolve])],
  };
}

export function createMattermostChannel(deps: {
  outboundGuard: OutboundGuard;
  publicUrl: string;
}): NotificationChannel {
  return {
    type: 'mattermost',
    send: (destination, message) =>
      postGuarded(
        deps.outboundGuard,
        destination.address,
        JSON.stringify(mattermostPayload(message, deps.publicUrl)),
        {},
      ),
  };
}
