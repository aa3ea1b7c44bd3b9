export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];
export const ALERT_STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
export type AlertStatus = (typeof ALERT_STATUSES)[number];

export interface AlertLink {
  href: string;
  text?: string | undefined;
}

export const OCCURRENCE_KINDS = ['created', 'deduplicated', 'acknowledged', 'resolved', 'ignored'] as const;
export type OccurrenceKind = (typeof OCCURRENCE_KINDS)[number];
