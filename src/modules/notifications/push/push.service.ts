import { ECDH } from 'node:crypto';
import type { Principal } from '../../../core/principal.js';
import type { Database } from '../../../db/client.js';
import { encryptSecret } from '../../../lib/crypto.js';
import { AppError } from '../../../lib/errors.js';
import { uuidv7 } from '../../../lib/ids.js';
import { type OutboundGuard, OutboundUrlRefusedError } from '../../../lib/outbound-guard.js';
import type { SubscriptionKeys } from '../channels/webpush.js';
import type { PushRepository } from './push.repository.js';
import type { VapidKeySource } from './vapid-keys.js';

export interface NewSubscription {
  endpoint: string;
  keys: SubscriptionKeys;
  label?: string | null | undefined;
}

const decodedLength = (value: string) => Buffer.from(value, 'base64url').length;

/**
 * RFC 8291's p256dh: an uncompressed point (0x04, then x and y) that is on P-256. The prefix and
 * length alone let one random 65-byte value in 256 through; a key off the curve fails only when a
 * page is encrypted for it, so it is refused here (OpenSSL's conversion checks the point).
 */
function isUncompressedP256Point(value: string): boolean {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.length !== 65 || bytes[0] !== 4) return false;
  try {
    ECDH.convertKey(bytes, 'prime256v1');
    return true;
  } catch {
    return false;
  }
}

/**
 * Browser push subscriptions of the signed-in person's own devices. A subscription is a
 * `webpush` contact method: the endpoint is its address, the browser's keys its (encrypted)
 * secret. A browser has one subscription per site, so subscribing an endpoint that is already
 * stored (someone else signed in on that browser before) moves it to whoever subscribes now.
 */
export function createPushService(deps: {
  db: Database;
  repository: PushRepository;
  vapid: Pick<VapidKeySource, 'details'>;
  outboundGuard: Pick<OutboundGuard, 'checkUrl'>;
  masterKey: Buffer;
  now?: () => Date;
}) {
  const { db, repository } = deps;
  const now = deps.now ?? (() => new Date());

  return {
    publicKey: async () => (await deps.vapid.details()).publicKey,

    async subscribe(actor: Principal, input: NewSubscription) {
      // RFC 8291: p256dh is an uncompressed P-256 point, auth a 16-byte secret.
      const errors = [
        ...(isUncompressedP256Point(input.keys.p256dh)
          ? []
          : [{ path: 'keys.p256dh', message: 'must be an uncompressed P-256 public key (65 bytes, base64url)' }]),
        ...(decodedLength(input.keys.auth) === 16
          ? []
          : [{ path: 'keys.auth', message: 'must be 16 bytes, base64url' }]),
      ];
      if (errors.length > 0) throw new AppError('validation-failed', 'Not a push subscription', { errors });
      try {
        // The push service's URL is reached like any webhook: public addresses only (SSRF).
        await deps.outboundGuard.checkUrl(input.endpoint);
      } catch (error) {
        if (!(error instanceof OutboundUrlRefusedError)) throw error;
        throw new AppError('outbound-url-refused', `The endpoint ${error.message}`, {
          errors: [{ path: 'endpoint', message: error.message }],
        });
      }
      const keys = JSON.stringify({ p256dh: input.keys.p256dh, auth: input.keys.auth });
      return db.transaction(async (tx) => {
        await repository.deleteSubscriptions(tx, input.endpoint);
        return repository.insertSubscription(tx, {
          id: uuidv7(),
          userId: actor.userId,
          type: 'webpush',
          label: input.label ?? null,
          address: input.endpoint,
          secretEncrypted: encryptSecret(deps.masterKey, keys),
          createdAt: now(),
        });
      });
    },

    async unsubscribe(actor: Principal, endpoint: string) {
      if ((await repository.deleteSubscriptions(db, endpoint, actor.userId)) === 0) {
        throw new AppError('contact-method-not-found', 'This device has no push subscription of yours');
      }
    },

    /** The push service said the subscription is gone (404/410): nobody can be reached there. */
    async forget(endpoint: string) {
      await repository.deleteSubscriptions(db, endpoint);
    },
  };
}

export type PushService = ReturnType<typeof createPushService>;
