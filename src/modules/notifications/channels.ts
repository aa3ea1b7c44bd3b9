import http from 'node:http';
import https from 'node:https';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AttemptOutcome, ContactMethodType } from '../../db/schema/index.js';
import { uuidv7 } from '../../lib/ids.js';
import { addressBytes, type OutboundGuard, OutboundUrlRefusedError } from '../../lib/outbound-guard.js';
import { fromStandardWebhooksSecret, signStandardWebhooks } from '../webhooks/signatures/standard-webhooks.js';

/** The facts every channel carries, whatever its format. */
export interface NotificationMessage {
  incidentId: string;
  /** The incident's short number (`#123`); absent for a test message. */
  incidentNumber?: number;
  title: string;
  severity: string;
  status: string;
  teamName: string;
  alertCount: number;
  consoleUrl: string;
  acknowledgeUrl: string | null;
  resolveUrl: string | null;
  /** Why this person is told: "escalation level 2 (repetition 1)", "you were assigned", "test". */
  reason: string;
}

export interface DeliveryResult {
  outcome: AttemptOutcome;
  detail: string | null;
}

export interface Destination {
  type: ContactMethodType;
  address: string;
  /** `whsec_…` key of a webhook destination. */
  signingSecret?: string | null;
  /** Stable across retries of one notification, so receivers can deduplicate (`webhook-id`). */
  messageId: string;
}

/** A plain-text email that is not about an incident (an invite link). */
export interface PlainMail {
  to: string;
  subject: string;
  text: string;
}

export interface Channels {
  send(destination: Destination, message: NotificationMessage): Promise<DeliveryResult>;
  /** Whether SMTP_URL is configured, so email can be sent at all. */
  readonly canEmail: boolean;
  sendMail(mail: PlainMail): Promise<DeliveryResult>;
  close(): void;
}

const HTTP_TIMEOUT_MS = 10_000;

/** The title as people refer to the incident: `#123 Disk full on db-1`. */
export function headlineOf(message: NotificationMessage): string {
  return message.incidentNumber === undefined ? message.title : `#${message.incidentNumber} ${message.title}`;
}

export function subjectOf(message: NotificationMessage): string {
  return `[Klaxon] [${message.severity.toUpperCase()}] ${headlineOf(message)}`;
}

export function textOf(message: NotificationMessage): string {
  return [
    headlineOf(message),
    '',
    `Severity: ${message.severity}`,
    `Team: ${message.teamName}`,
    `Status: ${message.status}`,
    `Alerts: ${message.alertCount}`,
    `Why you: ${message.reason}`,
    '',
    `Open in Klaxon: ${message.consoleUrl}`,
    ...(message.acknowledgeUrl === null ? [] : [`Acknowledge: ${message.acknowledgeUrl}`]),
    ...(message.resolveUrl === null ? [] : [`Resolve: ${message.resolveUrl}`]),
  ].join('\n');
}

const escapeHtml = (value: string) =>
  value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function htmlOf(message: NotificationMessage): string {
  const link = (href: string | null, text: string) =>
    href === null ? '' : `<a href="${escapeHtml(href)}" style="margin-right:16px">${text}</a>`;
  return `<h2>${escapeHtml(headlineOf(message))}</h2>
<p>Severity: <b>${escapeHtml(message.severity)}</b><br>Team: ${escapeHtml(message.teamName)}<br>Status: ${escapeHtml(message.status)}<br>Alerts: ${message.alertCount}<br>Why you: ${escapeHtml(message.reason)}</p>
<p>${link(message.acknowledgeUrl, 'Acknowledge')}${link(message.resolveUrl, 'Resolve')}${link(message.consoleUrl, 'Open in Klaxon')}</p>`;
}

/** 2xx sent; 408, 425, 429 and 5xx worth a retry; any other answer will not get better. */
function classifyHttp(status: number): AttemptOutcome {
  if (status >= 200 && status < 300) return 'sent';
  if (status === 408 || status === 425 || status === 429 || status >= 500) return 'transient_failure';
  return 'permanent_failure';
}

const RESPONSE_EXCERPT_CHARS = 200;

/**
 * POSTs through node:http(s) so the connection goes only to addresses the outbound guard allows
 * (its `lookup` sees the resolved address; literal addresses are checked here). Redirects are not
 * followed: a 3xx is an answer like any other (permanent).
 */
