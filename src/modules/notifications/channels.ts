import nodemailer, { type Transporter } from 'nodemailer';
import type { AttemptOutcome, ContactMethodType } from '../../core/notifications.js';
import { escapeHtml } from '../../lib/html.js';
import { uuidv7 } from '../../lib/ids.js';
import type { OutboundGuard } from '../../lib/outbound-guard.js';
import { fromStandardWebhooksSecret, signStandardWebhooks } from '../webhooks/signatures/standard-webhooks.js';
import { escapeSlackText } from './chat-markup.js';
import { errorText, postGuarded } from './outbound-post.js';

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

/** A team's chat channel, an escalation target: posts the incident there (`reason`: "escalation level 1, round 1"). */
export interface TeamChannel {
  post(incidentId: string, reason: string): Promise<DeliveryResult>;
}

export interface Destination {
  type: ContactMethodType;
  address: string;
  /** The method's decrypted secret: the `whsec_…` key of a webhook, the access token of an ntfy topic. */
  secret?: string | null;
  /** Stable across retries of one notification, so receivers can deduplicate (`webhook-id`). */
  messageId: string;
}

/**
 * One way of reaching people. Each channel lives in a file of its own under `channels/` and is
 * listed once in `channel-registry.ts`; adding a channel touches that file and the registry.
 */
export interface NotificationChannel {
  readonly type: ContactMethodType;
  send(destination: Destination, message: NotificationMessage): Promise<DeliveryResult>;
}

/** A plain-text email that is not about an incident (an invite link). */
export interface PlainMail {
  to: string;
  subject: string;
  text: string;
}

/** A channel kept in a file of its own, registered by contact method type in channel-registry.ts. */
export interface ChannelSender {
  send(destination: Destination, message: NotificationMessage): Promise<DeliveryResult>;
}

export interface Channels {
  send(destination: Destination, message: NotificationMessage): Promise<DeliveryResult>;
  /** Whether SMTP_URL is configured, so email can be sent at all. */
  readonly canEmail: boolean;
  sendMail(mail: PlainMail): Promise<DeliveryResult>;
  close(): void;
}

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

function htmlOf(message: NotificationMessage): string {
  const link = (href: string | null, text: string) =>
    href === null ? '' : `<a href="${escapeHtml(href)}" style="margin-right:16px">${text}</a>`;
  return `<h2>${escapeHtml(headlineOf(message))}</h2>
<p>Severity: <b>${escapeHtml(message.severity)}</b><br>Team: ${escapeHtml(message.teamName)}<br>Status: ${escapeHtml(message.status)}<br>Alerts: ${message.alertCount}<br>Why you: ${escapeHtml(message.reason)}</p>
<p>${link(message.acknowledgeUrl, 'Acknowledge')}${link(message.resolveUrl, 'Resolve')}${link(message.consoleUrl, 'Open in Klaxon')}</p>`;
}

/** Slack and Mattermost incoming webhooks accept this basic shape (`text` with mrkdwn links). */
export function slackPayload(message: NotificationMessage): Record<string, unknown> {
  const team = escapeSlackText(message.teamName);
  const links = [
    `<${message.consoleUrl}|Open in Klaxon>`,
    ...(message.acknowledgeUrl === null ? [] : [`<${message.acknowledgeUrl}|Acknowledge>`]),
    ...(message.resolveUrl === null ? [] : [`<${message.resolveUrl}|Resolve>`]),
  ].join(' · ');
  return {
    text: `*[${message.severity.toUpperCase()}] ${escapeSlackText(headlineOf(message))}*\nTeam: ${team} · Status: ${message.status} · Alerts: ${message.alertCount}\n${message.reason}\n${links}`,
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
  /** The other channels (ntfy, chat apps, push), from `channel-registry.ts`. */
  registry?: ReadonlyMap<ContactMethodType, NotificationChannel>;
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
          // An incoming webhook URL; otherwise a linked Slack account, DMed by the Slack app (channels/slack.ts).
          if (/^https?:\/\//.test(destination.address)) {
            return postGuarded(options.outboundGuard, destination.address, JSON.stringify(slackPayload(message)), {});
          }
          break;
        case 'webhook': {
          if (!destination.secret) return { outcome: 'permanent_failure', detail: 'no signing secret' };
          const body = Buffer.from(JSON.stringify(webhookPayload(message, now())), 'utf8');
          const timestamp = Math.floor(now().getTime() / 1000);
          const id = destination.messageId || uuidv7();
          const signature = signStandardWebhooks(fromStandardWebhooksSecret(destination.secret), id, timestamp, body);
          return postGuarded(options.outboundGuard, destination.address, body.toString('utf8'), {
            'webhook-id': id,
            'webhook-timestamp': String(timestamp),
            'webhook-signature': signature,
          });
        }
      }
      const channel = options.registry?.get(destination.type);
      if (channel === undefined) {
        return { outcome: 'permanent_failure', detail: `${destination.type} notifications are not configured` };
      }
      return channel.send(destination, message);
    },
    close() {
      transporter?.close();
    },
  };
}
