import { describe, expect, it } from 'vitest';
import { compileSafeRegex, MAX_REGEX_LENGTH, UnsafeRegexError } from './safe-regex.js';

describe('compileSafeRegex: agrees with RegExp on ordinary patterns', () => {
  const cases: Array<[pattern: string, input: string]> = [
    ['disk', 'Disk usage high on db-1: disk 95%'],
    ['^disk', 'Disk full'],
    ['^[Dd]isk', 'Disk full'],
    ['(?:disk|memory) (?:full|high)', 'memory high on web-2'],
    ['^(prod|staging)$', 'prod'],
    ['^(prod|staging)$', 'preprod'],
    ['^db-\\d+$', 'db-12'],
    ['^db-\\d+$', 'db-12a'],
    ['\\bcpu\\b', 'high cpu load'],
    ['\\bcpu\\b', 'cpus'],
    ['\\Bpu', 'cpu'],
    ['a{2,3}b', 'caab'],
    ['a{2,3}b', 'cab'],
    ['^a{3}$', 'aaa'],
    ['^a{2,}$', 'aaaaa'],
    ['^.$', '🚨'],
    ['^\\u{1F6A8}$', '🚨'],
    ['^\\uD83D\\uDEA8$', '🚨'],
    ['^[à-ÿ]+$', 'éèà'],
    ['\\p{Script=Cyrillic}', 'сервер упал'],
    ['^[^\\s]+$', 'no-spaces'],
    ['^[^\\s]+$', 'has spaces'],
    ['(?<env>prod)-\\w+', 'prod-eu1'],
    ['x?y*z+', 'zz'],
    ['^$', ''],
    ['', 'anything'],
    ['a.c', 'a\nc'],
    ['\\.', 'a.b'],
    ['\\.', 'ab'],
    ['[\\]]', ']'],
    ['^\\x41\\t', 'A\t'],
    ['colou?r', 'color'],
    ['end$', 'the end'],
    ['end$', 'endless'],
  ];
  it.each(cases)('%s on %j', (pattern, input) => {
    expect(compileSafeRegex(pattern).test(input)).toBe(new RegExp(pattern, 'u').test(input));
  });
});

describe('compileSafeRegex: refuses hostile or unsupported patterns', () => {
  const hostile = [
    '(a+)+$',
    '(a*)*b',
    '(a|a)*$',
    '(a|ab)*c',
    '(.*a){20}',
    '^(\\w+\\s?)*$',
    '([a-z]+)*@',
    '(x+x+)+y',
    '(a{1,5})+',
    '(.|\\s)*$',
    '(\\d|\\w)+x',
    '(a)\\1',
    '(?<n>a)\\k<n>',
    '(?=a)a',
    '(?!a)b',
    '(?<=a)b',
    '(?<!a)b',
    '(unclosed',
    '[z-a]',
    '*a',
    'a{5000}',
    'x'.repeat(MAX_REGEX_LENGTH + 1),
    '(?:[a-z]{1,100}){1,100}',
  ];
  it.each(hostile)('%s', (pattern) => {
    expect(() => compileSafeRegex(pattern)).toThrow(UnsafeRegexError);
  });

  it('allows repeated alternatives that start with distinct characters', () => {
    expect(compileSafeRegex('^(foo|bar)+$').test('foobarfoo')).toBe(true);
    expect(compileSafeRegex('^(foo|bar)+$').test('foobaz')).toBe(false);
  });

  it('runs in linear time on inputs that make backtracking engines explode', () => {
    // Accepted patterns with polynomial backtracking in RegExp stay fast here.
    const re = compileSafeRegex('.*a.*b.*c.*d');
    const input = 'ab'.repeat(2000);
    const started = performance.now();
    expect(re.test(input)).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
