import { randomInt } from 'node:crypto';
import type { Principal } from '../../../core/principal.js';
import type { Database } from '../../../db/client.js';
import type { ContactMethodRow } from '../../../db/schema/index.js';
import { constantTimeEqual, hmac } from '../../../lib/crypto.js';
import { AppError } from '../../../lib/errors.js';
import type { NotificationsRepository } from '../notifications.repository.js';
import type { PhoneRepository } from './phone.repository.js';
import type { PhoneDispatcher } from './phone-dispatcher.js';
import { isCountryAllowed, parsePhoneNumber } from './phone-number.js';
import { verificationSms, verificationSpeech } from './phone-texts.js';

const CODE_TTL_MINUTES = 10;
const MAX_ATTEMPTS = 5;
const RESEND_INTERVAL_MS = 30_000;

export const isPhoneType = (type: string): type is 'sms' | 'voice' => type === 'sms' || type === 'voice';

/**
 * Proving a phone number before it is paged: a six-digit code sent by SMS (or read out in a call
 * for `voice` methods), kept only as an HMAC under a key derived from the master key, valid for
 * ten minutes and for five guesses. Resending replaces the code, at most every 30 s, and counts
 * towards the number's hourly rate limit like any message.
 */
export function createPhoneVerificationService(deps: {
  db: Database;
  repository: PhoneRepository;
  notificationsRepository: Pick<NotificationsRepository, 'findContactMethod'>;
  dispatcher: PhoneDispatcher;
  allowedCountries: readonly string[];
  masterKey: Buffer;
  now: () => Date;
}) {
  const { db, repository, now } = deps;
  const codeKey = hmac('sha256', deps.masterKey, 'klaxon:phone-verification-code');
  const hashOf = (methodId: string, code: string) => hmac('sha256', codeKey, `${methodId}:${code}`).toString('hex');

  async function ownPhoneMethod(actor: Principal, id: string): Promise<ContactMethodRow> {
    const method = await deps.notificationsRepository.findContactMethod(db, id);
    if (method === undefined || (method.userId !== actor.userId && !actor.isPlatformAdmin)) {
      throw new AppError('contact-method-not-found', `No contact method with id ${id}`);
    }
    if (!isPhoneType(method.type)) throw new AppError('bad-request', 'Only sms and voice contact methods are verified');
    return method;
  }

  async function sendCode(method: ContactMethodRow) {
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const at = now();
    await repository.putVerification(db, {
      contactMethodId: method.id,
      codeHash: hashOf(method.id, code),
      attempts: 0,
      expiresAt: new Date(at.getTime() + CODE_TTL_MINUTES * 60_000),
      sentAt: at,
    });
    return deps.dispatcher.send({
      kind: method.type === 'voice' ? 'voice' : 'sms',
      to: method.address,
      text: method.type === 'voice' ? verificationSpeech(code) : verificationSms(code, CODE_TTL_MINUTES),
      purpose: 'verification',
      userId: method.userId,
    });
  }

  return {
    /** The number in E.164, or a 400 naming why it cannot be a contact method. */
    normalize(address: string): string {
      const number = parsePhoneNumber(address);
      if (number === undefined) {
        throw new AppError('phone-number-invalid', 'Write the number in international form, e.g. +14155550100', {
          errors: [{ path: 'address', message: 'not a valid phone number in international form' }],
        });
      }
      if (!isCountryAllowed(number, deps.allowedCountries)) {
        const detail =
          deps.allowedCountries.length === 0
            ? 'No country is allowed yet: the operator sets KLAXON_PHONE_ALLOWED_COUNTRIES'
            : `+${number.callingCode} is not among the allowed country codes (${deps.allowedCountries.map((c) => `+${c}`).join(', ')})`;
        throw new AppError('phone-country-not-allowed', detail, { errors: [{ path: 'address', message: detail }] });
      }
      return number.e164;
    },

    /** Sends the first code of a new method; a failure is reported, not thrown (the method exists, resend later). */
    sendFirstCode: (method: ContactMethodRow) => sendCode(method),

    async resend(actor: Principal, id: string) {
      const method = await ownPhoneMethod(actor, id);
      if (method.verifiedAt !== null) throw new AppError('phone-already-verified');
      const pending = await repository.findVerification(db, id);
      if (pending !== undefined && now().getTime() - pending.sentAt.getTime() < RESEND_INTERVAL_MS) {
        throw new AppError('rate-limited', 'A code was sent less than 30 seconds ago', {
          headers: { 'retry-after': '30' },
        });
      }
      const result = await sendCode(method);
      if (result.outcome !== 'sent') {
        throw new AppError(
          result.rateLimited ? 'rate-limited' : 'phone-delivery-failed',
          result.detail ?? 'The code could not be sent',
        );
      }
      return { expiresInMinutes: CODE_TTL_MINUTES };
    },

    async verify(actor: Principal, id: string, code: string): Promise<ContactMethodRow> {
      const method = await ownPhoneMethod(actor, id);
      if (method.verifiedAt !== null) throw new AppError('phone-already-verified');
      const pending = await repository.findVerification(db, id);
      if (pending === undefined || pending.expiresAt.getTime() <= now().getTime()) {
        throw new AppError('verification-code-invalid', 'No code is pending or it expired: ask for a new one');
      }
      // The guess is counted before it is compared, so parallel guesses cannot exceed the limit.
      const attempts = await repository.countAttempt(db, id);
      if (attempts > MAX_ATTEMPTS) {
        await repository.deleteVerification(db, id);
        throw new AppError('verification-code-invalid', 'Too many wrong codes: ask for a new one');
      }
      if (!constantTimeEqual(hashOf(id, code), pending.codeHash)) {
        throw new AppError('verification-code-invalid', `Wrong code (${MAX_ATTEMPTS - attempts} attempt(s) left)`);
      }
      const taken = (await repository.verifiedMethodsOf(db, method.address)).some((m) => m.userId !== method.userId);
      if (taken) throw new AppError('phone-number-taken');
      const at = now();
      await db.transaction(async (tx) => {
        await repository.markVerified(tx, id, at);
        await repository.deleteVerification(tx, id);
      });
      return { ...method, verifiedAt: at };
    },
  };
}

export type PhoneVerificationService = ReturnType<typeof createPhoneVerificationService>;
