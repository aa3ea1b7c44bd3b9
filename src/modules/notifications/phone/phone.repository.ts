import { and, asc, desc, eq, gt, gte, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Executor } from '../../../db/client.js';
import {
  type ContactMethodRow,
  contactMethods,
  incidents,
  type NotificationRow,
  notifications,
  type PhoneMessageRow,
  type PhoneVerificationRow,
  phoneMessages,
  phoneVerifications,
  providerCallbacks,
} from '../../../db/schema/index.js';

/** Status of a message no provider accepted (failover moved on): not billed, not counted by the rate limit. */
export const NOT_SENT = 'not-sent';

export function createPhoneRepository() {
  return {
    async insertMessage(executor: Executor, row: typeof phoneMessages.$inferInsert): Promise<void> {
      await executor.insert(phoneMessages).values(row);
    },

    async updateMessage(
      executor: Executor,
      id: string,
      changes: Partial<Pick<PhoneMessageRow, 'providerMessageId' | 'status' | 'statusDetail' | 'updatedAt'>>,
    ): Promise<void> {
      await executor.update(phoneMessages).set(changes).where(eq(phoneMessages.id, id));
    },

    async findMessageByProviderId(
      executor: Executor,
      provider: string,
      providerMessageId: string,
    ): Promise<PhoneMessageRow | undefined> {
      const [row] = await executor
        .select()
        .from(phoneMessages)
        .where(and(eq(phoneMessages.provider, provider), eq(phoneMessages.providerMessageId, providerMessageId)))
        .limit(1);
      return row;
    },

    /** Messages and calls handed to a provider for this number since `since` (the per-number rate limit). */
    async countSentTo(executor: Executor, toNumber: string, since: Date): Promise<number> {
      const [row] = await executor
        .select({ count: sql<number>`count(*)::int` })
        .from(phoneMessages)
        .where(
          and(
            eq(phoneMessages.toNumber, toNumber),
            gte(phoneMessages.createdAt, since),
            ne(phoneMessages.status, NOT_SENT),
          ),
        );
      return row?.count ?? 0;
    },

    /** The latest provider status of each notification's message, for the notification log. */
    async latestStatuses(
      executor: Executor,
      notificationIds: string[],
    ): Promise<Map<string, { provider: string; status: string; detail: string | null }>> {
      if (notificationIds.length === 0) return new Map();
      const rows = await executor
        .select()
        .from(phoneMessages)
        .where(inArray(phoneMessages.notificationId, notificationIds))
        .orderBy(asc(phoneMessages.id));
      return new Map(
        rows.map((row) => [
          row.notificationId ?? '',
          { provider: row.provider, status: row.status, detail: row.statusDetail },
        ]),
      );
    },

    async findVerification(executor: Executor, contactMethodId: string): Promise<PhoneVerificationRow | undefined> {
      const [row] = await executor
        .select()
        .from(phoneVerifications)
        .where(eq(phoneVerifications.contactMethodId, contactMethodId))
        .limit(1);
      return row;
    },

    async putVerification(executor: Executor, row: PhoneVerificationRow): Promise<void> {
      await executor
        .insert(phoneVerifications)
        .values(row)
        .onConflictDoUpdate({
          target: phoneVerifications.contactMethodId,
          set: { codeHash: row.codeHash, attempts: row.attempts, expiresAt: row.expiresAt, sentAt: row.sentAt },
        });
    },

    /** Counts one guess; returns the attempts so far (concurrent guesses each count). */
    async countAttempt(executor: Executor, contactMethodId: string): Promise<number> {
      const [row] = await executor
        .update(phoneVerifications)
        .set({ attempts: sql`${phoneVerifications.attempts} + 1` })
        .where(eq(phoneVerifications.contactMethodId, contactMethodId))
        .returning({ attempts: phoneVerifications.attempts });
      return row?.attempts ?? Number.POSITIVE_INFINITY;
    },

    async deleteVerification(executor: Executor, contactMethodId: string): Promise<void> {
      await executor.delete(phoneVerifications).where(eq(phoneVerifications.contactMethodId, contactMethodId));
    },

    async markVerified(executor: Executor, contactMethodId: string, at: Date): Promise<void> {
      await executor.update(contactMethods).set({ verifiedAt: at }).where(eq(contactMethods.id, contactMethodId));
    },

    /** Verified phone contact methods with this number, whoever they belong to. */
    async verifiedMethodsOf(executor: Executor, e164: string): Promise<ContactMethodRow[]> {
      return executor
        .select()
        .from(contactMethods)
        .where(
          and(
            eq(contactMethods.address, e164),
            inArray(contactMethods.type, ['sms', 'voice']),
            isNotNull(contactMethods.verifiedAt),
          ),
        );
    },

    /** Open incidents this person was paged for by phone, newest first. */
    async openIncidentsPagedTo(executor: Executor, userId: string) {
      return executor
        .selectDistinct({ id: incidents.id, status: incidents.status, title: incidents.title })
        .from(phoneMessages)
        .innerJoin(incidents, eq(incidents.id, phoneMessages.incidentId))
        .where(and(eq(phoneMessages.userId, userId), ne(incidents.status, 'resolved')))
        .orderBy(desc(incidents.id))
        .limit(50);
    },

    /** Records a provider callback as acted on; false when it was already (a replay). */
    async firstDelivery(executor: Executor, provider: string, callbackKey: string, at: Date): Promise<boolean> {
      const rows = await executor
        .insert(providerCallbacks)
        .values({ provider, callbackKey, receivedAt: at })
        .onConflictDoNothing()
        .returning({ key: providerCallbacks.callbackKey });
      return rows.length > 0;
    },

    async forgetDelivery(executor: Executor, provider: string, callbackKey: string): Promise<void> {
      await executor
        .delete(providerCallbacks)
        .where(and(eq(providerCallbacks.provider, provider), eq(providerCallbacks.callbackKey, callbackKey)));
    },

    /**
     * The person's next notification rule for the same step, brought forward to `at` (a phone page
     * failed or went unanswered). Returns it when there is one still pending.
     */
    async bringNextRuleForward(executor: Executor, failed: NotificationRow, at: Date): Promise<NotificationRow[]> {
      if (failed.userId === null) return []; // a team channel post has no next rule
      const [next] = await executor
        .select({ id: notifications.id })
        .from(notifications)
        .where(
          and(
            eq(notifications.incidentId, failed.incidentId),
            eq(notifications.level, failed.level),
            eq(notifications.repetition, failed.repetition),
            eq(notifications.userId, failed.userId),
            eq(notifications.status, 'pending'),
            gt(notifications.scheduledAt, at),
          ),
        )
        .orderBy(asc(notifications.scheduledAt), asc(notifications.id))
        .limit(1);
      if (next === undefined) return [];
      return executor
        .update(notifications)
        .set({ scheduledAt: at, updatedAt: at })
        .where(and(eq(notifications.id, next.id), eq(notifications.status, 'pending')))
        .returning();
    },
  };
}

export type PhoneRepository = ReturnType<typeof createPhoneRepository>;
