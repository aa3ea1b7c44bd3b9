import type { OutboundGuard } from '../../../lib/outbound-guard.js';
import type { NotificationChannel, NotificationMessage } from '../channels.js';
import { postGuarded } from '../outbound-post.js';

/**
 * ntfy (https://ntfy.sh or a self-hosted server): a JSON publish to the server's root URL
 * (https://docs.ntfy.sh/publish/#publish-as-json). The contact method's address is the topic URL
 * `<server>/<topic>`; its secret, when set, is an access token sent as `Authorization: Bearer`.
 * The Acknowledge and Resolve buttons are `http` actions: the phone POSTs to the one-click link,
 * which acts on POST only.
 */
export function splitTopicUrl(address: string): { server: string; topic: string } | undefined {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split('/');
  const topic = segments.pop() ?? '';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(topic)) return undefined;
  return { server: `${url.origin}${segments.join('/')}`, topic };
}

/** Priority 5 ("max/urgent": long vibration, pop-over) for what should wake someone. */
export function ntfyPriority(severity: string): number {
  return ({ critical: 5, error: 5, warning: 4, info: 3 } as Record<string, number>)[severity] ?? 4;
}

export function ntfyMessage(topic: string, message: NotificationMessage): Record<string, unknown> {
  const actions = [
    ...(message.acknowledgeUrl === null
      ? []
      : [{ action: 'http', label: 'Acknowledge', url: message.acknowledgeUrl, method: 'POST', clear: true }]),
    ...(message.resolveUrl === null
      ? []
      : [{ action: 'http', label: 'Resolve', url: message.resolveUrl, method: 'POST', clear: true }]),
    { action: 'view', label: 'Open', url: message.consoleUrl },
  ];
  return {
    topic,
    title: `[${message.severity.toUpperCase()}] ${message.title}`,
    message: `Team: ${message.teamName} · Status: ${message.status} · Alerts: ${message.alertCount}\n${message.reason}`,
    priority: ntfyPriority(message.severity),
    tags: [message.severity === 'critical' || message.severity === 'error' ? 'rotating_light' : 'warning'],
    click: message.consoleUrl,
    actions,
  };
}

export function createNtfyChannel(deps: { outboundGuard: OutboundGuard }): NotificationChannel {
  return {
    type: 'ntfy',
    async send(destination, message) {
      const target = splitTopicUrl(destination.address);
      if (target === undefined) return { outcome: 'permanent_failure', detail: 'not an ntfy topic URL' };
      return postGuarded(
        deps.outboundGuard,
        `${target.server}/`,
        JSON.stringify(ntfyMessage(target.topic, message)),
        destination.secret ? { authorization: `Bearer ${destination.secret}` } : {},
      );
    },
  };
}
