import { escapeSlackText } from '../notifications/chat-markup.js';
import type { SlackBlocksMessage } from './slack-api.js';

/** The `action_id`s of the buttons on an incident message; each button's `value` is the incident id. */
export const SLACK_ACTIONS = ['klaxon_acknowledge', 'klaxon_resolve', 'klaxon_escalate'] as const;
export type SlackActionId = (typeof SLACK_ACTIONS)[number];

/** What an incident message shows: the incident as it is now. */
export interface SlackIncidentView {
  id: string;
  number?: number | undefined;
  title: string;
  severity: string;
  status: string;
  teamName: string;
  consoleUrl: string;
  /** Why this message was sent ("escalation level 1"); absent on a channel message. */
  reason?: string | undefined;
}

const EMOJI: Record<string, string> = {
  triggered: ':rotating_light:',
  acknowledged: ':eyes:',
  resolved: ':white_check_mark:',
};

/**
 * Alert text is cut before it is escaped (escaping may grow it up to five times: `&` → `&amp;`),
 * so a section stays under Block Kit's 3 000-character limit on text, and the cut never splits an
 * entity. https://api.slack.com/reference/block-kit/blocks#section
 */
export const SLACK_TITLE_MAX_CHARS = 500;
const SLACK_TEAM_MAX_CHARS = 100;
const cut = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max - 1)}…`);

const button = (text: string, actionId: SlackActionId, incidentId: string, style?: 'primary' | 'danger') => ({
  type: 'button',
  text: { type: 'plain_text', text },
  action_id: actionId,
  value: incidentId,
  ...(style === undefined ? {} : { style }),
});

/**
 * The Block Kit message of an incident (https://api.slack.com/reference/block-kit/blocks): the
 * title (escaped: alert text cannot mention, link or format), its facts, and the buttons that
 * still apply — Acknowledge while triggered, Resolve while open, Escalate while triggered.
 */
export function slackIncidentMessage(view: SlackIncidentView): SlackBlocksMessage {
  const headline = `${view.number === undefined ? '' : `#${view.number} `}${escapeSlackText(cut(view.title, SLACK_TITLE_MAX_CHARS))}`;
  const title = `[${view.severity.toUpperCase()}] ${headline}`;
  const facts = [
    `Team: ${escapeSlackText(cut(view.teamName, SLACK_TEAM_MAX_CHARS))}`,
    `Status: *${view.status}*`,
    ...(view.reason === undefined ? [] : [`Why you: ${escapeSlackText(view.reason)}`]),
  ].join(' · ');
  const buttons = [
    ...(view.status === 'triggered' ? [button('Acknowledge', 'klaxon_acknowledge', view.id, 'primary')] : []),
    ...(view.status !== 'resolved' ? [button('Resolve', 'klaxon_resolve', view.id)] : []),
    ...(view.status === 'triggered' ? [button('Escalate', 'klaxon_escalate', view.id, 'danger')] : []),
  ];
  return {
    // The notification text (and what screen readers and old clients show).
    text: `${title} (${view.status})`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `${EMOJI[view.status] ?? ''} *${title}*`.trim() } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `${facts} · <${view.consoleUrl}|Open in Klaxon>` }] },
      ...(buttons.length === 0 ? [] : [{ type: 'actions', block_id: 'klaxon_incident', elements: buttons }]),
    ],
  };
}
