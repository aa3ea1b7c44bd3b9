import webPush from 'web-push';
import type { OutboundGuard } from '../../../lib/outbound-guard.js';
import { headlineOf, type NotificationChannel, type NotificationMessage } from '../channels.js';
import { postGuarded } from '../outbound-post.js';

export interface VapidDetails {
  subject: string;
  publicKey: string;
  privateKey: string;
}

/** The browser's keys of a subscription (PushSubscription.toJSON().keys), kept as the method's secret. */
export interface SubscriptionKeys {
  p256dh: string;
  auth: string;
}

/** A page that nobody reads after this is noise: escalation has moved on by then. */
const TTL_SECONDS = 3600;
/** Push services accept 4096 bytes of ciphertext; the title is cut well before that. */
const MAX_TITLE = 200;

/**
 * What the service worker (web/public/sw.js) receives: it shows `title` and `body`, opens `url`
 * on a click, and POSTs to `actions.acknowledge` or `actions.resolve` (one-click links, each a
 * signed token good for that one action on that one incident) when a button is pressed.
 */
export function pushPayload(message: NotificationMessage): Record<string, unknown> {
  return {
    title: `[${message.severity.toUpperCase()}] ${headlineOf(message)}`.slice(0, MAX_TITLE),
    body: `Team: ${message.teamName} · Status: ${message.status} · Alerts: ${message.alertCount}\n${message.reason}`.slice(
      0,
      MAX_TITLE * 2,
    ),
    incidentId: message.incidentId,
    url: message.consoleUrl,
    actions: { acknowledge: message.acknowledgeUrl, resolve: message.resolveUrl },
  };
}

/**
 * Web Push (RFC 8030) to a browser subscription: the payload encrypted for the browser's keys
 * (RFC 8291, aes128gcm) and the request signed with the server's VAPID key (RFC 8292), as built by
 * `web-push`; the POST itself goes through the outbound guard like every webhook. The push
 * service answers 404 or 410 for a subscription that is gone: it is removed (`forget`).
 */
export function createWebPushChannel(deps: {
  outboundGuard: OutboundGuard;
  vapid: () => Promise<VapidDetails>;
  forget: (endpoint: string) => Promise<void>;
}): NotificationChannel {
  return {
    type: 'webpush',
    async send(destination, message) {
      let keys: SubscriptionKeys;
      try {
        keys = JSON.parse(destination.secret ?? '') as SubscriptionKeys;
      } catch {
        return { outcome: 'permanent_failure', detail: 'the subscription has no keys' };
      }
      const severe = message.severity === 'critical' || message.severity === 'error';
      const vapidDetails = await deps.vapid();
      let request: ReturnType<typeof webPush.generateRequestDetails>;
      try {
        request = webPush.generateRequestDetails(
          { endpoint: destination.address, keys },
          JSON.stringify(pushPayload(message)),
          { vapidDetails, TTL: TTL_SECONDS, urgency: severe ? 'high' : 'normal' },
        );
      } catch (error) {
        // Keys that are not a P-256 point and a 16-byte secret: no later try will do better.
        return {
          outcome: 'permanent_failure',
          detail: `cannot encrypt for this subscription: ${(error as Error).message}`,
        };
      }
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
      );
      const result = await postGuarded(deps.outboundGuard, request.endpoint, request.body ?? Buffer.alloc(0), headers);
      if (result.httpStatus === 404 || result.httpStatus === 410) {
        await deps.forget(destination.address);
        return { outcome: 'permanent_failure', detail: `${result.detail}: the subscription is gone and was removed` };
      }
      return { outcome: result.outcome, detail: result.detail };
    },
  };
}
