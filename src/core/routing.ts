export const MATCHER_OPS = ['equals', 'not_equals', 'regex', 'in', 'exists'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

/**
 * One condition on a normalized alert. `field` is `severity`, `source`, `title`, `integration`
 * (the integration's name) or `labels.<name>`. `value` is a string for equals/not_equals/regex,
 * a list of strings for `in`, and an optional boolean for `exists` (false: must be absent).
 */
export interface RuleMatcher {
  field: string;
  op: MatcherOp;
  value?: string | string[] | boolean | undefined;
}
