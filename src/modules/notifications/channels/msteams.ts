import type { OutboundGuard } from '../../../lib/outbound-guard.js';
import type { NotificationChannel, NotificationMessage } from '../channels.js';
import { escapeTeamsText } from '../chat-markup.js';
import { postGuarded } from '../outbound-post.js';

/**
 * Microsoft Teams through a Workflows webhook ("Post to a channel when a webhook request is
 * received"): a message with one Adaptive Card attachment. Teams cannot call Klaxon back, so the
 * buttons are `Action.OpenUrl` to the one-click links, whose page asks to confirm (a POST).
 * https://learn.microsoft.com/en-us/microsoftteams/platform/task-modules-and-cards/cards/cards-reference#adaptive-card
 */
export function teamsCard(message: NotificationMessage): Record<string, unknown> {
  const open = (title: string, url: string | null) => (url === null ? [] : [{ type: 'Action.OpenUrl', title, url }]);
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            {
              type: 'TextBlock',
              size: 'Large',
              weight: 'Bolder',
              wrap: true,
              color: message.severity === 'critical' || message.severity === 'error' ? 'Attention' : 'Warning',
              text: `[${message.severity.toUpperCase()}] ${escapeTeamsText(message.title)}`,
            },
            {
              type: 'FactSet',
              facts: [
                { title: 'Team', value: escapeTeamsText(message.teamName) },
                { title: 'Status', value: message.status },
                { title: 'Alerts', value: String(message.alertCount) },
              ],
            },
            { type: 'TextBlock', wrap: true, isSubtle: true, text: escapeTeamsText(message.reason) },
          ],
          actions: [
            ...open('Acknowledge', message.acknowledgeUrl),
            ...open('Resolve', message.resolveUrl),
            ...open('Open in Klaxon', message.consoleUrl),
          ],
        },
      },
    ],
  };
}

export function createTeamsChannel(deps: { outboundGuard: OutboundGuard }): NotificationChannel {
  return {
    type: 'msteams',
    send: (destination, message) =>
      postGuarded(deps.outboundGuard, destination.address, JSON.stringify(teamsCard(message)), {}),
  };
}
