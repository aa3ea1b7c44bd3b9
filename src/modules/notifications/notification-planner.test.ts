import { describe, expect, it } from 'vitest';
import type { Urgency } from '../../core/urgency.js';
import type { ContactMethodRow, NotificationRuleRow } from '../../db/schema/index.js';
import { notificationPlan, notificationRows } from './notification-planner.js';

const created = new Date('2026-01-01T00:00:00Z');

function method(
  id: string,
  userId: string,
  type: ContactMethodRow['type'] = 'email',
  verified = true,
): ContactMethodRow {
  return {
    id,
    userId,
    type,
    label: null,
    address: `${id}@example.com`,
    secretEncrypted: null,
    verifiedAt: verified ? created : null,
    createdAt: created,
  };
}

function rule(
  contactMethodId: string,
  userId: string,
  delayMinutes: number,
  urgency: NotificationRuleRow['urgency'] = 'any',
): NotificationRuleRow {
  return {
    id: `${contactMethodId}-${delayMinutes}-${urgency}`,
    userId,
    contactMethodId,
    delayMinutes,
    urgency,
    createdAt: created,
  };
}

/** The plan as `user:method+delay` strings, the shape each case below states. */
const planOf = (
  methods: ContactMethodRow[],
  rules: NotificationRuleRow[],
  userIds: string[],
  urgency: Urgency = 'high',
) => {
  const { plan, unreachable } = notificationPlan(methods, rules, userIds, urgency);
  return { plan: plan.map((p) => `${p.userId}:${p.method.id}+${p.delay}`), unreachable };
};

describe('notificationPlan', () => {
  it.each([
    {
      case: 'no rules: every contact method at once',
      methods: [method('mail', 'ann'), method('hook', 'ann', 'webhook')],
      rules: [],
      users: ['ann'],
      plan: ['ann:mail+0', 'ann:hook+0'],
      unreachable: [],
    },
    {
      case: 'rules: each rule its method after its delay, methods without a rule not at all',
      methods: [method('mail', 'ann'), method('hook', 'ann', 'webhook'), method('sms', 'ann', 'sms')],
      rules: [rule('hook', 'ann', 0), rule('mail', 'ann', 5), rule('mail', 'ann', 15)],
      users: ['ann'],
      plan: ['ann:hook+0', 'ann:mail+5', 'ann:mail+15'],
      unreachable: [],
    },
    {
      case: 'no contact method: unreachable, even with people around who have some',
      methods: [method('mail', 'bob')],
      rules: [],
      users: ['ann', 'bob'],
      plan: ['bob:mail+0'],
      unreachable: ['ann'],
    },
    {
      case: "each person's own rules and methods only",
      methods: [method('ann-mail', 'ann'), method('bob-mail', 'bob'), method('bob-hook', 'bob', 'webhook')],
      rules: [rule('bob-hook', 'bob', 2)],
      users: ['ann', 'bob'],
      plan: ['ann:ann-mail+0', 'bob:bob-hook+2'],
      unreachable: [],
    },
    {
      case: 'a rule whose contact method is gone is ignored; with no rule left, every method at once',
      methods: [method('mail', 'ann')],
      rules: [rule('deleted', 'ann', 3)],
      users: ['ann'],
      plan: ['ann:mail+0'],
      unreachable: [],
    },
    {
      case: 'people who are not asked for are not planned',
      methods: [method('mail', 'ann'), method('bob-mail', 'bob')],
      rules: [],
      users: ['bob'],
      plan: ['bob:bob-mail+0'],
      unreachable: [],
    },
  ])('$case', ({ methods, rules, users, plan, unreachable }) => {
    expect(planOf(methods, rules, users)).toEqual({ plan, unreachable });
  });

  it.each([
    { urgency: 'high' as const, plan: ['ann:sms+0', 'ann:mail+10'] },
    { urgency: 'low' as const, plan: ['ann:mail+0', 'ann:mail+10'] },
  ])('a $urgency-urgency incident follows the rules for $urgency and for any', ({ urgency, plan }) => {
    const methods = [method('mail', 'ann'), method('sms', 'ann', 'sms')];
    const rules = [rule('sms', 'ann', 0, 'high'), rule('mail', 'ann', 0, 'low'), rule('mail', 'ann', 10, 'any')];
    expect(planOf(methods, rules, ['ann'], urgency).plan).toEqual(plan);
  });

  it('someone whose rules are all for the other urgency is notified on every method at once', () => {
    const methods = [method('mail', 'ann'), method('sms', 'ann', 'sms')];
    const rules = [rule('sms', 'ann', 5, 'high')];
    expect(planOf(methods, rules, ['ann'], 'low').plan).toEqual(['ann:mail+0', 'ann:sms+0']);
  });
});

