import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { constantTimeEqual, decryptSecret, encryptSecret, hmac, randomHex, sha256Hex } from './crypto.js';

const key = randomBytes(32);

/** Flips one bit of one base64 field of a `v1:iv:tag:ciphertext` envelope. */
function tamper(envelope: string, field: 1 | 2 | 3): string {
  const parts = envelope.split(':');
  const bytes = Buffer.from(parts[field] ?? '', 'base64');
  bytes[0] = (bytes[0] ?? 0) ^ 0x01;
  parts[field] = bytes.toString('base64');
  return parts.join(':');
}

describe('encryptSecret / decryptSecret', () => {
  it('round-trips text, including empty and non-ASCII secrets', () => {
    for (const secret of ['a3f1'.repeat(16), '', 'pässwörd ✓ 🔑']) {
      expect(decryptSecret(key, encryptSecret(key, secret))).toBe(secret);
    }
  });

  it('uses a random IV, so two encryptions of one secret differ', () => {
    const first = encryptSecret(key, 'same secret');
    const second = encryptSecret(key, 'same secret');
    expect(first).not.toBe(second);
    expect(first.split(':')[1]).not.toBe(second.split(':')[1]);
    expect(first).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
  });

  it('never contains the plaintext', () => {
    const secret = 'plaintext-should-not-appear';
    const envelope = encryptSecret(key, secret);
    expect(envelope).not.toContain(secret);
    expect(envelope).not.toContain(Buffer.from(secret).toString('base64'));
  });

  it('rejects a tampered ciphertext, tag or IV', () => {
    const envelope = encryptSecret(key, 'webhook secret');
    expect(() => decryptSecret(key, tamper(envelope, 3))).toThrow();
    expect(() => decryptSecret(key, tamper(envelope, 2))).toThrow();
    expect(() => decryptSecret(key, tamper(envelope, 1))).toThrow();
  });

  it('rejects the wrong key, a key of the wrong size and an unknown envelope', () => {
    const envelope = encryptSecret(key, 'webhook secret');
    expect(() => decryptSecret(randomBytes(32), envelope)).toThrow();
    expect(() => decryptSecret(randomBytes(16), envelope)).toThrow(/32 bytes/);
    expect(() => encryptSecret(randomBytes(31), 'x')).toThrow(/32 bytes/);
    expect(() => decryptSecret(key, envelope.replace(/^v1:/, 'v2:'))).toThrow(/Unrecognised/);
    expect(() => decryptSecret(key, 'not an envelope')).toThrow(/Unrecognised/);
  });
});

describe('constantTimeEqual', () => {
  it.each([
    ['abc', 'abc', true],
    ['', '', true],
    ['abc', 'abd', false],
    ['abc', 'abcd', false],
    ['abcd', 'abc', false],
    ['', 'a', false],
    ['é', 'e\u0301', false],
  ])('%j vs %j → %s', (a, b, expected) => {
    expect(constantTimeEqual(a, b)).toBe(expected);
  });

  it('compares buffers and mixed inputs by bytes', () => {
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 3]))).toBe(true);
    expect(constantTimeEqual(Buffer.from([1, 2, 3]), Buffer.from([1, 2, 4]))).toBe(false);
    expect(constantTimeEqual('hi', Buffer.from('hi'))).toBe(true);
  });
});

describe('hashes and randomness', () => {
  it('sha256Hex matches the FIPS 180-2 test vector', () => {
    expect(sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('hmac matches RFC 4231 test case 2', () => {
    const data = 'what do ya want for nothing?';
    expect(hmac('sha256', 'Jefe', data).toString('hex')).toBe(
      '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
    );
    expect(hmac('sha512', 'Jefe', data).toString('hex')).toBe(
      '164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737',
    );
  });

  it('randomHex returns lowercase hex of the requested size, never the same twice', () => {
    const a = randomHex(32);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(randomHex(32)).not.toBe(a);
  });
});
