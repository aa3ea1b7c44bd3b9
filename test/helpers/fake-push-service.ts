import { createDecipheriv, createECDH, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { importJWK, jwtVerify } from 'jose';

/**
 * A browser's subscription: a real P-256 key pair and auth secret, as `PushManager.subscribe`
 * makes them; the private key stays here, so only this side can read what is pushed to it.
 */
export interface FakeSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
  ecdh: ReturnType<typeof createECDH>;
  authSecret: Buffer;
}

export interface ReceivedPush {
  endpoint: string;
  /** The decrypted payload, parsed as JSON. */
  payload: Record<string, unknown>;
  /** The VAPID key (`k=`) that signed the request's JWT. */
  vapidPublicKey: string;
  claims: { aud?: unknown; sub?: unknown; exp?: unknown };
  ttl: string | undefined;
  urgency: string | undefined;
}

/**
 * RFC 8291 (Message Encryption for Web Push) on the receiving side: the aes128gcm body of RFC 8188
 * is `salt(16) | rs(4) | idlen(1) | keyid(=the sender's ephemeral public key) | ciphertext`; the
 * content key and nonce come from HKDF over ECDH(ua private, as public) with the auth secret.
 */
export function decryptPush(body: Buffer, subscription: Pick<FakeSubscription, 'ecdh' | 'authSecret'>): Buffer {
  const salt = body.subarray(0, 16);
  const idLength = body.readUInt8(20);
  const senderPublic = body.subarray(21, 21 + idLength);
  const ciphertext = body.subarray(21 + idLength);
  const receiverPublic = subscription.ecdh.getPublicKey();
  const shared = subscription.ecdh.computeSecret(senderPublic);
  const keyInfo = Buffer.concat([Buffer.from('WebPush: info\0'), receiverPublic, senderPublic]);
  const ikm = Buffer.from(hkdfSync('sha256', shared, subscription.authSecret, keyInfo, 32));
  const cek = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: aes128gcm\0'), 16));
  const nonce = Buffer.from(hkdfSync('sha256', ikm, salt, Buffer.from('Content-Encoding: nonce\0'), 12));
  const decipher = createDecipheriv('aes-128-gcm', cek, nonce);
  decipher.setAuthTag(ciphertext.subarray(ciphertext.length - 16));
  const padded = Buffer.concat([decipher.update(ciphertext.subarray(0, ciphertext.length - 16)), decipher.final()]);
  // One record: the data, the delimiter 0x02 ("last record"), then zero padding.
  let end = padded.length - 1;
  while (end >= 0 && padded[end] === 0) end--;
  if (padded[end] !== 2) throw new Error('no last-record delimiter');
  return padded.subarray(0, end);
}

/**
 * A push service (RFC 8030 §5) on loopback: `POST /push/<id>` with `TTL`, `Content-Encoding:
 * aes128gcm` and `Authorization: vapid t=<JWT>, k=<public key>` (RFC 8292 §2–3): the JWT must be
 * ES256 under `k`, with `aud` = this origin, a `sub`, and `exp` within 24 hours, else 401/403.
 * Accepted messages are decrypted with the subscription's private keys and kept; 201 as
 * push services answer. Subscriptions marked gone answer 410 (RFC 8030 §7.3).
 */
export async function startFakePushService() {
  const received: ReceivedPush[] = [];
  const subscriptions = new Map<string, FakeSubscription>();
  const gone = new Set<string>();
  let origin = '';

  async function accept(path: string, headers: Record<string, string | string[] | undefined>, body: Buffer) {
    const id = /^\/push\/([\w-]+)$/.exec(path)?.[1];
    const subscription = id === undefined ? undefined : subscriptions.get(id);
    if (subscription === undefined || gone.has(subscription.endpoint)) return 410;
    if (headers.ttl === undefined) return 400;
    if (headers['content-encoding'] !== 'aes128gcm') return 415;
    const vapid = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(String(headers.authorization ?? ''));
    if (vapid === null) return 401;
    const [, token = '', k = ''] = vapid;
    const point = Buffer.from(k, 'base64url');
    if (point.length !== 65 || point[0] !== 4) return 401;
    const key = await importJWK(
      {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      'ES256',
    );
    let claims: ReceivedPush['claims'];
    try {
      claims = (await jwtVerify(token, key, { algorithms: ['ES256'], audience: origin })).payload;
    } catch {
      return 403;
    }
    const exp = Number(claims.exp);
    if (typeof claims.sub !== 'string' || !(exp > Date.now() / 1000 && exp <= Date.now() / 1000 + 86_400)) return 403;
    received.push({
      endpoint: subscription.endpoint,
      payload: JSON.parse(decryptPush(body, subscription).toString('utf8')),
      vapidPublicKey: k,
      claims,
      ttl: headers.ttl as string,
      urgency: headers.urgency as string | undefined,
    });
    return 201;
  }

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const done = (status: number) => response.writeHead(status).end();
      if (request.method !== 'POST') return done(405);
      accept(request.url ?? '', request.headers, Buffer.concat(chunks)).then(done, () => done(400));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    origin,
    received,
    /** A new browser subscription at this push service. */
    subscribe(): FakeSubscription {
      const ecdh = createECDH('prime256v1');
      ecdh.generateKeys();
      const authSecret = randomBytes(16);
      const id = randomUUID();
      const subscription = {
        endpoint: `${origin}/push/${id}`,
        keys: { p256dh: ecdh.getPublicKey().toString('base64url'), auth: authSecret.toString('base64url') },
        ecdh,
        authSecret,
      };
      subscriptions.set(id, subscription);
      return subscription;
    },
    /** The browser dropped the subscription: the push service answers 410 from now on. */
    expire: (endpoint: string) => gone.add(endpoint),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
