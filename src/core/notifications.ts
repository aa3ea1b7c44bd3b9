export const CONTACT_METHOD_TYPES = [
  'email',
  'slack',
  'webhook',
  'sms',
  'voice',
  'ntfy',
  'mattermost',
  'msteams',
  'webpush',
] as const;
export type ContactMethodType = (typeof CONTACT_METHOD_TYPES)[number];

/** How a notification goes out: a person's contact method, or a team's chat channel (an escalation target). */
export const NOTIFICATION_CHANNEL_TYPES = [...CONTACT_METHOD_TYPES, 'team_channel'] as const;
export type NotificationChannelType = (typeof NOTIFICATION_CHANNEL_TYPES)[number];

/** `skipped`: never sent because the contact method may not be paged (an unverified phone number). */
export const NOTIFICATION_STATUSES = ['pending', 'sending', 'sent', 'failed', 'cancelled', 'skipped'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const ATTEMPT_OUTCOMES = ['sent', 'transient_failure', 'permanent_failure'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];
