export const PHONE_MESSAGE_KINDS = ['sms', 'voice'] as const;
export type PhoneMessageKind = (typeof PHONE_MESSAGE_KINDS)[number];
export const PHONE_MESSAGE_PURPOSES = ['notification', 'verification', 'test', 'reply'] as const;
export type PhoneMessagePurpose = (typeof PHONE_MESSAGE_PURPOSES)[number];
