import { and, asc, desc, eq, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { AttemptOutcome, ContactMethodType } from '../../core/notifications.js';
import { builtPerExecutor, type Executor } from '../../db/client.js';
import { translatingViolations } from '../../db/constraint-violations.js';
import {
  type ContactMethodRow,
  contactMethods,
  incidents,
  type NotificationAttemptRow,
  type NotificationRow,
  type NotificationRuleRow,
  notificationAttempts,
  notificationRules,
  notifications,
} from '../../db/schema/index.js';
import { AppError } from '../../lib/errors.js';
import { uuidv7 } from '../../lib/ids.js';

export type NewNotification = Omit<
  NotificationRow,
  'id' | 'status' | 'attempts' | 'lastError' | 'claimedUntil' | 'sentAt' | 'updatedAt' | 'teamId'
> &
  Partial<Pick<NotificationRow, 'status' | 'lastError' | 'teamId'>>;

/** A notification of a person (not a team's chat channel post): the rows of a person's notification log. */
export type PersonNotificationRow = NotificationRow & {
  userId: string;
  contactMethodId: string;
  contactMethodType: ContactMethodType;
};

/**
 * An escalation step's read of its people's contact methods and rules, built once per executor
 * (bench/README.md, 2026-12-07). The ids travel as one array parameter, so the text is the same
 * whatever their number.
 */
const methodsAndRulesQuery = builtPerExecutor((executor) =>
  executor
    .select({ method: contactMethods, rule: notificationRules })
    .from(contactMethods)
    .leftJoin(notificationRules, eq(notificationRules.contactMethodId, contactMethods.id))
    .where(sql`${contactMethods.userId} = ANY(${sql.placeholder('userIds')}::uuid[])`)
    .orderBy(asc(contactMethods.id), asc(notificationRules.delayMinutes), asc(notificationRules.id))
    .prepare('klaxon_notifications_methods_and_rules'),
);

/** A send's claim, on every page: built once per executor (115 µs a build). */
const claimQuery = builtPerExecutor((executor) =>
  executor
    .update(notifications)
    .set({
      status: 'sending',
      attempts: sql`${notifications.attempts} + 1`,
      // Placeholders carry no column encoder: the times go as ISO text.
      claimedUntil: sql`${sql.placeholder('claimedUntil')}`,
      updatedAt: sql`${sql.placeholder('at')}`,
    })
    .where(
      and(
        eq(notifications.id, sql.placeholder('id')),
        or(
          eq(notifications.status, 'pending'),
          and(eq(notifications.status, 'sending'), lt(notifications.claimedUntil, sql.placeholder('at'))),
        ),
        sql`EXISTS (SELECT 1 FROM ${incidents} WHERE ${incidents.id} = ${notifications.incidentId} AND ${incidents.status} = 'triggered')`,
      ),
    )
    .returning()
    .prepare('klaxon_notifications_claim'),
);

export function createNotificationsRepository() {
  return {
    async insertContactMethod(executor: Executor, row: typeof contactMethods.$inferInsert): Promise<ContactMethodRow> {
      // The owner deleted between the service's check and the insert: the foreign key refuses it.
      const [inserted] = await translatingViolations(
        executor.insert(contactMethods).values(row).returning(),
        ({ kind, error }) =>
          kind === 'foreign-key'
            ? new AppError('user-not-found', `No user with id ${row.userId}`, { cause: error })
            : undefined,
      );
      if (inserted === undefined) throw new Error('contact method insert returned no row');
      return inserted;
    },

    async findContactMethod(executor: Executor, id: string): Promise<ContactMethodRow | undefined> {
      const [row] = await executor.select().from(contactMethods).where(eq(contactMethods.id, id)).limit(1);
      return row;
    },

    async listContactMethods(executor: Executor, userIds: string[]): Promise<ContactMethodRow[]> {
      if (userIds.length === 0) return [];
      return executor
        .select()
        .from(contactMethods)
        .where(inArray(contactMethods.userId, userIds))
        .orderBy(asc(contactMethods.id));
    },

    async deleteContactMethod(executor: Executor, id: string): Promise<void> {
      await executor.delete(contactMethods).where(eq(contactMethods.id, id));
    },

    async insertRule(executor: Executor, row: typeof notificationRules.$inferInsert): Promise<NotificationRuleRow> {
      const [inserted] = await translatingViolations(
        executor.insert(notificationRules).values(row).returning(),
        ({ kind, error }) =>
          kind === 'unique' ? new AppError('duplicate-notification-rule', undefined, { cause: error }) : undefined,
      );
      if (inserted === undefined) throw new Error('rule insert returned no row');
      return inserted;
    },

    async findRule(executor: Executor, id: string): Promise<NotificationRuleRow | undefined> {
      const [row] = await executor.select().from(notificationRules).where(eq(notificationRules.id, id)).limit(1);
      return row;
    },

    async listRules(executor: Executor, userIds: string[]): Promise<NotificationRuleRow[]> {
      if (userIds.length === 0) return [];
      return executor
        .select()
        .from(notificationRules)
        .where(inArray(notificationRules.userId, userIds))
        .orderBy(asc(notificationRules.delayMinutes), asc(notificationRules.id));
    },

    /**
     * The people's contact methods and notification rules in one statement (a rule is always its
     * method's owner's), ordered as `listContactMethods` and `listRules` order them.
     */
    async listContactMethodsAndRules(
      executor: Executor,
      userIds: string[],
    ): Promise<{ methods: ContactMethodRow[]; rules: NotificationRuleRow[] }> {
      if (userIds.length === 0) return { methods: [], rules: [] };
      const rows = await methodsAndRulesQuery(executor).execute({ userIds });
      const methods = new Map<string, ContactMethodRow>();
      const rules: NotificationRuleRow[] = [];
      for (const { method, rule } of rows) {
        methods.set(method.id, method);
        if (rule !== null) rules.push(rule);
      }
      rules.sort((a, b) => a.delayMinutes - b.delayMinutes || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      return { methods: [...methods.values()], rules };
    },

    async deleteRule(executor: Executor, id: string): Promise<void> {
      await executor.delete(notificationRules).where(eq(notificationRules.id, id));
    },

    /**
     * Inserts the notifications whose idempotency key is new; returns only those (the others already
     * exist). A person's key is (incident, level, repetition, person, method, rule delay); a team
     * channel post's is (incident, level, repetition, team): the conflict may be on either index.
     */
    async insertNotifications(executor: Executor, rows: NewNotification[], at: Date): Promise<NotificationRow[]> {
      if (rows.length === 0) return [];
      return executor
        .insert(notifications)
        .values(rows.map((row) => ({ status: 'pending' as const, ...row, id: uuidv7(), attempts: 0, updatedAt: at })))
        .onConflictDoNothing()
        .returning();
    },

    /**
     * Claims a notification for sending: pending ones, or ones whose previous sender's claim lapsed
     * (it crashed mid-send), and only while the incident still needs it. One claimer wins.
     */
    async claim(executor: Executor, id: string, at: Date, leaseMs: number): Promise<NotificationRow | undefined> {
      const claimedUntil = new Date(at.getTime() + leaseMs).toISOString();
      const [row] = await claimQuery(executor).execute({ id, at: at.toISOString(), claimedUntil });
      return row;
    },

    async finish(
      executor: Executor,
      id: string,
      changes: Partial<Pick<NotificationRow, 'status' | 'lastError' | 'sentAt' | 'claimedUntil'>>,
      at: Date,
    ): Promise<NotificationRow | undefined> {
      const [row] = await executor
        .update(notifications)
        .set({ ...changes, updatedAt: at })
        .where(eq(notifications.id, id))
        .returning();
      return row;
    },

    /** Pending notifications of an incident become cancelled (it was acknowledged or resolved). */
    async cancelPending(executor: Executor, incidentId: string, at: Date): Promise<string[]> {
      const rows = await executor
        .update(notifications)
        .set({ status: 'cancelled', updatedAt: at })
        .where(and(eq(notifications.incidentId, incidentId), eq(notifications.status, 'pending')))
        .returning({ id: notifications.id });
      return rows.map((row) => row.id);
    },

    async findById(executor: Executor, id: string): Promise<NotificationRow | undefined> {
      const [row] = await executor.select().from(notifications).where(eq(notifications.id, id)).limit(1);
      return row;
    },

    /** Pending notifications that should have gone out by `before` (their job may have been lost). */
    /**
     * Notifications due by `before` that nobody is sending: pending, or claimed under a lease that
     * ran out (the process sending it died).
     */
    async listOverduePending(executor: Executor, before: Date, limit: number): Promise<NotificationRow[]> {
      return executor
        .select()
        .from(notifications)
        .where(
          and(
            lte(notifications.scheduledAt, before),
            or(
              eq(notifications.status, 'pending'),
              and(eq(notifications.status, 'sending'), lt(notifications.claimedUntil, before)),
            ),
          ),
        )
        .limit(limit);
    },

    /** An incident's notifications (people's and team channel posts), newest first. */
    async listOfIncident(executor: Executor, incidentId: string, limit: number): Promise<NotificationRow[]> {
      return executor
        .select()
        .from(notifications)
        .where(eq(notifications.incidentId, incidentId))
        .orderBy(desc(notifications.id))
        .limit(limit);
    },

    /** A person's notifications, newest first (a row with their user id is theirs: the check constraint). */
    async listOfPerson(
      executor: Executor,
      filter: { userId: string; incidentId?: string | undefined; beforeId?: string | undefined; limit: number },
    ): Promise<PersonNotificationRow[]> {
      const conditions: SQL[] = [eq(notifications.userId, filter.userId)];
      if (filter.incidentId !== undefined) conditions.push(eq(notifications.incidentId, filter.incidentId));
      if (filter.beforeId !== undefined) conditions.push(lt(notifications.id, filter.beforeId));
      const rows = await executor
        .select()
        .from(notifications)
        .where(and(...conditions))
        .orderBy(desc(notifications.id))
        .limit(filter.limit);
      return rows as PersonNotificationRow[];
    },

    async insertAttempt(
      executor: Executor,
      attempt: {
        notificationId: string;
        attempt: number;
        outcome: AttemptOutcome;
        detail: string | null;
        durationMs: number;
        createdAt: Date;
      },
    ): Promise<void> {
      await executor.insert(notificationAttempts).values({ id: uuidv7(), ...attempt });
    },

    async listAttempts(executor: Executor, notificationIds: string[]): Promise<NotificationAttemptRow[]> {
      if (notificationIds.length === 0) return [];
      return executor
        .select()
        .from(notificationAttempts)
        .where(inArray(notificationAttempts.notificationId, notificationIds))
        .orderBy(asc(notificationAttempts.id));
    },
  };
}

export type NotificationsRepository = ReturnType<typeof createNotificationsRepository>;
