import { describe, expect, it } from 'vitest';
import type { RuleMatcher } from '../../core/routing.js';
import { matcherHolds, type RoutableAlert, type RoutingRule, routeAlert } from './route-alert.js';

const INTEGRATION = { id: '00000000-0000-7000-8000-00000000000a', name: 'prometheus' };
const OTHER_INTEGRATION = '00000000-0000-7000-8000-00000000000b';

const alert = (overrides: Partial<RoutableAlert> = {}): RoutableAlert => ({
  severity: 'critical',
  source: 'db-1.eu',
  title: 'Disk usage above 95% on db-1',
  integration: INTEGRATION,
  labels: { team: 'payments', env: 'prod', région: 'île-de-france', emoji: '🔥', empty: '' },
  ...overrides,
});

describe('matcherHolds', () => {
  const cases: Array<[name: string, matcher: RuleMatcher, expected: boolean, alertOverrides?: Partial<RoutableAlert>]> =
    [
      ['equals on severity', { field: 'severity', op: 'equals', value: 'critical' }, true],
      ['equals is case-sensitive', { field: 'severity', op: 'equals', value: 'Critical' }, false],
      ['equals on source', { field: 'source', op: 'equals', value: 'db-1.eu' }, true],
      ['equals on a null source', { field: 'source', op: 'equals', value: 'db-1.eu' }, false, { source: null }],
      ['equals on title', { field: 'title', op: 'equals', value: 'Disk usage above 95% on db-1' }, true],
      ['equals on integration name', { field: 'integration', op: 'equals', value: 'prometheus' }, true],
      ['equals on a label', { field: 'labels.team', op: 'equals', value: 'payments' }, true],
      ['equals on a missing label', { field: 'labels.owner', op: 'equals', value: 'payments' }, false],
      [
        'equals on a unicode label name and value',
        { field: 'labels.région', op: 'equals', value: 'île-de-france' },
        true,
      ],
      ['equals on an emoji', { field: 'labels.emoji', op: 'equals', value: '🔥' }, true],
      ['not_equals, different', { field: 'labels.env', op: 'not_equals', value: 'staging' }, true],
      ['not_equals, same', { field: 'labels.env', op: 'not_equals', value: 'prod' }, false],
      ['not_equals on a missing label holds', { field: 'labels.owner', op: 'not_equals', value: 'x' }, true],
      ['in, listed', { field: 'severity', op: 'in', value: ['critical', 'error'] }, true],
      ['in, not listed', { field: 'severity', op: 'in', value: ['warning', 'info'] }, false],
      ['in on a missing label', { field: 'labels.owner', op: 'in', value: ['a', 'b'] }, false],
      ['regex search on title', { field: 'title', op: 'regex', value: '[Dd]isk usage' }, true],
      ['regex anchored', { field: 'title', op: 'regex', value: '^usage' }, false],
      ['regex on a missing label', { field: 'labels.owner', op: 'regex', value: '.*' }, false],
      ['regex, one dot is one emoji', { field: 'labels.emoji', op: 'regex', value: '^.$' }, true],
      ['regex with unicode letters', { field: 'labels.région', op: 'regex', value: '^\\p{L}+-de-' }, true],
      ['exists on a label', { field: 'labels.team', op: 'exists' }, true],
      ['exists on a missing label', { field: 'labels.owner', op: 'exists' }, false],
      ['exists on an empty label', { field: 'labels.empty', op: 'exists' }, false],
      ['exists: false on a missing label', { field: 'labels.owner', op: 'exists', value: false }, true],
      ['exists: false on a present label', { field: 'labels.team', op: 'exists', value: false }, false],
      ['exists on a null source', { field: 'source', op: 'exists' }, false, { source: null }],
      ['a label named like a prototype key', { field: 'labels.constructor', op: 'exists' }, false],
    ];
  it.each(cases)('%s', (_name, matcher, expected, overrides) => {
    expect(matcherHolds(alert(overrides), matcher)).toBe(expected);
  });
});

const TEAM = {
  payments: '00000000-0000-7000-8000-0000000000a1',
  dba: '00000000-0000-7000-8000-0000000000a2',
  oncall: '00000000-0000-7000-8000-0000000000a3',
  fallback: '00000000-0000-7000-8000-0000000000a4',
};

let nextId = 0;
const rule = (position: number, teamId: string, matchers: RuleMatcher[], extra: Partial<RoutingRule> = {}) => ({
  id: `00000000-0000-7000-8000-${String(++nextId).padStart(12, '0')}`,
  position,
  integrationId: null,
  teamId,
  matchers,
  continue: false,
  ...extra,
});

