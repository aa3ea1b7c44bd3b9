import type { TimelineKind } from '../../core/incidents.js';

/** What the filter reads of a timeline entry; whatever else the entry carries is passed through. */
export interface TimelineEntry {
  kind: TimelineKind;
  message: string;
  metadata: Record<string, unknown>;
}

const NOTIFICATION_KINDS = new Set(['notification_sent', 'notification_failed']);
/** What only the person notified and platform admins may read: where it went, and what the receiver said. */
const PRIVATE_FIELDS = ['address', 'detail'] as const;
/** Entries written before addresses moved to the metadata: "Notified by slack (https://hooks…)". */
const LEGACY_MESSAGE = /^(Notified by|Could not notify by) (\S+) \(/;

/**
 * A timeline as one viewer may read it. Notification entries name the channel type and the
 * person, never the address (a Slack or webhook URL is a credential), except for the person
 * notified and platform admins.
 */
export function timelineFor<Entry extends TimelineEntry>(
  entries: Entry[],
  mayReadPrivate: (userId: string) => boolean,
): Entry[] {
  return entries.map((entry) => {
    if (!NOTIFICATION_KINDS.has(entry.kind)) return entry;
    const metadata = entry.metadata;
    const notified = typeof metadata.userId === 'string' ? metadata.userId : undefined;
    if (notified !== undefined && mayReadPrivate(notified)) return entry;
    const kept = Object.fromEntries(
      Object.entries(metadata).filter(([key]) => !(PRIVATE_FIELDS as readonly string[]).includes(key)),
    );
    const legacy = LEGACY_MESSAGE.exec(entry.message);
    const message = legacy === null ? entry.message : `${legacy[1]} ${legacy[2]}`;
    return { ...entry, message, metadata: kept };
  });
}
