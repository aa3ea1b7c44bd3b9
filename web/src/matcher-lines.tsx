/**
 * Alertmanager-style label matchers as people type them, one a line (`name=value`, `name!=value`,
 * `name=~regex`, `name!~regex`): the editor shared by silences, inhibition rules and maintenance
 * windows, and the converters between its text and the API's matcher objects.
 */

import type { LabelMatcher } from './noise-control-api';

export type Matcher = LabelMatcher;

const OPERATORS: Record<string, Pick<Matcher, 'isRegex' | 'isEqual'>> = {
  '=': { isRegex: false, isEqual: true },
  '!=': { isRegex: false, isEqual: false },
  '=~': { isRegex: true, isEqual: true },
  '!~': { isRegex: true, isEqual: false },
};

const operatorOf = (m: Matcher) => (m.isRegex ? (m.isEqual ? '=~' : '!~') : m.isEqual ? '=' : '!=');

/** For a table cell: `name="value"`, comma-separated. */
export const formatMatchers = (matchers: Matcher[]) =>
  matchers.map((m) => `${m.name}${operatorOf(m)}"${m.value}"`).join(', ');

/** For the editor: one a line, as `parseMatcherLines` reads them back. */
export const matcherLines = (matchers: Matcher[]) =>
  matchers.map((m) => `${m.name}${operatorOf(m)}${m.value}`).join('\n');

/** The editor's text as matchers; throws, naming the line, when one is not a matcher. */
export function parseMatcherLines(text: string): Matcher[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const found = /^([^=!~\s]+)\s*(=~|!~|!=|=)\s*"?(.*?)"?$/.exec(line);
      if (found === null) throw new Error(`Not a matcher: ${line}`);
      return {
        name: found[1] as string,
        value: found[3] as string,
        ...(OPERATORS[found[2] as string] ?? OPERATORS['=']),
      } as Matcher;
    });
}

/** A labelled textarea of matchers; `syntax` adds the operators to the label (once a form is enough). */
export function MatcherLinesField({
  label,
  value,
  onChange,
  rows,
  required = false,
  syntax = true,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  rows: number;
  required?: boolean;
  syntax?: boolean;
}) {
  return (
    <label>
      {label}{' '}
      {syntax ? (
        <>
          (one a line: <code>name=value</code>, <code>!=</code>, <code>=~</code>, <code>!~</code>)
        </>
      ) : (
        '(one a line)'
      )}
      <textarea value={value} onChange={(event) => onChange(event.target.value)} rows={rows} required={required} />
    </label>
  );
}
