import { describe, expect, it } from 'vitest';
import type { Span } from './oncall-computation.js';
import { allBounded, withShiftBounds } from './shift-bounds.js';

const at = (hour: number) => new Date(Date.UTC(2026, 0, 5, hour));
const span = (userId: string, from: number, to: number, source: Partial<Span> = {}): Span => ({
  userId,
  start: at(from),
  end: at(to),
  layerId: 'layer',
  overrideId: null,
  ...source,
});

describe('withShiftBounds', () => {
  const wider = [span('ann', 0, 9), span('bob', 9, 12, { layerId: null, overrideId: 'o1' }), span('ann', 12, 33)];
  const window = { from: at(-24), to: at(48) };

  it('gives the spans cut by the view the start and end of their whole shift', () => {
    const view = [span('ann', 6, 9), span('bob', 9, 12, { layerId: null, overrideId: 'o1' }), span('ann', 12, 18)];
    expect(withShiftBounds(view, wider, window).map((s) => [s.shiftStart, s.shiftEnd])).toEqual([
      [at(0), at(9)],
      [at(9), at(12)],
      [at(12), at(33)],
    ]);
  });

  it('does not join shifts of one person from different sources', () => {
    const [bounded] = withShiftBounds([span('bob', 10, 11, { layerId: null, overrideId: 'o1' })], wider, window);
    expect(bounded).toMatchObject({ shiftStart: at(9), shiftEnd: at(12) });
    const [other] = withShiftBounds(
      [span('bob', 10, 11)],
      [...wider, span('bob', 2, 20, { layerId: 'other' })],
      window,
    );
    expect(other).toMatchObject({ shiftStart: at(10), shiftEnd: at(11) });
  });

  it('leaves a bound null where the window cuts the shift too, so the caller looks wider', () => {
    const view = [span('ann', 12, 18)];
    const narrow = { from: at(0), to: at(24) };
    const bounded = withShiftBounds(view, [span('ann', 0, 24)], narrow);
    expect(bounded).toEqual([{ ...view[0], shiftStart: null, shiftEnd: null }]);
    expect(allBounded(bounded)).toBe(false);
    expect(allBounded(withShiftBounds(view, wider, window))).toBe(true);
  });
});
