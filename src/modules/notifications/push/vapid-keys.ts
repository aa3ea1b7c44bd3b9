import webPush from 'web-push';
import type { Database } from '../../../db/client.js';
import { decryptSecret, encryptSecret } from '../../../lib/crypto.js';
import type { VapidDetails } from '../channels/webpush.js';
import type { PushRepository } from './push.repository.js';

export interface VapidKeyPair {
  publicKey: string;
  privateKey: string;
}

/**
 * The server's VAPID identity. Keys from the environment win (KLAXON_VAPID_PUBLIC_KEY and
 * KLAXON_VAPID_PRIVATE_KEY). Otherwise the first process that needs them generates a pair and
 * stores it in the database, the private key under the master key: every process on that
 * database (and, with the embedded database, the data directory that holds it) uses the same
 * pair, which browsers' subscriptions are bound to. Read once per process.
 */
export function createVapidKeySource(deps: {
  db: Database;
  repository: Pick<PushRepository, 'findVapidKeys' | 'insertVapidKeysIfAbsent'>;
  masterKey: Buffer;
  configured?: VapidKeyPair | undefined;
  subject: string;
}) {
  let pending: Promise<VapidDetails> | undefined;

  async function load(): Promise<VapidDetails> {
    if (deps.configured !== undefined) return { subject: deps.subject, ...deps.configured };
    let row = await deps.repository.findVapidKeys(deps.db);
    if (row === undefined) {
      const generated = webPush.generateVAPIDKeys();
      await deps.repository.insertVapidKeysIfAbsent(deps.db, {
        publicKey: generated.publicKey,
        privateKeyEncrypted: encryptSecret(deps.masterKey, generated.privateKey),
      });
      row = await deps.repository.findVapidKeys(deps.db);
      if (row === undefined) throw new Error('the VAPID keys were not stored');
    }
    return {
      subject: deps.subject,
      publicKey: row.publicKey,
      privateKey: decryptSecret(deps.masterKey, row.privateKeyEncrypted),
    };
  }

  return {
    details(): Promise<VapidDetails> {
      pending ??= load().catch((error: unknown) => {
        // A database hiccup is not remembered: the next call tries again.
        pending = undefined;
        throw error;
      });
      return pending;
    },
  };
}

export type VapidKeySource = ReturnType<typeof createVapidKeySource>;