describe('notificationRows', () => {
  const at = new Date('2026-03-01T12:00:00Z');
  const step = { incidentId: 'incident', level: 1, repetition: 2, userIds: ['ann', 'bob'], urgency: 'high' as const };

  it("schedules each row its rule's delay in policy minutes after the step, keyed by step, person, method and delay", () => {
    const methods = [method('mail', 'ann'), method('bob-hook', 'bob', 'webhook')];
    const rules = [rule('mail', 'ann', 0), rule('mail', 'ann', 3)];
    const { rows, unreachable } = notificationRows(methods, rules, step, at, 400);
    expect(unreachable).toEqual([]);
    expect(rows).toEqual([
      {
        incidentId: 'incident',
        userId: 'ann',
        contactMethodId: 'mail',
        contactMethodType: 'email',
        level: 1,
        repetition: 2,
        ruleDelayMinutes: 0,
        scheduledAt: at,
        createdAt: at,
      },
      expect.objectContaining({ userId: 'ann', ruleDelayMinutes: 3, scheduledAt: new Date(at.getTime() + 1_200) }),
      expect.objectContaining({ userId: 'bob', contactMethodId: 'bob-hook', contactMethodType: 'webhook' }),
    ]);
    // Pending is the repository's default: a row the planner does not skip carries no status.
    expect(rows.map((row) => row.status)).toEqual([undefined, undefined, undefined]);
  });

  it.each([
    { type: 'sms' as const, verified: false, skipped: true },
    { type: 'voice' as const, verified: false, skipped: true },
    { type: 'sms' as const, verified: true, skipped: false },
    { type: 'voice' as const, verified: true, skipped: false },
    { type: 'email' as const, verified: false, skipped: false },
    { type: 'webhook' as const, verified: false, skipped: false },
  ])('a $type method, verified: $verified → created skipped: $skipped', ({ type, verified, skipped }) => {
    const { rows } = notificationRows(
      [method('m', 'ann', type, verified)],
      [],
      { ...step, userIds: ['ann'] },
      at,
      60_000,
    );
    expect(rows).toHaveLength(1);
    if (skipped) {
      expect(rows[0]).toMatchObject({ status: 'skipped', lastError: 'skipped: the phone number is not verified' });
    } else {
      expect(rows[0]?.status).toBeUndefined();
      expect(rows[0]?.lastError).toBeUndefined();
    }
  });

  it('an unverified phone is skipped even when a rule delays it; the other rules still go', () => {
    const methods = [method('sms', 'ann', 'sms', false), method('mail', 'ann')];
    const rules = [rule('sms', 'ann', 0), rule('mail', 'ann', 2)];
    const { rows } = notificationRows(methods, rules, { ...step, userIds: ['ann'] }, at, 60_000);
    expect(rows.map((row) => [row.contactMethodId, row.ruleDelayMinutes, row.status ?? 'pending'])).toEqual([
      ['sms', 0, 'skipped'],
      ['mail', 2, 'pending'],
    ]);
    expect(rows[1]?.scheduledAt).toEqual(new Date(at.getTime() + 120_000));
  });

  it('reports the unreachable and plans no rows for them', () => {
    const { rows, unreachable } = notificationRows([method('mail', 'ann')], [], step, at, 60_000);
    expect(rows.map((row) => row.userId)).toEqual(['ann']);
    expect(unreachable).toEqual(['bob']);
  });
});
