import type { Urgency } from '../../core/urgency.js';
import type { Executor } from '../../db/client.js';
import type { ContactMethodRow, NotificationRow, NotificationRuleRow } from '../../db/schema/index.js';
import type { NewNotification, NotificationsRepository } from './notifications.repository.js';

/** One escalation step's notifications to plan: who, for which incident, level, round and urgency. */
export interface NotificationStep {
  incidentId: string;
  level: number;
  repetition: number;
  userIds: string[];
  urgency: Urgency;
}

/**
 * Turns "notify these people for this step" into notification rows: it reads the people's
 * contact methods and rules, lets `notificationRows` decide, and inserts what it decided. Rows
 * whose idempotency key exists are not created again. Returns the new pending rows (the ones to
 * send) and the people who have no contact method at all.
 */
export async function planNotifications(
  executor: Executor,
  repository: Pick<NotificationsRepository, 'listContactMethods' | 'listRules' | 'insertNotifications'>,
  step: NotificationStep,
  at: Date,
  minuteMs: number,
): Promise<{ created: NotificationRow[]; unreachable: string[] }> {
  const [methods, rules] = await Promise.all([
    repository.listContactMethods(executor, step.userIds),
    repository.listRules(executor, step.userIds),
  ]);
  const { rows, unreachable } = notificationRows(methods, rules, step, at, minuteMs);
  const inserted = await repository.insertNotifications(executor, rows, at);
  return { created: inserted.filter((row) => row.status === 'pending'), unreachable };
}

/**
 * The rows `planNotifications` inserts, decided without I/O: one per person, contact method and
 * rule delay (from `notificationPlan`), each scheduled its delay in policy minutes after `at`. An
 * unverified phone number is never paged: its row is created already skipped, so the log shows
 * it and why.
 */
export function notificationRows(
  methods: readonly ContactMethodRow[],
  rules: readonly NotificationRuleRow[],
  step: NotificationStep,
  at: Date,
  minuteMs: number,
): { rows: NewNotification[]; unreachable: string[] } {
  const { plan, unreachable } = notificationPlan(methods, rules, step.userIds, step.urgency);
  const rows = plan.map(
    ({ userId, method, delay }): NewNotification => ({
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

const isUnverifiedPhone = (method: ContactMethodRow) =>
  (method.type === 'sms' || method.type === 'voice') && method.verifiedAt === null;

/**
 * Who is notified on which contact method after what delay, pure: paging and the simulator
 * (POST /api/simulate) share it. Only a person's rules for the incident's urgency (or `any`)
 * apply; someone with none of those is notified on every contact method at once, as someone
 * without rules is. People without a contact method are `unreachable`.
 */
export function notificationPlan(
  methods: readonly ContactMethodRow[],
  rules: readonly NotificationRuleRow[],
  userIds: readonly string[],
  urgency: Urgency,
): { plan: Array<{ userId: string; method: ContactMethodRow; delay: number }>; unreachable: string[] } {
  const methodById = new Map(methods.map((method) => [method.id, method]));
  const unreachable: string[] = [];
  const plan: Array<{ userId: string; method: ContactMethodRow; delay: number }> = [];
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
