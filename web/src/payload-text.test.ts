import { describe, expect, it } from 'vitest';
import { formatJsonText } from './payload-text';

describe('formatJsonText', () => {
  it("indents a one-line body and keeps the sender's key order, integer-like keys included", () => {
    const sent = '{"zeta":1,"alpha":{"10":"b","2":"a"},"list":[1, "x,y:{}"],"empty":{},"none":[]}';
    expect(formatJsonText(sent)).toBe(
      [
        '{',
        '  "zeta": 1,',
        '  "alpha": {',
        '    "10": "b",',
        '    "2": "a"',
        '  },',
        '  "list": [',
        '    1,',
        '    "x,y:{}"',
        '  ],',
        '  "empty": {},',
        '  "none": []',
        '}',
      ].join('\n'),
    );
    // The same value as sent: nothing but whitespace changed.
    expect(JSON.parse(formatJsonText(sent))).toEqual(JSON.parse(sent));
  });

  it('keeps escaped quotes and backslashes inside strings', () => {
    const sent = '{"a":"say \\"hi\\", \\\\ ok"}';
    expect(JSON.parse(formatJsonText(sent))).toEqual({ a: 'say "hi", \\ ok' });
  });

  it('returns text that is not JSON, or already on several lines, as it is', () => {
    expect(formatJsonText('{"title": ')).toBe('{"title": ');
    expect(formatJsonText('title=x')).toBe('title=x');
    const pretty = '{\n    "b": 1,\n    "a": 2\n}';
    expect(formatJsonText(pretty)).toBe(pretty);
  });
});
