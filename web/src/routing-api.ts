/** Shapes of the routing API (docs/routing.md). */
import { allOf, type Item, type RequestOf, type ResponseOf } from './api-types';

export type RoutingRule = Item<ResponseOf<'/api/routing-rules'>['rules']>;
export type Matcher = Item<RoutingRule['matchers']>;
export type MatcherOp = Matcher['op'];
export const MATCHER_OPS = allOf<MatcherOp>()(['equals', 'not_equals', 'regex', 'in', 'exists']);

/** What the rule form sends to create or change a rule. */
export type RuleInput = Pick<
  RequestOf<'/api/routing-rules', 'post'>,
  'name' | 'teamId' | 'integrationId' | 'matchers' | 'continue' | 'isActive'
>;
/** A matcher as the API takes it: its value's type follows its operator. */
export type MatcherInput = Item<RuleInput['matchers']>;

/** POST /api/routing-rules/test: where each sample alert would go, and why. */
export type RoutingTestResult = ResponseOf<'/api/routing-rules/test', 'post'>;
export type RouteExplanation = Omit<Item<RoutingTestResult['results']>, 'alert' | 'routedAtIngest'>;
export type SampleAlert = NonNullable<RequestOf<'/api/routing-rules/test', 'post'>['alert']>;
