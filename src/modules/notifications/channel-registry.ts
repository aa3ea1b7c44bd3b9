import type { ContactMethodType } from '../../db/schema/index.js';
import type { ChannelSender } from './channels.js';

/**
 * The channels that live in files of their own, by contact method type (email, chat and signed
 * webhooks are built into channels.ts). A new channel adds its file and one line here.
 */
export function channelRegistry(channels: {
  phone?: { sms: ChannelSender; voice: ChannelSender } | undefined;
}): Partial<Record<ContactMethodType, ChannelSender>> {
  return {
    ...(channels.phone === undefined ? {} : { sms: channels.phone.sms, voice: channels.phone.voice }),
  };
}
