import { describe, expect, it } from 'vitest';
import { cpuTimeMs } from '../../../test/helpers/cpu-time.js';
import { compileSafeRegex, MAX_MATCH_INPUT, MAX_REGEX_LENGTH, UnsafeRegexError } from './safe-regex.js';

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
    const started = cpuTimeMs();
    expect(re.test(input)).toBe(false);
    expect(cpuTimeMs() - started).toBeLessThan(2000);
  });
});

describe('compileSafeRegex: bounded cost per evaluation', () => {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  it.each([
    ['counted optional repetition', '(?:a?){1000}a{1000}'],
    ['smaller counted optional repetition', '(?:a?){500}a{500}'],
    ['huge counted repetition', 'a{1000}b{1000}'],
    ['huge alternation of counted repetitions', `(?:${[...letters].map((l) => `${l}{60}`).join('|')})`],
    ['nested quantifier inside a counted one', '(?:(?:a|b)*c){1000}'],
  ])('refuses %s (%s) when it is written', (_, pattern) => {
    expect(() => compileSafeRegex(pattern)).toThrow(UnsafeRegexError);
  });

  it('names the limit when a pattern is too large once expanded', () => {
    expect(() => compileSafeRegex('(?:a?){1000}a{1000}')).toThrow(/too large once expanded/);
  });

  // The largest accepted patterns of each hostile shape, against inputs made to keep every thread alive.
  const accepted = [
    '(?:a?){300}a{300}',
    '(?:a?){499}',
    'a{999}',
    '[a-z]{1,490}x',
    '\\w*\\w*\\w*\\w*\\w*\\w*x',
    '.*a.*a.*a.*a.*a.*a.*a.*a.*b',
    '(?:\\ba?){300}\\b',
    `(?:${[...letters].map((l) => `${l}{30}`).join('|')})`,
  ];
  const inputs = ['a'.repeat(10_000), 'b'.repeat(10_000), 'ab'.repeat(5_000), 'a '.repeat(5_000)];

  it('no accepted pattern costs more than a few milliseconds of CPU per evaluation', () => {
    for (const pattern of accepted) {
      const regex = compileSafeRegex(pattern);
      expect(regex.inputLimit).toBeLessThanOrEqual(MAX_MATCH_INPUT);
      for (const input of inputs) regex.test(input); // warm up the JIT
      const before = process.cpuUsage();
      const rounds = 5;
      for (let round = 0; round < rounds; round++) for (const input of inputs) regex.test(input);
      const used = process.cpuUsage(before);
      const perEvaluationMs = (used.user + used.system) / 1000 / (rounds * inputs.length);
      // ~2 ms measured for the worst of these on a loaded 2-core machine.
      expect(perEvaluationMs, pattern).toBeLessThan(10);
    }
  });

  it('searches only the leading code points a large pattern can afford, the whole value for small ones', () => {
    expect(compileSafeRegex('^db-\\d+$').inputLimit).toBe(MAX_MATCH_INPUT);
    const large = compileSafeRegex('(?:a?){499}x');
    expect(large.inputLimit).toBeLessThan(MAX_MATCH_INPUT);
    expect(large.test(`${'a'.repeat(large.inputLimit - 1)}x`)).toBe(true);
    expect(large.test(`${'a'.repeat(large.inputLimit)}x`)).toBe(false);
  });
});
