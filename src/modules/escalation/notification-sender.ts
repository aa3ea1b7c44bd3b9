import type { Executor } from '../../db/client.js';
import type { IncidentRow, NotificationRow } from '../../db/schema/index.js';
import { decryptSecret } from '../../lib/crypto.js';
import { uuidv7 } from '../../lib/ids.js';
import { signActionToken } from '../incidents/action-tokens.js';
import type { DeliveryResult, NotificationMessage } from '../notifications/channels.js';
import { createEscalationRepository } from './escalation.repository.js';
import type { EscalationEngineOptions } from './escalation-engine.js';

/** A sender that died mid-send gives up its claim after this; below the jobs' expiry, so the retry can claim. */
const SEND_LEASE_MS = 45_000;

export type NotificationSenderDeps = Pick<
  EscalationEngineOptions,
  | 'database'
  | 'incidentsRepository'
  | 'policiesRepository'
  | 'notificationsRepository'
  | 'channels'
  | 'masterKey'
  | 'actionTokenKey'
  | 'publicUrl'
  | 'actionLinkTtlMinutes'
  | 'teamChannel'
  | 'now'
>;

/** Why a notification was sent, as its message says. */
const reasonOf = (notification: NotificationRow) =>
  notification.level < 0
    ? 'The incident was assigned to you'
    : `Escalation level ${notification.level + 1}, round ${notification.repetition + 1}`;

/**
 * Delivers one planned notification: claims its row (one sender wins), builds the message with
 * its one-click links, sends it on the person's contact method through the channels (and their
 * registry) or posts it to the team's chat channel, and records the attempt and the timeline
 * entry. A transient failure goes back to the job, which retries with backoff, like any channel.
 */
