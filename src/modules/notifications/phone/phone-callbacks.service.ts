import type { Database } from '../../../db/client.js';
import type { NotificationRow } from '../../../db/schema/index.js';
import type { IncidentsRepository } from '../../incidents/incidents.repository.js';
import type { EscalationStep } from '../../incidents/incidents.service.js';
import type { NotificationsRepository } from '../notifications.repository.js';
import type { PhoneRepository } from './phone.repository.js';
import type { PhoneProviderName } from './phone-config.js';
import { FAILED_DELIVERY_STATES, type PhoneEvent } from './phone-provider.js';
import { incidentRef, parseReply } from './phone-texts.js';

type PagedAction = 'acknowledge' | 'resolve';

/**
 * What verified provider callbacks do: replies and key presses act on incidents as the person the
 * number belongs to; delivery states update the notification log, and a failed or unanswered page
 * brings the person's next rule forward. Each callback acts once, whatever the replays.
 * Returns the short answer to give the caller (SMS text or speech), or null.
 */
export function createPhoneCallbacksService(deps: {
  db: Database;
  repository: PhoneRepository;
  notificationsRepository: Pick<NotificationsRepository, 'findById' | 'finish' | 'insertAttempt'>;
  incidentsRepository: Pick<IncidentsRepository, 'findById' | 'insertTimeline'>;
  actAsPagedPerson: (
    userId: string,
    incidentId: string,
    action: PagedAction,
    how: string,
  ) => Promise<{ changed: boolean }>;
  /** The escalation engine: run a step now (key 3), send notifications now (next rule). */
  runStep: (step: EscalationStep) => Promise<'ran' | 'stale'>;
  sendNow: (rows: NotificationRow[]) => Promise<void>;
  /**
   * Sends the answer to a reply by SMS, for providers that cannot answer in the callback's
   * response (Vonage). It goes through the dispatcher: allowlist and per-number limit apply.
   */
  sendAnswer: (to: string, text: string) => Promise<unknown>;
  now: () => Date;
}) {
  const { db, repository, now } = deps;

  async function act(userId: string, incidentId: string, action: PagedAction, how: string): Promise<string> {
    const { changed } = await deps.actAsPagedPerson(userId, incidentId, action, how);
    const ref = incidentRef(incidentId);
    if (action === 'acknowledge')
      return changed ? `Acknowledged ${ref}.` : `${ref} was not triggered: nothing to acknowledge.`;
    return changed ? `Resolved ${ref}.` : `${ref} was already resolved.`;
  }

  async function escalate(userId: string, incidentId: string): Promise<string> {
    const incident = await deps.incidentsRepository.findById(db, incidentId);
    if (incident?.status !== 'triggered' || incident.escalationLevel === null) {
      return 'There is no further level to escalate to.';
    }
    await deps.incidentsRepository.insertTimeline(db, [
      {
        incidentId,
        kind: 'note',
        userId,
        message: 'Escalation to the next level requested from a phone call',
        createdAt: now(),
      },
    ]);
    const ran = await deps.runStep({
      incidentId,
      level: incident.escalationLevel,
      repetition: incident.escalationRepetition,
    });
    return ran === 'ran' ? 'Escalated to the next level.' : 'The incident changed meanwhile: nothing escalated.';
  }

  async function reply(from: string, text: string): Promise<string> {
    const owners = new Set((await repository.verifiedMethodsOf(db, from)).map((method) => method.userId));
    const [userId] = owners;
    if (owners.size !== 1 || userId === undefined) return 'This number is not registered with Klaxon.';
    const parsed = parseReply(text);
    if (parsed === undefined)
      return 'Reply 1 or ACK to acknowledge, 2 or RESOLVE to resolve, with the ref when several incidents are open.';
    const open = await repository.openIncidentsPagedTo(db, userId);
    const candidates =
      parsed.ref === undefined ? open : open.filter((incident) => incidentRef(incident.id) === parsed.ref);
    const [only] = candidates;
    if (only === undefined)
      return parsed.ref === undefined
        ? 'No open incident was paged to you.'
        : `No open incident has ref ${parsed.ref}.`;
    if (candidates.length > 1) {
      const refs = candidates
        .slice(0, 5)
        .map((incident) => incidentRef(incident.id))
        .join(', ');
      return `${candidates.length} incidents are open (refs ${refs}): reply e.g. "1 ${incidentRef(only.id)}".`;
    }
    return act(userId, only.id, parsed.action, 'by SMS reply');
  }

  async function keypress(provider: PhoneProviderName, callId: string, digit: string): Promise<string> {
    const call = await repository.findMessageByProviderId(db, provider, callId);
    if (call?.userId == null || call.incidentId === null) return 'Goodbye.';
    switch (digit) {
      case '1':
        return act(call.userId, call.incidentId, 'acknowledge', 'by a key press in a call');
      case '2':
        return act(call.userId, call.incidentId, 'resolve', 'by a key press in a call');
      case '3':
        return escalate(call.userId, call.incidentId);
      default:
        return 'No action taken. Goodbye.';
    }
  }

  async function status(provider: PhoneProviderName, messageId: string, state: string, detail: string | null) {
    const message = await repository.findMessageByProviderId(db, provider, messageId);
    if (message === undefined) return;
    const at = now();
    await repository.updateMessage(db, message.id, { status: state, statusDetail: detail, updatedAt: at });
    if (!FAILED_DELIVERY_STATES.has(state) || message.notificationId === null) return;
    const notification = await deps.notificationsRepository.findById(db, message.notificationId);
    if (notification === undefined) return;
    await db.transaction(async (tx) => {
      await deps.notificationsRepository.insertAttempt(tx, {
        notificationId: notification.id,
        attempt: notification.attempts,
        outcome: 'permanent_failure',
        detail,
        durationMs: 0,
        createdAt: at,
      });
      await deps.notificationsRepository.finish(tx, notification.id, { status: 'failed', lastError: detail }, at);
      await deps.incidentsRepository.insertTimeline(tx, [
        {
          incidentId: notification.incidentId,
          kind: 'notification_failed',
          message: `The ${message.kind === 'sms' ? 'SMS' : 'call'} did not reach the person (${state}): trying their next rule now`,
          metadata: { notificationId: notification.id, userId: notification.userId, level: notification.level },
          createdAt: at,
        },
      ]);
    });
    await deps.sendNow(await repository.bringNextRuleForward(db, notification, at));
  }

  return {
    /** Acts on one verified callback; a replay (same key) does nothing and answers null. */
    async handle(provider: PhoneProviderName, event: PhoneEvent): Promise<string | null> {
      if (!(await repository.firstDelivery(db, provider, event.key, now()))) return null;
      try {
        switch (event.kind) {
          case 'reply': {
            const answer = await reply(event.from, event.text);
            if (provider === 'vonage') await deps.sendAnswer(event.from, answer);
            return answer;
          }
          case 'keypress':
            return await keypress(provider, event.providerMessageId, event.digit);
          case 'status':
            await status(provider, event.providerMessageId, event.status, event.detail);
            return null;
        }
      } catch (error) {
        // Not acted on: the provider's retry may try again.
        await repository.forgetDelivery(db, provider, event.key);
        throw error;
      }
    },
  };
}

export type PhoneCallbacksService = ReturnType<typeof createPhoneCallbacksService>;
