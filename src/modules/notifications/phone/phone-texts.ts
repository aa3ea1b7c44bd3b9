import type { NotificationMessage } from '../channels.js';

/**
 * The words of SMS and calls. Incidents have no short number yet, so an SMS names its incident by
 * the last four hex digits of its id ("ref 3f9a"), which a reply adds when several are open.
 */
export const incidentRef = (incidentId: string) => incidentId.slice(-4).toLowerCase();

const MAX_TITLE = 120;
const clip = (text: string) => (text.length > MAX_TITLE ? `${text.slice(0, MAX_TITLE - 1)}…` : text);

export function smsText(message: NotificationMessage, isTest: boolean): string {
  if (isTest)
    return 'Klaxon test: this number can be paged. Replies to real pages: 1 or ACK acknowledges, 2 or RESOLVE resolves.';
  return [
    `Klaxon ${message.severity.toUpperCase()}: ${clip(message.title)}`,
    `Team ${message.teamName}, ${message.alertCount} alert(s), ref ${incidentRef(message.incidentId)}.`,
    `Reply 1 or ACK to acknowledge, 2 or RESOLVE to resolve (add the ref when several are open).`,
    message.consoleUrl,
  ].join('\n');
}

export function callSpeech(message: NotificationMessage, isTest: boolean): string {
  if (isTest) return 'This is a test call from Klaxon. This number can be paged. Goodbye.';
  return `This is Klaxon. A ${message.severity} incident for team ${message.teamName}: ${clip(message.title)}. Press 1 to acknowledge, 2 to resolve, 3 to escalate to the next level.`;
}

export const verificationSms = (code: string, minutes: number) =>
  `Your Klaxon verification code is ${code}. It expires in ${minutes} minutes.`;

export const verificationSpeech = (code: string) => {
  const spoken = code.split('').join(', ');
  return `Your Klaxon verification code is ${spoken}. Again: ${spoken}.`;
};

/** Reads "1", "ack", "2 3f9a", "RESOLVE #3f9a"; undefined for anything else. */
export function parseReply(text: string): { action: 'acknowledge' | 'resolve'; ref: string | undefined } | undefined {
  const match = /^\s*(1|ack|acknowledge|2|res|resolve)(?:\s+(?:ref\s*)?#?([0-9a-f]{4}))?\s*[.!]?\s*$/i.exec(text);
  if (match === null) return undefined;
  const word = (match[1] ?? '').toLowerCase();
  return { action: word === '1' || word.startsWith('ack') ? 'acknowledge' : 'resolve', ref: match[2]?.toLowerCase() };
}