describe('routeAlert', () => {
  const byTeam = rule(1, TEAM.payments, [{ field: 'labels.team', op: 'equals', value: 'payments' }]);
  const bySeverity = rule(2, TEAM.oncall, [{ field: 'severity', op: 'equals', value: 'critical' }]);
  const byTitle = rule(3, TEAM.dba, [{ field: 'title', op: 'regex', value: '^Disk' }]);

  it('first match wins', () => {
    const decision = routeAlert(alert(), [byTeam, bySeverity, byTitle], TEAM.fallback);
    expect(decision).toEqual({
      teamIds: [TEAM.payments],
      matched: [{ ruleId: byTeam.id, teamId: TEAM.payments }],
      defaultTeamUsed: false,
      evaluated: [{ ruleId: byTeam.id, matched: true }],
    });
  });

  it('orders by position, not by list order', () => {
    const first = { ...byTitle, position: 0 };
    expect(routeAlert(alert(), [byTeam, bySeverity, first], null).teamIds).toEqual([TEAM.dba]);
  });

  it('continue: a match also lets later matches add their teams', () => {
    const decision = routeAlert(alert(), [{ ...byTeam, continue: true }, bySeverity, byTitle], null);
    expect(decision.teamIds).toEqual([TEAM.payments, TEAM.oncall]);
    expect(decision.matched.map((m) => m.ruleId)).toEqual([byTeam.id, bySeverity.id]);
  });

  it('continue on every rule reaches every matching team once, in order', () => {
    const again = rule(4, TEAM.payments, [], { continue: true });
    const rules = [byTeam, bySeverity, byTitle, again].map((r) => ({ ...r, continue: true }));
    expect(routeAlert(alert(), rules, null).teamIds).toEqual([TEAM.payments, TEAM.oncall, TEAM.dba]);
  });

  it('all matchers of a rule must hold, and the explanation names the first that did not', () => {
    const both = rule(1, TEAM.dba, [
      { field: 'severity', op: 'equals', value: 'critical' },
      { field: 'labels.env', op: 'equals', value: 'staging' },
    ]);
    const decision = routeAlert(alert(), [both], null);
    expect(decision.teamIds).toEqual([]);
    expect(decision.evaluated).toEqual([
      { ruleId: both.id, matched: false, failedMatcher: { index: 1, field: 'labels.env', op: 'equals' } },
    ]);
  });

  it('a rule without matchers matches everything', () => {
    expect(routeAlert(alert(), [rule(1, TEAM.oncall, [])], null).teamIds).toEqual([TEAM.oncall]);
  });

  it('no match: the default team', () => {
    const decision = routeAlert(
      alert({ labels: {}, severity: 'info', title: 'x' }),
      [byTeam, bySeverity],
      TEAM.fallback,
    );
    expect(decision).toMatchObject({ teamIds: [TEAM.fallback], matched: [], defaultTeamUsed: true });
    expect(decision.evaluated).toHaveLength(2);
  });

  it('no match and no default team: no team', () => {
    expect(routeAlert(alert({ labels: {}, severity: 'info' }), [byTeam, bySeverity], null)).toMatchObject({
      teamIds: [],
      defaultTeamUsed: false,
    });
  });

  it('no rules at all: the default team', () => {
    expect(routeAlert(alert(), [], TEAM.fallback).teamIds).toEqual([TEAM.fallback]);
  });

  it('a rule scoped to another integration is not considered', () => {
    const scoped = { ...byTeam, integrationId: OTHER_INTEGRATION };
    const decision = routeAlert(alert(), [scoped, bySeverity], null);
    expect(decision.teamIds).toEqual([TEAM.oncall]);
    expect(decision.evaluated.map((e) => e.ruleId)).toEqual([bySeverity.id]);
  });

  it('a rule scoped to this integration interleaves with global rules by position', () => {
    const scoped = rule(1.5, TEAM.dba, [], { integrationId: INTEGRATION.id });
    expect(routeAlert(alert({ labels: {} }), [byTeam, scoped, bySeverity], null).teamIds).toEqual([TEAM.dba]);
  });

  it('inactive rules are skipped', () => {
    expect(routeAlert(alert(), [{ ...byTeam, isActive: false }, bySeverity], null).teamIds).toEqual([TEAM.oncall]);
  });

  it('a match by a later rule after a non-matching continue rule', () => {
    const miss = rule(1, TEAM.payments, [{ field: 'labels.team', op: 'equals', value: 'nope' }], { continue: true });
    expect(routeAlert(alert(), [miss, byTitle], TEAM.fallback).teamIds).toEqual([TEAM.dba]);
  });
});
