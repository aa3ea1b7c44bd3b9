export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const TIMELINE_KINDS = [
  'opened',
  'alert_joined',
  'alert_resolved',
  'escalated',
  'nobody_on_call',
  /** A target of the level no longer belongs to the incident's team: not paged. */
  'target_skipped',
  'no_contact_method',
  'escalation_exhausted',
  'no_escalation_policy',
  /** Low urgency outside the team's support hours: the first level waits for them to begin. */
  'paging_deferred',
  /** Low urgency outside support hours, and the team chose never to page those. */
  'not_paged_outside_support_hours',
  'notification_sent',
  'notification_failed',
  'acknowledged',
  'acknowledgement_timeout',
  'resolved',
  'note',
  'reassigned',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export const INCIDENT_ACTIONS = ['acknowledge', 'resolve'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];
