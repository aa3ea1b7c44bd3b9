export const TURN_UNITS = ['hours', 'days', 'weeks'] as const;
export type TurnUnitColumn = (typeof TURN_UNITS)[number];

/** A layer restriction window, as stored: see oncall-computation.ts for its meaning. */
export interface RestrictionColumn {
  days?: number[] | undefined;
  start: string;
  end: string;
}