function post(guard: OutboundGuard, url: string, body: string, headers: Record<string, string>) {
  return new Promise<DeliveryResult>((resolve) => {
    const refused = (detail: string) => resolve({ outcome: 'permanent_failure', detail: `refused: ${detail}` });
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return refused('not a valid URL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') return refused('not an http(s) URL');
    const literal = target.hostname.replace(/^\[|\]$/g, '');
    const reason = addressBytes(literal) === undefined ? undefined : guard.refusal(literal);
    if (reason !== undefined) return refused(reason);

    const request = (target.protocol === 'https:' ? https : http).request(
      target,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(body)),
          'user-agent': 'Klaxon',
          ...headers,
        },
        lookup: guard.lookup,
        // A fresh connection per delivery: each one resolves and is checked again (no pooled
        // socket connected under an earlier answer).
        agent: false,
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          if (text.length > RESPONSE_EXCERPT_CHARS) response.destroy();
        });
        response.on('close', () => {
          clearTimeout(timer);
          const status = response.statusCode ?? 0;
          const excerpt = text.slice(0, RESPONSE_EXCERPT_CHARS);
          resolve({ outcome: classifyHttp(status), detail: `HTTP ${status}${excerpt ? `: ${excerpt}` : ''}` });
        });
      },
    );
    const timer = setTimeout(
      () => request.destroy(new Error(`no answer within ${HTTP_TIMEOUT_MS / 1000} s`)),
      HTTP_TIMEOUT_MS,
    );
    request.on('error', (error) => {
      clearTimeout(timer);
      if (error instanceof OutboundUrlRefusedError) return refused(error.message);
      // Network errors and timeouts: the receiver may be back soon.
      resolve({ outcome: 'transient_failure', detail: errorText(error) });
    });
    request.end(body);
  });
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`.slice(0, 500);
}

/** Slack and Mattermost incoming webhooks accept this basic shape (`text` with mrkdwn links). */
export function slackPayload(message: NotificationMessage): Record<string, unknown> {
  const links = [
    `<${message.consoleUrl}|Open in Klaxon>`,
    ...(message.acknowledgeUrl === null ? [] : [`<${message.acknowledgeUrl}|Acknowledge>`]),
    ...(message.resolveUrl === null ? [] : [`<${message.resolveUrl}|Resolve>`]),
  ].join(' · ');
  return {
    text: `*[${message.severity.toUpperCase()}] ${headlineOf(message)}*\nTeam: ${message.teamName} · Status: ${message.status} · Alerts: ${message.alertCount}\n${message.reason}\n${links}`,
  };
}

/** The body of a generic outgoing webhook (Standard Webhooks envelope: type, timestamp, data). */
export function webhookPayload(message: NotificationMessage, at: Date): Record<string, unknown> {
  return { type: 'incident.notification', timestamp: at.toISOString(), data: message };
}

export function createChannels(options: {
  smtpUrl?: string | undefined;
  smtpFrom: string;
  /** Decides which addresses chat and webhook deliveries may connect to. */
  outboundGuard: OutboundGuard;
  now?: () => Date;
}): Channels {
  const now = options.now ?? (() => new Date());
  let transporter: Transporter | undefined;
  const mailer = () => {
    if (options.smtpUrl === undefined) return undefined;
    transporter ??= nodemailer.createTransport(options.smtpUrl);
    return transporter;
  };

  async function email(mail: Omit<Parameters<Transporter['sendMail']>[0], 'from'>): Promise<DeliveryResult> {
    const transport = mailer();
    if (transport === undefined) return { outcome: 'permanent_failure', detail: 'SMTP_URL is not configured' };
    try {
      const info = await transport.sendMail({ from: options.smtpFrom, ...mail });
      return { outcome: 'sent', detail: String(info.response ?? '').slice(0, 200) || null };
    } catch (error) {
      // SMTP 5xx replies are permanent (bad mailbox, rejected); 4xx and connection errors are not.
      const code = (error as { responseCode?: unknown }).responseCode;
      const permanent = typeof code === 'number' && code >= 500;
      return { outcome: permanent ? 'permanent_failure' : 'transient_failure', detail: errorText(error) };
    }
  }

  return {
    canEmail: options.smtpUrl !== undefined,
    sendMail: (mail) => email(mail),
    async send(destination, message) {
      switch (destination.type) {
        case 'email':
          return email({
            to: destination.address,
            subject: subjectOf(message),
            text: textOf(message),
            html: htmlOf(message),
            headers: { 'X-Klaxon-Incident': message.incidentId },
          });
        case 'slack':
          return post(options.outboundGuard, destination.address, JSON.stringify(slackPayload(message)), {});
        case 'webhook': {
          if (!destination.signingSecret) return { outcome: 'permanent_failure', detail: 'no signing secret' };
          const body = Buffer.from(JSON.stringify(webhookPayload(message, now())), 'utf8');
          const timestamp = Math.floor(now().getTime() / 1000);
          const id = destination.messageId || uuidv7();
          const signature = signStandardWebhooks(
            fromStandardWebhooksSecret(destination.signingSecret),
            id,
            timestamp,
            body,
          );
          return post(options.outboundGuard, destination.address, body.toString('utf8'), {
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature,
          });
        }
      }
    },
    close() {
      transporter?.close();
    },
  };
}
