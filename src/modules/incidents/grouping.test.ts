import { describe, expect, it } from 'vitest';
import { groupKeyOf } from './grouping.js';

describe('groupKeyOf', () => {
  it.each([
    [['alertname'], { alertname: 'Down', instance: 'a' }, ['alertname'], { alertname: 'Down', instance: 'b' }, true],
    [['alertname'], { alertname: 'Down' }, ['alertname'], { alertname: 'Up' }, false],
    [['a', 'b'], { a: '1', b: '2' }, ['b', 'a'], { b: '2', a: '1' }, true],
    [['a'], {}, ['a'], { a: '' }, true],
    [['a', 'b'], { a: 'x,b=y' }, ['a', 'b'], { a: 'x', b: 'y' }, false],
    [[], { a: '1' }, [], { a: '2' }, true],
  ])('%j %j vs %j %j → same: %s', (leftBy, left, rightBy, right, same) => {
    expect(groupKeyOf(leftBy, left) === groupKeyOf(rightBy, right)).toBe(same);
  });
});
