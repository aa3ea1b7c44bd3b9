import { describe, expect, it } from 'vitest';
import { escapeMattermostText, escapeSlackText, escapeTeamsText } from './chat-markup.js';

/** What must never survive escaping, per chat: each would be a link, a mention or formatting. */
const HOSTILE: Array<[string, string]> = [
  ['Slack broadcast', '<!channel> disk full'],
  ['Slack here', '<!here|here> now'],
  ['Slack user mention', 'ping <@U012AB3CD>'],
  ['Slack link', '<https://evil.example|click me>'],
  ['bare URL', 'see https://evil.example/login'],
  ['bare domain', 'visit www.evil.example'],
  ['at-here', '@here the database is down'],
  ['at-all', '@all @channel wake up'],
  ['bold', '*urgent* **really**'],
  ['italic and strike', '_quiet_ ~gone~'],
  ['code', '`rm -rf /`'],
  ['Markdown link', '[login](https://evil.example)'],
  ['Markdown image', '![x](https://evil.example/a.png)'],
  ['heading on a new line', 'ok\n# HEADING'],
  ['Teams mention', '<at>Everyone</at>'],
  ['emoji code', ':rotating_light: fire'],
];

/** Patterns that would mean the chat still sees markup (a backslash-escaped marker is text in Markdown). */
const FORBIDDEN = [
  /(?<!\\)<[!@#]/, // Slack control sequences
  /(?<!\\)<https?:/,
  /https?:\/\//, // automatic links
  /www\.[a-z]/,
  /@(here|all|channel|everyone|U012)/i,
  /(?<!\\)\*[A-Za-z]/, // a marker touching a word
  /(?<!\\)_[A-Za-z]/,
  /(?<!\\)~[A-Za-z]/,
  /(?<!\\)`[A-Za-z]/,
  /(?<!\\)\]\(/, // [text](url)
  /<at>/,
  /:[a-z_]+:/, // :emoji:
  /\n/,
];

describe.each([
  ['Slack', escapeSlackText],
  ['Mattermost', escapeMattermostText],
  ['Microsoft Teams', escapeTeamsText],
])('%s escaping', (_, escapeText) => {
  it.each(HOSTILE)('neutralizes %s', (_, input) => {
    const output = escapeText(input);
    for (const pattern of FORBIDDEN) expect(output).not.toMatch(pattern);
  });

  it('keeps plain text readable (only invisible characters added)', () => {
    const text = 'API latency high on api-1 (p99 2.5 s)';
    const visible = escapeText(text)
      .replace(/\u200B/g, '')
      .replace(/\\(.)/g, '$1');
    expect(visible).toBe(text);
  });
});

describe('Slack escaping', () => {
  it('writes &, < and > as the entities Slack documents', () => {
    expect(escapeSlackText('a & b < c > d')).toBe('a &amp; b &lt; c &gt; d');
  });
});
