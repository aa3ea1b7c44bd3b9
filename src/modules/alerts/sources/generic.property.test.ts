import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { genericNormalizer, genericPayloadSchema, readGenericPayload } from './generic.js';

/**
 * The hand-written generic check (readGenericPayload) must agree with genericPayloadSchema: on
 * anything it accepts the output is the schema's, and on payloads as they arrive (parsed JSON) it
 * accepts exactly what the schema accepts — so the 400s and their `errors` (always worded by Zod)
 * cannot change.
 */

const text = (max: number) =>
  fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.string({ unit: 'grapheme', maxLength: 8 }),
    fc.constantFrom(
      '',
      ' ',
      '\t x \n',
      '\u00a0y\u2028',
      '\ufeff',
      'a'.repeat(max),
      'b'.repeat(max + 1),
      ` ${'c'.repeat(max)} `,
    ),
  );
const notString = fc.oneof(fc.integer(), fc.boolean(), fc.constant(null), fc.constant([]), fc.constant({}));
const maybe = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined, freq: 3 });
const href = fc.oneof(
  fc.webUrl(),
  fc.constantFrom(
    'https://runbooks.example.com/x',
    ' http://a.b/c ',
    'http://a\tb.example/',
    'ftp://x.example/',
    'javascript:alert(1)',
    'https://',
    'http://[::1]:8080/p?q#f',
    'https://exa mple.com',
    'not a url',
    '',
  ),
);
const link = fc.oneof(
  fc.record({ href, text: maybe(fc.oneof(text(200), notString)) }, { requiredKeys: [] }),
  fc.record({ href, extra: fc.string() }),
  notString,
);
const timestamp = fc.oneof(
  fc.date({ noInvalidDate: true, min: new Date(0), max: new Date(4_000_000_000_000) }).map((d) => d.toISOString()),
  fc.constantFrom(
    '2026-03-01T02:00:05+02:00',
    '2026-03-01T02:00:05.123456Z',
    '2026-03-01T02:00:05',
    '2026-03-01',
    '2026-13-01T00:00:00Z',
    'yesterday',
    '',
  ),
);
const labelKey = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('', 'k'.repeat(100), 'k'.repeat(101), '1', '__proto__', 'constructor'),
);
const labels = fc.oneof(fc.dictionary(labelKey, fc.oneof(text(1000), notString), { maxKeys: 5 }), notString);

/** Mostly the valid form of a field, sometimes anything else, so both paths are exercised. */
const field = <T, U>(valid: fc.Arbitrary<T>, other: fc.Arbitrary<U>) =>
  fc.oneof({ arbitrary: valid, weight: 6 }, { arbitrary: other, weight: 1 });
const word = fc.string({ minLength: 1, maxLength: 10 }).filter((value) => value.trim() !== '');

const payload = fc.oneof(
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 1 },
  {
    weight: 6,
    arbitrary: fc
      .tuple(
        fc.record(
          {
            title: field(word, fc.oneof(text(500), notString)),
            description: field(fc.string({ maxLength: 30 }), fc.oneof(text(20_000), notString)),
            severity: field(
              fc.constantFrom('critical', 'error', 'warning', 'info'),
              fc.oneof(fc.constantFrom('page', 'Critical'), notString),
            ),
            status: field(fc.constantFrom('firing', 'resolved'), fc.oneof(fc.constant('acknowledged'), notString)),
            dedupKey: field(word, fc.oneof(text(255), notString)),
            source: field(word, fc.oneof(text(255), notString)),
            labels: field(fc.dictionary(word, fc.string({ maxLength: 10 }), { maxKeys: 4 }), labels),
            links: field(
              fc.array(fc.record({ href: fc.webUrl(), text: maybe(fc.string({ maxLength: 10 })) }), { maxLength: 3 }),
              fc.oneof(
                fc.array(link, { maxLength: 3 }),
                fc.array(fc.constant({ href: 'https://x.example' }), { minLength: 20, maxLength: 21 }),
                notString,
              ),
            ),
            occurredAt: field(
              fc
                .date({ noInvalidDate: true, min: new Date(0), max: new Date(4_000_000_000_000) })
                .map((d) => d.toISOString()),
              fc.oneof(timestamp, notString),
            ),
          },
          { requiredKeys: ['title'] },
        ),
        fc.oneof({ arbitrary: fc.constant(null), weight: 8 }, { arbitrary: fc.string({ maxLength: 6 }), weight: 1 }),
      )
      .map(([body, unknown]) => (unknown === null ? body : { ...body, [unknown]: 1 })),
  },
);

/** What the webhook path hands the normalizer: the body as JSON.parse returns it. */
const asParsedJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value) ?? 'null');
/** JSON.parse makes `__proto__` an own key, which Zod's record skips; the hand check defers it to Zod. */
const hasProtoLabel = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  Object.hasOwn((value as { labels?: object }).labels ?? {}, '__proto__');

function normalizeWithZod(value: unknown): unknown {
  try {
    genericPayloadSchema.parse(value);
  } catch (error) {
    return { zodIssues: (error as ZodError).issues };
  }
  return genericNormalizer.normalize(value);
}

describe('readGenericPayload agrees with genericPayloadSchema', () => {
  it('accepts exactly what the schema accepts, with the same output', () => {
    let accepted = 0;
    fc.assert(
      fc.property(payload, (generated) => {
        const input = asParsedJson(generated);
        const fast = readGenericPayload(input);
        const zod = genericPayloadSchema.safeParse(input);
        if (!hasProtoLabel(input)) expect(fast !== undefined).toBe(zod.success);
        if (fast !== undefined) {
          accepted++;
          expect(zod.success).toBe(true);
          expect(fast).toStrictEqual(zod.data);
        }
      }),
      { numRuns: 3_000 },
    );
    // The generator must reach the accepting path often enough for the test to mean something.
    expect(accepted).toBeGreaterThan(300);
  });

  it('never accepts what the schema rejects, on any value (not only parsed JSON)', () => {
    fc.assert(
      fc.property(fc.oneof(payload, fc.anything()), (input) => {
        const fast = readGenericPayload(input);
        if (fast === undefined) return;
        const zod = genericPayloadSchema.safeParse(input);
        expect(zod.success).toBe(true);
        expect(fast).toEqual(zod.data);
      }),
      { numRuns: 2_000 },
    );
  });

  it('the normalizer gives the same alerts, or the same ZodError, as the schema alone', () => {
    fc.assert(
      fc.property(payload, (generated) => {
        const input = asParsedJson(generated);
        let outcome: unknown;
        try {
          outcome = genericNormalizer.normalize(input);
        } catch (error) {
          expect(error).toBeInstanceOf(ZodError);
          outcome = { zodIssues: (error as ZodError).issues };
        }
        expect(outcome).toEqual(normalizeWithZod(input));
      }),
      { numRuns: 2_000 },
    );
  });
});
