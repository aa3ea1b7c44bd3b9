import type { Database } from '../../../db/client.js';
import type { NotificationRow } from '../../../db/schema/index.js';
import type { ChannelSender, DeliveryResult } from '../channels.js';
import type { NotificationsRepository } from '../notifications.repository.js';
import type { PhoneRepository } from './phone.repository.js';
import type { PhoneDispatcher } from './phone-dispatcher.js';
import { callSpeech, smsText } from './phone-texts.js';

/**
 * The `sms` and `voice` channels. A page to a number that is not verified is refused here as well
 * as at planning (a number cannot be re-pointed, but it is cheap to be sure). When a page cannot
 * go out at all, the person's next notification rule is brought forward rather than waiting.
 */
export function createPhoneChannels(deps: {
  db: Database;
  dispatcher: PhoneDispatcher;
  notificationsRepository: Pick<NotificationsRepository, 'findById' | 'findContactMethod'>;
  phoneRepository: Pick<PhoneRepository, 'bringNextRuleForward'>;
  /** Sends notifications now (the escalation engine's sendNow; late-bound, the engine is built after the channels). */
  sendNow: (rows: NotificationRow[]) => Promise<void>;
  now: () => Date;
}): { sms: ChannelSender; voice: ChannelSender } {
  const { db } = deps;

  const channel = (kind: 'sms' | 'voice'): ChannelSender => ({
    async send(destination, message): Promise<DeliveryResult> {
      const notification = await deps.notificationsRepository.findById(db, destination.messageId);
      if (notification?.contactMethodId != null) {
        const method = await deps.notificationsRepository.findContactMethod(db, notification.contactMethodId);
        if (method?.verifiedAt === null) {
          return { outcome: 'permanent_failure', detail: 'skipped: the phone number is not verified' };
        }
      }
      const isTest = notification === undefined;
      const result = await deps.dispatcher.send({
        kind,
        to: destination.address,
        text: kind === 'sms' ? smsText(message, isTest) : callSpeech(message, isTest),
        purpose: isTest ? 'test' : 'notification',
        userId: notification?.userId ?? null,
        notificationId: notification?.id ?? null,
        incidentId: notification?.incidentId ?? null,
      });
      if (notification !== undefined && result.outcome === 'permanent_failure') {
        await deps.sendNow(await deps.phoneRepository.bringNextRuleForward(db, notification, deps.now()));
      }
      return result;
    },
  });

  return { sms: channel('sms'), voice: channel('voice') };
}
