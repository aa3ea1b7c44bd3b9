import type { ContactMethodType } from '../../core/notifications.js';
import type { OutboundGuard } from '../../lib/outbound-guard.js';
import { createMattermostChannel } from './channels/mattermost.js';
import { createTeamsChannel } from './channels/msteams.js';
import { createNtfyChannel } from './channels/ntfy.js';
import { createSlackChannel, type SlackDirectMessages } from './channels/slack.js';
import { createWebPushChannel, type VapidDetails } from './channels/webpush.js';
import type { ChannelSender, NotificationChannel } from './channels.js';

export interface ChannelRegistryDeps {
  outboundGuard: OutboundGuard;
  /** Base of Klaxon's own URLs that chats call back (without a trailing slash). */
  publicUrl: string;
  /** SMS and voice, when phone paging is set up (notifications/phone/). */
  phone?: { sms: ChannelSender; voice: ChannelSender } | undefined;
  /** Browser push: the server's VAPID identity, and what to do with a subscription that is gone. */
  webPush?: { vapid: () => Promise<VapidDetails>; forget: (endpoint: string) => Promise<void> } | undefined;
  /** DMs to linked Slack accounts, when the Slack app is set up (src/modules/slack/). */
  slack?: SlackDirectMessages | undefined;
}

/**
 * Every channel beyond email and the two webhooks (which `channels.ts` serves itself), by contact
 * method type. Adding a channel: its file under `channels/`, and one line here.
 */
export function createChannelRegistry(deps: ChannelRegistryDeps): ReadonlyMap<ContactMethodType, NotificationChannel> {
  const channels: NotificationChannel[] = [
    createNtfyChannel(deps),
    createMattermostChannel(deps),
    createTeamsChannel(deps),
    ...(deps.webPush === undefined
      ? []
      : [createWebPushChannel({ outboundGuard: deps.outboundGuard, ...deps.webPush })]),
    ...(deps.slack === undefined ? [] : [createSlackChannel(deps.slack)]),
    ...(deps.phone === undefined
      ? []
      : [
          { type: 'sms' as const, send: deps.phone.sms.send },
          { type: 'voice' as const, send: deps.phone.voice.send },
        ]),
  ];
  return new Map(channels.map((channel) => [channel.type, channel]));
}
