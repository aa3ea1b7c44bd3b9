import type { SignatureAlgorithm, SignatureFormat, SignatureScheme } from '../../../core/integrations.js';

/** How an integration's requests are authenticated; taken from the integration row. */
export interface SignatureConfig {
  scheme: SignatureScheme;
  /** `signatureHeader`; matched case-insensitively. Not used by `standard-webhooks`, whose headers are fixed. */
  header: string;
  /** `signatureAlgorithm`; `hmac` only (`standard-webhooks` is always SHA-256). */
  algorithm: SignatureAlgorithm;
  /** `signatureFormat`; `hmac` only (`standard-webhooks` is always base64). */
  format: SignatureFormat;
  /** `signaturePrefix`, e.g. `sha256=` or `Bearer `; may be empty. */
  prefix: string;
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

export interface VerifyInput {
  /** Request headers, names lower-cased as Fastify gives them (other casings are found too). */
  headers: RequestHeaders;
  /** The body exactly as received. */
  rawBody: Buffer;
  /**
   * The integration's current `webhookSecret` first, then the previous one while a rotation
   * grace period lasts. Each secret's HMAC key is its UTF-8 bytes. Empty strings never match.
   */
  secrets: string[];
  now: Date;
}

/**
 * `reason` is a short sentence for the delivery log. It never contains a secret, the expected
 * signature or the value the sender presented.
 */
export type VerifyResult = { ok: true; webhookId?: string } | { ok: false; reason: string };

/**
 * A scheme's secret-independent work (reading and parsing headers, checking the timestamp)
 * done once, and a check to run against each secret's key bytes.
 */
export type PreparedCheck =
  | { ok: false; reason: string }
  | {
      ok: true;
      /** Must take the same time whether or not it matches. */
      matches: (key: Buffer) => boolean;
      mismatchReason: string;
      webhookId?: string;
    };
