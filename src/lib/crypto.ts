import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** `bytes` bytes from the CSPRNG, as lowercase hex. */
export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

export function sha256Hex(value: string | Buffer): string {
  return createHash('sha256').update(value).digest('hex');
}

export type HmacAlgorithm = 'sha256' | 'sha512';

export function hmac(algorithm: HmacAlgorithm, key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

/**
 * Constant-time equality of two strings or buffers. Inputs of different length are compared
 * against themselves first so the time taken does not reveal where they differ.
 */
export function constantTimeEqual(a: string | Buffer, b: string | Buffer): boolean {
  const left = typeof a === 'string' ? Buffer.from(a, 'utf8') : a;
  const right = typeof b === 'string' ? Buffer.from(b, 'utf8') : b;
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

const CIPHER = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const ENVELOPE_VERSION = 'v1';

/**
 * AES-256-GCM encryption of a secret under the 32-byte master key.
 * Output: `v1:<iv b64>:<tag b64>:<ciphertext b64>`, self-describing so the format can evolve.
 */
export function encryptSecret(masterKey: Buffer, plaintext: string): string {
  assertKey(masterKey);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, masterKey, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [ENVELOPE_VERSION, iv.toString('base64'), tag.toString('base64'), ciphertext.toString('base64')].join(':');
}

export function decryptSecret(masterKey: Buffer, envelope: string): string {
  assertKey(masterKey);
  const [version, iv, tag, ciphertext] = envelope.split(':');
  if (version !== ENVELOPE_VERSION || iv === undefined || tag === undefined || ciphertext === undefined) {
    throw new Error('Unrecognised secret envelope');
  }
  const decipher = createDecipheriv(CIPHER, masterKey, Buffer.from(iv, 'base64'), { authTagLength: TAG_BYTES });
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
}

function assertKey(masterKey: Buffer): void {
  if (masterKey.length !== 32) throw new Error('The master key must be 32 bytes');
}
