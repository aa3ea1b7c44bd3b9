import type { Executor } from '../../db/client.js';
import type { NotificationRow } from '../../db/schema/index.js';
import { type NotificationStep, notificationRows } from './notification-planner.js';
import type { NotificationsRepository } from './notifications.repository.js';

/**
 * Turns "notify these people for this step" into notification rows: it reads the people's
 * contact methods and rules (one statement), lets `notificationRows` (the pure planner) decide, and inserts what it decided. Rows
 * whose idempotency key exists are not created again. Returns the new pending rows (the ones to
 * send) and the people who have no contact method at all.
 */
export async function planNotifications(
  executor: Executor,
  repository: Pick<NotificationsRepository, 'listContactMethodsAndRules' | 'insertNotifications'>,
  step: NotificationStep,
  at: Date,
  minuteMs: number,
): Promise<{ created: NotificationRow[]; unreachable: string[] }> {
  const { methods, rules } = await repository.listContactMethodsAndRules(executor, step.userIds);
  const { rows, unreachable } = notificationRows(methods, rules, step, at, minuteMs);
  const inserted = await repository.insertNotifications(executor, rows, at);
  return { created: inserted.filter((row) => row.status === 'pending'), unreachable };
}
