/** Shapes of the incident, escalation, schedule and notification routes (see docs/incidents.md and docs/schedules.md). */
import { allOf, type Item, type ResponseOf } from './api-types';

export type Incident = Item<ResponseOf<'/api/incidents'>['incidents']>;
export type IncidentStatus = Incident['status'];
export const INCIDENT_STATUSES = allOf<IncidentStatus>()(['triggered', 'acknowledged', 'resolved']);
export const INCIDENT_STATUS_TONE: Record<IncidentStatus, string> = {
  triggered: 'red',
  acknowledged: 'yellow',
  resolved: 'green',
};
/** One incident with its alerts and timeline. */
export type IncidentDetail = ResponseOf<'/api/incidents/{id}'>;
export type TimelineEntry = Item<IncidentDetail['timeline']>;

export type EscalationPolicy = Item<ResponseOf<'/api/escalation-policies'>['policies']>;
export type PolicyLevel = Item<EscalationPolicy['levels']>;
/** `team`: everyone on the team when the level runs; `team_channel`: the team's Slack channel. */
export type PolicyTarget = Item<PolicyLevel['targets']>;

export type Schedule = Item<ResponseOf<'/api/schedules'>['schedules']>;
/** A schedule with its rotations (layers). */
export type ScheduleDetail = ResponseOf<'/api/schedules/{id}'>;
export type ScheduleLayer = Item<ScheduleDetail['layers']>;
/** A window the layer is on call in: from `start` to `end` (next day if not after it), on `days` (ISO, all if absent). */
export type Restriction = Item<ScheduleLayer['restrictions']>;
/** Each span clipped to [from, to); shiftStart/shiftEnd are the whole shift's (null: beyond 200 days). */
export type Spans = ResponseOf<'/api/schedules/{id}/spans'>;
export type Span = Item<Spans['spans']>;
export type UserSummary = Item<Spans['users']>;
export type OnCall = ResponseOf<'/api/schedules/{id}/oncall'>;
export type Override = Item<ResponseOf<'/api/schedules/{id}/overrides'>['overrides']>;

export type ContactMethod = Item<ResponseOf<'/api/contact-methods'>['contactMethods']>;
/** `webpush` methods are made by "Enable push on this device", not by the add form. */
export type ContactMethodType = ContactMethod['type'];
export const CONTACT_METHOD_TYPES = allOf<Exclude<ContactMethodType, 'webpush'>>()([
  'email',
  'sms',
  'voice',
  'ntfy',
  'slack',
  'mattermost',
  'msteams',
  'webhook',
]);
export const CONTACT_METHOD_LABEL: Record<ContactMethodType, string> = {
  email: 'Email',
  ntfy: 'ntfy push',
  slack: 'Slack',
  mattermost: 'Mattermost (with buttons)',
  msteams: 'Microsoft Teams',
  webhook: 'Signed webhook',
  sms: 'SMS',
  voice: 'Voice call',
  webpush: 'Browser push',
};

export type NotificationRule = Item<ResponseOf<'/api/notification-rules'>['rules']>;
export type NotificationLogEntry = Item<ResponseOf<'/api/notifications'>['notifications']>;
export type NotificationAttempt = Item<NotificationLogEntry['attempts']>;

/** How a person is shown: their name, else their email. */
export const personName = (person: { name: string | null; email: string } | undefined, fallback = 'someone') =>
  person === undefined ? fallback : (person.name ?? person.email);
