import type { PhoneMessageKind, PhoneMessagePurpose } from '../../../core/phone.js';
import type { Database } from '../../../db/client.js';
import { uuidv7 } from '../../../lib/ids.js';
import type { DeliveryResult } from '../channels.js';
import { NOT_SENT, type PhoneRepository } from './phone.repository.js';
import type { PhoneConfig } from './phone-config.js';
import { isCountryAllowed, parsePhoneNumber } from './phone-number.js';
import type { PhoneProvider } from './phone-provider.js';

export interface PhoneSend {
  kind: PhoneMessageKind;
  to: string;
  /** The SMS text, or what the call says. */
  text: string;
  purpose: PhoneMessagePurpose;
  userId?: string | null;
  notificationId?: string | null;
  incidentId?: string | null;
}

const HOUR_MS = 3_600_000;

/**
 * Every SMS and call goes through here: the country allowlist and the per-number rate limit
 * (toll fraud), then the country's preferred provider and the others in turn until one accepts.
 * Each attempt is a phone_messages row, which status callbacks and replies find again.
 */
export function createPhoneDispatcher(deps: {
  db: Database;
  repository: PhoneRepository;
  config: Pick<PhoneConfig, 'allowedCountries' | 'rateLimitPerHour' | 'providerByCountry'>;
  providers: PhoneProvider[];
  now: () => Date;
}) {
  const { db, repository, config, now } = deps;

  function providersFor(kind: PhoneMessageKind, callingCode: string): PhoneProvider[] {
    const capable = deps.providers.filter((provider) => kind === 'sms' || provider.call !== undefined);
    const preferred = config.providerByCountry[callingCode];
    return [
      ...capable.filter((provider) => provider.name === preferred),
      ...capable.filter((provider) => provider.name !== preferred),
    ];
  }

  return {
    /** Whether any configured provider can send this kind. */
    canSend: (kind: PhoneMessageKind) => deps.providers.some((p) => kind === 'sms' || p.call !== undefined),

    async send(request: PhoneSend): Promise<DeliveryResult & { rateLimited?: boolean }> {
      const number = parsePhoneNumber(request.to);
      if (number === undefined) return { outcome: 'permanent_failure', detail: 'refused: not a valid phone number' };
      if (!isCountryAllowed(number, config.allowedCountries)) {
        return {
          outcome: 'permanent_failure',
          detail: `refused: +${number.callingCode} is not in KLAXON_PHONE_ALLOWED_COUNTRIES`,
        };
      }
      const since = new Date(now().getTime() - HOUR_MS);
      if ((await repository.countSentTo(db, number.e164, since)) >= config.rateLimitPerHour) {
        return {
          outcome: 'permanent_failure',
          detail: `rate limited: ${config.rateLimitPerHour} messages and calls to this number in the last hour`,
          rateLimited: true,
        };
      }
      const candidates = providersFor(request.kind, number.callingCode);
      if (candidates.length === 0) {
        return {
          outcome: 'permanent_failure',
          detail: `no ${request.kind === 'sms' ? 'SMS' : 'voice'} provider is configured`,
        };
      }
      const failures: string[] = [];
      let retryable = false;
      for (const provider of candidates) {
        const id = uuidv7();
        const at = now();
        await repository.insertMessage(db, {
          id,
          provider: provider.name,
          kind: request.kind,
          purpose: request.purpose,
          toNumber: number.e164,
          userId: request.userId ?? null,
          notificationId: request.notificationId ?? null,
          incidentId: request.incidentId ?? null,
          status: 'sending',
          createdAt: at,
          updatedAt: at,
        });
        const answer =
          request.kind === 'sms'
            ? await provider.sendSms(number.e164, request.text)
            : await (provider.call as NonNullable<PhoneProvider['call']>)(number.e164, request.text);
        if (answer.ok) {
          await repository.updateMessage(db, id, {
            providerMessageId: answer.providerMessageId,
            status: answer.status,
            updatedAt: now(),
          });
          return { outcome: 'sent', detail: `${provider.name}: ${answer.status}` };
        }
        await repository.updateMessage(db, id, { status: NOT_SENT, statusDetail: answer.detail, updatedAt: now() });
        failures.push(`${provider.name}: ${answer.detail}`);
        retryable ||= answer.retryable;
      }
      return {
        outcome: retryable ? 'transient_failure' : 'permanent_failure',
        detail: failures.join('; ').slice(0, 500),
      };
    },
  };
}

export type PhoneDispatcher = ReturnType<typeof createPhoneDispatcher>;
