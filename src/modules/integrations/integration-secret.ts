import { decryptSecret, encryptSecret, randomHex, sha256Hex } from '../../lib/crypto.js';

/** 32 CSPRNG bytes as 64 lowercase hex characters: the integration's webhookSecret. */
export function generateWebhookSecret(): string {
  return randomHex(32);
}

/** What is stored for a secret: ciphertext under the master key, a lookup hash, a display prefix. */
export function sealSecret(masterKey: Buffer, secret: string) {
  return {
    ciphertext: encryptSecret(masterKey, secret),
    hash: hashSecret(secret),
    prefix: `${secret.slice(0, 8)}...`,
  };
}

export function hashSecret(secret: string): string {
  return sha256Hex(secret);
}

export function openSecret(masterKey: Buffer, ciphertext: string): string {
  return decryptSecret(masterKey, ciphertext);
}

/** Standard Webhooks libraries take the key as `whsec_` + base64(key bytes); our key bytes are the secret's UTF-8. */
export function toStandardWebhooksSecret(secret: string): string {
  return `whsec_${Buffer.from(secret, 'utf8').toString('base64')}`;
}
