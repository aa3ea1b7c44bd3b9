import type { ContactMethodType, NotificationStatus } from '../../core/notifications.js';
import type { RuleUrgency, Urgency } from '../../core/urgency.js';

/** One escalation step's notifications to plan: who, for which incident, level, round and urgency. */
export interface NotificationStep {
  incidentId: string;
  level: number;
  repetition: number;
  userIds: string[];
  urgency: Urgency;
}

/** What the planner reads of a contact method and of a notification rule (stored rows carry more). */
export interface PlannedContactMethod {
  id: string;
  userId: string;
  type: ContactMethodType;
  verifiedAt: Date | null;
}

export interface PlannedRule {
  userId: string;
  contactMethodId: string;
  delayMinutes: number;
  urgency: RuleUrgency;
}

/** A notification the planner decided on, as it is to be inserted. */
export interface PlannedNotification {
  incidentId: string;
  userId: string;
  contactMethodId: string;
  contactMethodType: ContactMethodType;
  level: number;
  repetition: number;
  ruleDelayMinutes: number;
  scheduledAt: Date;
  createdAt: Date;
  status?: NotificationStatus;
  lastError?: string;
}

/**
 * The rows `planNotifications` (plan-notifications.ts) inserts, decided without I/O: one per person, contact method and
 * rule delay (from `notificationPlan`), each scheduled its delay in policy minutes after `at`. An
 * unverified phone number is never paged: its row is created already skipped, so the log shows
 * it and why.
 */
export function notificationRows(
  methods: readonly PlannedContactMethod[],
  rules: readonly PlannedRule[],
  step: NotificationStep,
  at: Date,
  minuteMs: number,
): { rows: PlannedNotification[]; unreachable: string[] } {
  const { plan, unreachable } = notificationPlan(methods, rules, step.userIds, step.urgency);
  const rows = plan.map(
    ({ userId, method, delay }): PlannedNotification => ({
      ...(isUnverifiedPhone(method)
        ? { status: 'skipped' as const, lastError: 'skipped: the phone number is not verified' }
        : {}),
      incidentId: step.incidentId,
      userId,
      contactMethodId: method.id,
      contactMethodType: method.type,
      level: step.level,
      repetition: step.repetition,
      ruleDelayMinutes: delay,
      scheduledAt: new Date(at.getTime() + delay * minuteMs),
      createdAt: at,
    }),
  );
  return { rows, unreachable };
}

const isUnverifiedPhone = (method: PlannedContactMethod) =>
  (method.type === 'sms' || method.type === 'voice') && method.verifiedAt === null;

/**
 * Who is notified on which contact method after what delay, pure: paging and the simulator
 * (POST /api/simulate) share it. Only a person's rules for the incident's urgency (or `any`)
 * apply; someone with none of those is notified on every contact method at once, as someone
 * without rules is. People without a contact method are `unreachable`.
 */
export function notificationPlan<Method extends PlannedContactMethod>(
  methods: readonly Method[],
  rules: readonly PlannedRule[],
  userIds: readonly string[],
  urgency: Urgency,
): { plan: Array<{ userId: string; method: Method; delay: number }>; unreachable: string[] } {
  const methodById = new Map(methods.map((method) => [method.id, method]));
  const unreachable: string[] = [];
  const plan: Array<{ userId: string; method: Method; delay: number }> = [];
  for (const userId of userIds) {
    const own = methods.filter((method) => method.userId === userId);
    if (own.length === 0) {
      unreachable.push(userId);
      continue;
    }
    const ownRules = rules.filter(
      (rule) =>
        rule.userId === userId &&
        methodById.has(rule.contactMethodId) &&
        (rule.urgency === 'any' || rule.urgency === urgency),
    );
    const steps =
      ownRules.length > 0
        ? ownRules.map((rule) => ({ method: methodById.get(rule.contactMethodId), delay: rule.delayMinutes }))
        : own.map((method) => ({ method, delay: 0 }));
    for (const { method, delay } of steps) {
      if (method !== undefined) plan.push({ userId, method, delay });
    }
  }
  return { plan, unreachable };
}