export function createNotificationSender(options: NotificationSenderDeps) {
  const { database, incidentsRepository, policiesRepository, notificationsRepository, channels } = options;
  const escalationRepository = createEscalationRepository();
  const db = database.db;
  const now = options.now ?? (() => new Date());

  /** The message of one send, with its one-click links (both tokens inserted in one statement). */
  async function messageFor(
    incident: IncidentRow,
    teamName: string | null,
    notification: NotificationRow & { userId: string },
  ): Promise<NotificationMessage> {
    const at = now();
    const expiresAt = new Date(at.getTime() + options.actionLinkTtlMinutes * 60_000);
    const token = (action: 'acknowledge' | 'resolve') => ({
      id: uuidv7(),
      incidentId: incident.id,
      userId: notification.userId,
      action,
      expiresAt,
      createdAt: at,
    });
    const acknowledge = token('acknowledge');
    const resolve = token('resolve');
    await incidentsRepository.insertActionTokens(db, [acknowledge, resolve]);
    const link = (id: string) =>
      `${options.publicUrl}/api/incidents/actions/${signActionToken(options.actionTokenKey, id)}`;
    return {
      incidentId: incident.id,
      incidentNumber: incident.number,
      title: incident.title,
      severity: incident.severity,
      status: incident.status,
      teamName: teamName ?? incident.teamId,
      alertCount: incident.alertCount,
      consoleUrl: `${options.publicUrl}/incidents/${incident.id}`,
      acknowledgeUrl: link(acknowledge.id),
      resolveUrl: link(resolve.id),
      reason: reasonOf(notification),
    };
  }

  /**
   * A person's notification: on their contact method, while they are still of the team. The
   * timeline names the person and the channel type only: an address can be a credential (a Slack
   * webhook URL). The address and the sender's detail stay in the metadata, which the incidents
   * service shows only to the person notified and to platform admins.
   */
  async function deliverToPerson(claimed: NotificationRow & { userId: string; contactMethodId: string }) {
    // The incident, its team's name, the method and the person's standing in one statement.
    const context = await escalationRepository.findDeliveryContext(
      db,
      claimed.incidentId,
      claimed.contactMethodId,
      claimed.userId,
    );
    const incident = context?.incident;
    const method =
      context === undefined
        ? await notificationsRepository.findContactMethod(db, claimed.contactMethodId)
        : (context.method ?? undefined);
    // Planned at the step, sent after the person's rule delay: they may have left the team (or
    // been disabled) in between. Then nothing is sent, and the timeline says why.
    if (context !== undefined && !context.ofTheTeam) return 'not-of-the-team' as const;
    const result: DeliveryResult =
      incident === undefined || method === undefined
        ? { outcome: 'permanent_failure', detail: 'the contact method was deleted' }
        : await channels.send(
            {
              type: method.type,
              address: method.address,
              secret: method.secretEncrypted === null ? null : decryptSecret(options.masterKey, method.secretEncrypted),
              messageId: claimed.id,
            },
            await messageFor(incident, context?.teamName ?? null, claimed),
          );
    const type = claimed.contactMethodType;
    return {
      result,
      async summary(executor: Executor, attempts: string) {
        const person =
          context?.personName ??
          (await policiesRepository.displayNamesByIds(executor, [claimed.userId])).get(claimed.userId) ??
          'someone';
        return {
          sent: `Notified ${person} by ${type}`,
          failed: `Could not notify ${person} by ${type} after ${attempts}`,
          metadata: { userId: claimed.userId, contactMethodType: type, address: method?.address ?? null },
        };
      },
    };
  }

  /** A post to the team's chat channel (a level's `team_channel` target). */
  async function deliverToTeamChannel(claimed: NotificationRow) {
    const result: DeliveryResult =
      options.teamChannel === undefined
        ? { outcome: 'permanent_failure', detail: 'no chat app is configured' }
        : await options.teamChannel.post(claimed.incidentId, reasonOf(claimed).toLowerCase());
    return {
      result,
      summary: async (_executor: Executor, attempts: string) => ({
        sent: "Posted to the team's chat channel",
        failed: `Could not post to the team's chat channel after ${attempts}`,
        metadata: { teamId: claimed.teamId, teamChannel: true, contactMethodType: claimed.contactMethodType },
      }),
    };
  }

  async function sendNotification(notificationId: string, isLastTry: boolean): Promise<void> {
    const claimed = await notificationsRepository.claim(db, notificationId, now(), SEND_LEASE_MS);
    if (claimed === undefined) {
      const current = await notificationsRepository.findById(db, notificationId);
      // Still pending but not claimable: its incident is no longer triggered.
      if (current?.status === 'pending') {
        await notificationsRepository.finish(db, notificationId, { status: 'cancelled' }, now());
      }
      return;
    }
    const started = performance.now();
    const { userId, contactMethodId } = claimed;
    const delivery =
      userId !== null && contactMethodId !== null
        ? await deliverToPerson({ ...claimed, userId, contactMethodId })
        : await deliverToTeamChannel(claimed);
    if (delivery === 'not-of-the-team') {
      const at = now();
      await db.transaction(async (tx) => {
        await notificationsRepository.finish(
          tx,
          claimed.id,
          { status: 'cancelled', claimedUntil: null, lastError: 'no longer a member of the team' },
          at,
        );
        await incidentsRepository.insertTimeline(tx, [
          {
            incidentId: claimed.incidentId,
            kind: 'target_skipped',
            message: `Not notified by ${claimed.contactMethodType}: no longer of the team`,
            metadata: { notificationId: claimed.id, userIds: [userId], scheduleIds: [] },
            createdAt: at,
          },
        ]);
      });
      return;
    }
    const { result } = delivery;
    const final = result.outcome !== 'transient_failure' || isLastTry;
    const durationMs = Math.round(performance.now() - started);
    const summary =
      result.outcome === 'sent' || final
        ? await delivery.summary(db, claimed.attempts === 1 ? '1 attempt' : `${claimed.attempts} attempts`)
        : undefined;
    await escalationRepository.recordSendOutcome(db, {
      notificationId: claimed.id,
      incidentId: claimed.incidentId,
      attempt: claimed.attempts,
      outcome: result.outcome,
      detail: result.detail,
      durationMs,
      status: result.outcome === 'sent' ? 'sent' : final ? 'failed' : 'pending',
      at: now(),
      ...(summary === undefined
        ? {}
        : {
            timeline: {
              kind: result.outcome === 'sent' ? 'notification_sent' : 'notification_failed',
              message: result.outcome === 'sent' ? summary.sent : summary.failed,
              metadata: {
                notificationId: claimed.id,
                level: claimed.level,
                ...summary.metadata,
                detail: result.detail,
              },
            },
          }),
    });
    // A transient failure goes back to pg-boss, which retries with backoff.
    if (!final) throw new Error(`notification ${claimed.id}: ${result.detail ?? 'transient failure'}`);
  }

  return { messageFor, sendNotification };
}
