/** Shapes of the teams and routing API (docs/routing.md). */
import type { ALERT_SEVERITIES } from './api';
import type { TeamMember } from './paging-api';

export const TEAM_ROLES = ['member', 'manager'] as const;
export type TeamRole = (typeof TEAM_ROLES)[number];

export interface Team {
  id: string;
  name: string;
  description: string | null;
  memberCount: number;
  /** The signed-in user's role in the team; null when not a member. */
  role: TeamRole | null;
  createdAt: string;
  updatedAt: string;
}

/** A member as the team page lists them: the paging pages' member, with when they joined. */
export interface TeamMembership extends TeamMember {
  createdAt: string;
}

/** Someone a team's managers may add: an enabled account not in the team yet. */
export interface MemberCandidate {
  id: string;
  email: string;
  name: string | null;
}

export const MATCHER_OPS = ['equals', 'not_equals', 'regex', 'in', 'exists'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];

export interface Matcher {
  field: string;
  op: MatcherOp;
  value?: string | string[] | boolean;
}

export interface RoutingRule {
  id: string;
  name: string;
  position: number;
  integrationId: string | null;
  teamId: string;
  matchers: Matcher[];
  continue: boolean;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface RuleInput {
  name: string;
  teamId: string;
  integrationId: string | null;
  matchers: Matcher[];
  continue: boolean;
  isActive: boolean;
}

export interface SampleAlert {
  title: string;
  severity: (typeof ALERT_SEVERITIES)[number];
  source: string | null;
  labels: Record<string, string>;
}

export interface RouteExplanation {
  teamIds: string[];
  teams: Array<{ id: string; name: string }>;
  matched: Array<{ ruleId: string; ruleName: string; teamId: string }>;
  defaultTeamUsed: boolean;
  evaluated: Array<{
    ruleId: string;
    ruleName: string;
    position: number;
    matched: boolean;
    failedMatcher?: { index: number; field: string; op: string };
  }>;
}

export interface RoutingTestResult {
  integration: { id: string; name: string; defaultTeamId: string | null } | null;
  results: Array<
    RouteExplanation & {
      alert: SampleAlert & { status: string; dedupKey: string | null };
      routedAtIngest: boolean;
    }
  >;
}
