import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { parseNetwork } from '../../src/lib/outbound-guard.js';

/**
 * The receivers here listen on loopback, where Klaxon refuses to send chat and webhook
 * notifications unless told otherwise: tests that use them allow it explicitly.
 */
export const allowLoopbackReceivers = { outboundAllowedNetworks: [parseNetwork('127.0.0.0/8')] };
export const allowLoopbackReceiversEnv = { KLAXON_OUTBOUND_ALLOWED_NETWORKS: '127.0.0.0/8' };

export interface ReceivedMail {
  to: string[];
  raw: string;
}

/** A real SMTP server on loopback that keeps every message it receives. */
export async function startSmtpServer() {
  const mails: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Decodes quoted-printable soft line breaks and escapes, enough to read links out of a mail. */
export function mailText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

export function linksIn(raw: string): { acknowledge?: string; resolve?: string } {
  const text = mailText(raw);
  return {
    acknowledge: /Acknowledge: (\S+)/.exec(text)?.[1],
    resolve: /Resolve: (\S+)/.exec(text)?.[1],
  };
}

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Whether `standardwebhooks` accepted the signature (null: no secret configured for the path). */
  verified: boolean | null;
}

/** The library's tolerance between a message's timestamp and the receiver's clock. */
const STANDARD_WEBHOOKS_TOLERANCE_SECONDS = 5 * 60;

/**
 * The official library's verifier; with `now`, its timestamp tolerance is measured on that clock
 * (a test's, which the sender also uses) instead of the wall clock. The signature check is the
 * library's own either way.
 */
function standardWebhooksVerifier(secret: string, now: (() => Date) | undefined): Webhook {
  const webhook = new Webhook(secret);
  if (now === undefined) return webhook;
  return Object.assign(webhook, {
    verifyTimestamp(header: string) {
      const timestamp = Number.parseInt(header, 10);
      const skew = Math.abs(Math.floor(now().getTime() / 1000) - timestamp);
      if (Number.isNaN(timestamp) || skew > STANDARD_WEBHOOKS_TOLERANCE_SECONDS) {
        throw new Error(`message timestamp ${header} is outside the tolerance`);
      }
      return new Date(timestamp * 1000);
    },
  });
}

/**
 * An HTTP receiver on loopback. Per path it can verify Standard Webhooks signatures with the
 * official library (on the test's clock when `now` is given) and answer scripted status codes
 * (then 200).
 */
export async function startReceiver(options: { now?: () => Date } = {}) {
  const requests: ReceivedRequest[] = [];
  const secrets = new Map<string, string>();
  const scripts = new Map<string, number[]>();
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = request.url ?? '/';
      const secret = secrets.get(path);
      let verified: boolean | null = null;
      if (secret !== undefined) {
        try {
          standardWebhooksVerifier(secret, options.now).verify(body, request.headers as Record<string, string>);
          verified = true;
        } catch {
          verified = false;
        }
      }
      requests.push({ path, headers: request.headers, body, verified });
      const status = scripts.get(path)?.shift() ?? 200;
      response.writeHead(status, { 'content-type': 'text/plain' }).end(status < 300 ? 'ok' : 'nope');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: (path: string) => `http://127.0.0.1:${port}${path}`,
    requests,
    verifyWith: (path: string, secret: string) => secrets.set(path, secret),
    script: (path: string, statuses: number[]) => scripts.set(path, statuses),
    on: (path: string) => requests.filter((r) => r.path === path),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Polls until `check` returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function waitFor<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  // Only how long to wait before giving up: it returns as soon as the condition holds.
  timeoutMs = 60_000,
  what = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
