/**
 * Text from alerts (titles, team names) is written by whoever sends alerts, so in chat it must
 * stay text: no links, no mentions (`<!channel>`, `@here`, `@all`), no formatting. Each chat
 * has its own markup, hence one escaper per chat. All of them put alert text on one line.
 *
 * A zero-width space (U+200B) between characters keeps the text readable while breaking the
 * tokens the chats look for: `@here` is no longer a keyword, `https://` and `example.com` are no
 * longer links, and a formatting marker no longer touches the word it would format.
 */
const ZWSP = '\u200B';
const oneLine = (text: string) => text.replace(/[\r\n\t\u2028\u2029]+/g, ' ');

/** Puts a zero-width space on both sides of each of `chars`. */
const isolate = (text: string, chars: RegExp) => text.replace(chars, (c) => `${ZWSP}${c}${ZWSP}`);
/** Puts a zero-width space after each of `chars`. */
const breakAfter = (text: string, chars: RegExp) => text.replace(chars, (c) => `${c}${ZWSP}`);

/**
 * Slack mrkdwn: `&`, `<` and `>` are the only characters Slack asks to escape (as entities), which
 * stops `<!channel>`, `<@U123>` and `<https://…|links>`. Slack has no backslash escape, so the
 * formatting markers (and Markdown-looking brackets) are isolated, and `@`, `:` and `.` broken to stop `@here` (with
 * `link_names`), `:emoji:` and automatic links.
 * https://api.slack.com/reference/surfaces/formatting#escaping
 */
export function escapeSlackText(text: string): string {
  const entities = oneLine(text).replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] ?? c);
  return breakAfter(isolate(entities, /[*_~`[\]()]/g), /[@:.]/g);
}

/**
 * Mattermost Markdown (CommonMark with GitHub extensions): ASCII punctuation that means something
 * is backslash-escaped; `@` (mentions: `@here`, `@all`, `@channel`, `@user`), `:` (emoji, URL
 * schemes) and `.` (bare `www.` links) are broken, since escapes do not stop mention parsing or
 * automatic links.
 */
export function escapeMattermostText(text: string): string {
  const escaped = oneLine(text).replace(/[\\`*_{}[\]()#+\-!|~<>&]/g, (c) => `\\${c}`);
  return breakAfter(escaped, /[@:.]/g);
}

/**
 * Microsoft Teams Adaptive Card TextBlocks render a small Markdown subset (`**bold**`, `_italic_`,
 * `[links](url)`, lists) and no backslash escapes, so the markers are isolated; `<` (`<at>`
 * mentions and HTML) is isolated too, and `@`, `:` and `.` broken against automatic links.
 */
export function escapeTeamsText(text: string): string {
  return breakAfter(isolate(oneLine(text), /[*_~`[\]()#<>-]/g), /[@:.]/g);
}
