import { describe, expect, it } from 'vitest';
import type { NotificationMessage } from '../channels.js';
import { MATTERMOST_ACTIONS_PATH, mattermostPayload } from './mattermost.js';
import { teamsCard } from './msteams.js';

/** The Mattermost and Teams messages of an incident: alert text stays text, buttons follow the links. */
const message = (changes: Partial<NotificationMessage> = {}): NotificationMessage => ({
  incidentId: '0193e0a0-0000-7000-8000-000000000001',
  incidentNumber: 7,
  title: 'API down',
  severity: 'critical',
  status: 'triggered',
  teamName: 'sre',
  alertCount: 2,
  consoleUrl: 'https://klaxon.example.com/incidents/0193e0a0-0000-7000-8000-000000000001',
  acknowledgeUrl: 'https://klaxon.example.com/api/incidents/actions/ack-token',
  resolveUrl: 'https://klaxon.example.com/api/incidents/actions/resolve-token',
  reason: 'Escalation level 1, round 1',
  ...changes,
});
const HOSTILE = '@here <!channel> **bold** [link](https://evil.example) <at>all</at>';

describe('the Mattermost message', () => {
  const attachmentOf = (payload: Record<string, unknown>) =>
    (payload.attachments as Array<Record<string, unknown>>)[0] as {
      title: string;
      text: string;
      actions: Array<{ id: string; integration: { url: string; context: { token: string; resolveToken?: string } } }>;
    };

  it('escapes the title and team: no mention, link or bold survives', () => {
    const payload = mattermostPayload(message({ title: HOSTILE, teamName: '@all' }), 'https://klaxon.example.com');
    const attachment = attachmentOf(payload);
    for (const text of [String(payload.text), attachment.title, attachment.text]) {
      expect(text).not.toMatch(/@here|@all|\*\*bold\*\*|\[link\]\(https/);
    }
  });

  it('Acknowledge and Resolve carry their own one-click tokens; no link, no button', () => {
    const attachment = attachmentOf(mattermostPayload(message(), 'https://klaxon.example.com'));
    expect(attachment.actions.map((a) => a.id)).toEqual(['acknowledge', 'resolve']);
    expect(attachment.actions[0]?.integration).toEqual({
      url: `https://klaxon.example.com${MATTERMOST_ACTIONS_PATH}`,
      context: { token: 'ack-token', resolveToken: 'resolve-token' },
    });
    expect(attachment.actions[1]?.integration.context).toEqual({ token: 'resolve-token' });
    const acknowledged = attachmentOf(
      mattermostPayload(message({ status: 'acknowledged', acknowledgeUrl: null }), 'https://klaxon.example.com'),
    );
    expect(acknowledged.actions.map((a) => a.id)).toEqual(['resolve']);
    const none = mattermostPayload(message({ acknowledgeUrl: null, resolveUrl: null }), 'https://k.example');
    expect(attachmentOf(none).actions).toEqual([]);
  });
});

describe('the Teams Adaptive Card', () => {
  const contentOf = (card: Record<string, unknown>) =>
    (card.attachments as Array<{ content: { body: Array<{ text?: string }>; actions: Array<{ title: string }> } }>)[0]
      ?.content;

  it('escapes the title: no mention, link or bold survives', () => {
    const title = contentOf(teamsCard(message({ title: HOSTILE })))?.body[0]?.text ?? '';
    expect(title).toContain('[CRITICAL]');
    expect(title).not.toMatch(/@here|\*\*bold\*\*|\[link\]\(https|<at>/);
  });

  it('opens the one-click links (whose page asks to confirm) and the console; absent links, no button', () => {
    expect(contentOf(teamsCard(message()))?.actions.map((a) => a.title)).toEqual([
      'Acknowledge',
      'Resolve',
      'Open in Klaxon',
    ]);
    const resolved = teamsCard(message({ status: 'resolved', acknowledgeUrl: null, resolveUrl: null }));
    expect(contentOf(resolved)?.actions.map((a) => a.title)).toEqual(['Open in Klaxon']);
  });
});
