import { describe, expect, it } from 'vitest';
import { SLACK_TITLE_MAX_CHARS, type SlackIncidentView, slackIncidentMessage } from './slack-blocks.js';

const ZWSP = '\u200B';
const view = (changes: Partial<SlackIncidentView> = {}): SlackIncidentView => ({
  id: '0193e0a0-0000-7000-8000-000000000001',
  number: 42,
  title: 'API down',
  severity: 'critical',
  status: 'triggered',
  teamName: 'sre',
  consoleUrl: 'https://klaxon.example.com/incidents/0193e0a0-0000-7000-8000-000000000001',
  ...changes,
});

interface Block {
  type: string;
  text?: { text: string };
  elements?: Array<{ text?: string | { text: string }; action_id?: string; value?: string }>;
}
const blocksOf = (message: ReturnType<typeof slackIncidentMessage>) => message.blocks as Block[];
const headlineOf = (message: ReturnType<typeof slackIncidentMessage>) => blocksOf(message)[0]?.text?.text ?? '';
const contextOf = (message: ReturnType<typeof slackIncidentMessage>) =>
  String(blocksOf(message).find((block) => block.type === 'context')?.elements?.[0]?.text ?? '');
const buttonsOf = (message: ReturnType<typeof slackIncidentMessage>) =>
  blocksOf(message)
    .filter((block) => block.type === 'actions')
    .flatMap((block) => block.elements ?? [])
    .map((element) => element.action_id);

describe('the Slack incident message (Block Kit)', () => {
  it('shows severity, number, title, team, status and the console link', () => {
    const message = slackIncidentMessage(view());
    expect(message.text).toBe('[CRITICAL] #42 API down (triggered)');
    expect(headlineOf(message)).toBe(':rotating_light: *[CRITICAL] #42 API down*');
    expect(contextOf(message)).toBe(
      'Team: sre · Status: *triggered* · <https://klaxon.example.com/incidents/0193e0a0-0000-7000-8000-000000000001|Open in Klaxon>',
    );
  });

  it.each([
    ['a channel mention', 'Disk <!channel> full', '<!channel>'],
    ['a user mention', 'Ping <@U0ALICE001>', '<@U0ALICE001>'],
    ['a link with text', 'See <https://evil.example|the runbook>', '<https://evil.example|'],
    ['an entity-looking text', 'a &amp; b', '&amp; b'],
  ])('a title with %s cannot make one: &, < and > become entities', (_what, title, forbidden) => {
    const message = slackIncidentMessage(view({ title }));
    for (const text of [message.text, headlineOf(message)]) {
      expect(text).not.toContain(forbidden);
      expect(text).not.toMatch(/<[!@#]|<https?:/);
    }
    // Shown as typed: `<` as an entity, and `&amp;` as itself (its `&` escaped).
    expect(headlineOf(message)).toMatch(/&lt;|&amp;amp;/);
  });

  it('writes &, < and > as entities, and nothing else of the title is markup', () => {
    expect(headlineOf(slackIncidentMessage(view({ title: 'a & b <c>' })))).toContain('a &amp; b &lt;c&gt;');
  });

  it('@here and @channel are not keywords any more, and *bold* or _italic_ do not format', () => {
    const headline = headlineOf(slackIncidentMessage(view({ title: '@here *bold* _it_ ~s~ `code` :fire:' })));
    expect(headline).not.toMatch(/@here|@channel/);
    expect(headline).toContain(`@${ZWSP}here`);
    // Each marker stands apart from the word it would format.
    expect(headline).not.toMatch(/\*bold\*|_it_|~s~|`code`|:fire:/);
    expect(headline.replaceAll(ZWSP, '')).toContain('@here *bold* _it_ ~s~ `code` :fire:');
  });

  it('a team name and a reason are escaped too', () => {
    const message = slackIncidentMessage(view({ teamName: '<!here> ops', reason: 'escalation <@U1>' }));
    expect(contextOf(message)).not.toMatch(/<!here>|<@U1>/);
    expect(contextOf(message)).toContain('Team: &lt;!here&gt; ops');
    expect(contextOf(message)).toContain(`Why you: escalation &lt;@${ZWSP}U1&gt;`);
  });

  it('a long title is cut within Block Kit’s 3 000 characters, even when every character is escaped', () => {
    for (const title of ['x'.repeat(10_000), '&'.repeat(10_000), '<!channel>'.repeat(1_000)]) {
      const message = slackIncidentMessage(view({ title }));
      const headline = headlineOf(message);
      expect(headline.length).toBeLessThanOrEqual(3_000);
      expect(contextOf(message).length).toBeLessThanOrEqual(3_000);
      expect(headline).toContain('…');
      expect(headline).not.toMatch(/&(?!amp;|lt;|gt;)/); // no entity split by the cut
    }
    const exact = slackIncidentMessage(view({ title: 'y'.repeat(SLACK_TITLE_MAX_CHARS) }));
    expect(headlineOf(exact)).not.toContain('…');
  });

  it.each([
    ['triggered', ['klaxon_acknowledge', 'klaxon_resolve', 'klaxon_escalate'], ':rotating_light:'],
    ['acknowledged', ['klaxon_resolve'], ':eyes:'],
    ['resolved', [], ':white_check_mark:'],
  ])('a %s incident shows the buttons that still apply: %j', (status, buttons, emoji) => {
    const message = slackIncidentMessage(view({ status }));
    expect(buttonsOf(message)).toEqual(buttons);
    expect(headlineOf(message).startsWith(emoji)).toBe(true);
    expect(message.text).toContain(`(${status})`);
    // No empty actions block: Slack refuses one.
    expect(blocksOf(message).some((block) => block.type === 'actions')).toBe(buttons.length > 0);
    for (const element of blocksOf(message).flatMap((block) => (block.type === 'actions' ? block.elements : []))) {
      expect(element?.value).toBe(view().id);
    }
  });
});
