import type { Span } from './oncall-computation.js';

export interface ShiftBounds {
  /** When the whole shift starts; null when it reaches back past the window it was looked up in. */
  shiftStart: Date | null;
  /** When the whole shift ends; null when it reaches on past the window it was looked up in. */
  shiftEnd: Date | null;
}

const sameSource = (a: Span, b: Span) =>
  a.userId === b.userId && a.layerId === b.layerId && a.overrideId === b.overrideId;

/**
 * A timeline over a view is cut at the view's edges, so its first and last spans show the edges
 * rather than the handovers. `wider` is the same timeline over `window`, a window around the view:
 * each span takes the bounds of the span of `wider` that contains it (spans of one person and
 * source are joined, so that is the whole shift), or null where that one is cut by `window` too.
 */
export function withShiftBounds(
  spans: Span[],
  wider: Span[],
  window: { from: Date; to: Date },
): Array<Span & ShiftBounds> {
  return spans.map((span) => {
    const whole =
      wider.find(
        (candidate) => sameSource(candidate, span) && candidate.start <= span.start && span.end <= candidate.end,
      ) ?? span;
    return {
      ...span,
      shiftStart: whole.start > window.from ? whole.start : null,
      shiftEnd: whole.end < window.to ? whole.end : null,
    };
  });
}

/** Whether every span's shift was found whole. */
export const allBounded = (spans: Array<Span & ShiftBounds>) =>
  spans.every((span) => span.shiftStart !== null && span.shiftEnd !== null);
