import { describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { INTEGRATION_TYPES } from '../../../core/integrations.js';
import { getSourceNormalizer, sourceNormalizers } from './index.js';
import { canonicalJson, stableHash } from './stable-hash.js';

function deeplyNested(depth: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 0; i < depth; i += 1) value = { nested: value, list: [value] };
  return value;
}

const hugeNested = deeplyNested(2_000);

const garbage: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'hello'],
  ['a number', 42],
  ['a boolean', true],
  ['an array', [1, 2, 3]],
  ['an empty object', {}],
  ['a huge nested object', hugeNested],
  ['alerts as a string', { alerts: 'nope', title: 7, event: 'x', state: 1 }],
  ['every field null', { title: null, alerts: null, event: null, state: null, id: null }],
  ['nested garbage', { alerts: [null], event: { data: null }, title: ['x'], state: {} }],
];

describe('registry', () => {
  it('has one normalizer per integration type, each declaring its own type', () => {
    expect(Object.keys(sourceNormalizers).sort()).toEqual([...INTEGRATION_TYPES].sort());
    for (const type of INTEGRATION_TYPES) {
      expect(getSourceNormalizer(type).type).toBe(type);
    }
  });

  describe.each(INTEGRATION_TYPES)('%s rejects garbage with a ZodError only', (type) => {
    it.each(garbage)('%s', (_name, payload) => {
      let thrown: unknown;
      try {
        getSourceNormalizer(type).normalize(payload);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ZodError);
      expect((thrown as ZodError).issues.length).toBeGreaterThan(0);
    });
  });
});

describe('stableHash', () => {
  it('is SHA-256 hex of the canonical JSON of its arguments', () => {
    // sha256 of the text ["a"]
    expect(stableHash('a')).toBe('0eb5b8d6f81bc677da8a08567cc4fa9a06a57e9ec8da85ed73a7f62727996002');
  });

  it('ignores key order at every depth', () => {
    expect(stableHash({ b: 1, a: { y: 2, x: 3 } })).toBe(stableHash({ a: { x: 3, y: 2 }, b: 1 }));
    expect(canonicalJson({ b: 1, a: { y: 2, x: [{ d: 1, c: 2 }] } })).toBe('{"a":{"x":[{"c":2,"d":1}],"y":2},"b":1}');
  });

  it('differs when a value, the argument order or an array order differs', () => {
    expect(stableHash({ a: 1 })).not.toBe(stableHash({ a: 2 }));
    expect(stableHash('x', 'y')).not.toBe(stableHash('y', 'x'));
    expect(stableHash([1, 2])).not.toBe(stableHash([2, 1]));
    expect(stableHash('t', null, {})).not.toBe(stableHash('t', 'src', {}));
  });
});
