/** Shapes of the incident, escalation, schedule and notification routes (see docs/incidents.md and docs/schedules.md). */
import { api } from './api';

export const INCIDENT_STATUSES = ['triggered', 'acknowledged', 'resolved'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];
export const INCIDENT_STATUS_TONE: Record<IncidentStatus, string> = {
  triggered: 'red',
  acknowledged: 'yellow',
  resolved: 'green',
};

export interface Incident {
  id: string;
  /** The short number people use: `#123`. */
  number: number;
  teamId: string;
  title: string;
  severity: string;
  status: IncidentStatus;
  /** From the team's urgency map: low urgency waits for support hours. */
  urgency: 'high' | 'low';
  groupKey: string | null;
  escalationPolicyId: string | null;
  assigneeUserId: string | null;
  escalationLevel: number | null;
  escalationRepetition: number;
  nextEscalationAt: string | null;
  alertCount: number;
  createdAt: string;
  lastAlertAt: string;
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
  ackTimeoutAt: string | null;
  resolvedAt: string | null;
  resolvedBy: string | null;
}

export interface TimelineEntry {
  id: string;
  kind: string;
  userId: string | null;
  message: string;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface IncidentDetail extends Incident {
  alerts: Array<{
    id: string;
    title: string;
    severity: string;
    status: string;
    integrationName: string;
    labels: Record<string, string>;
    addedAt: string;
  }>;
  timeline: TimelineEntry[];
}

export interface TeamSummary {
  id: string;
  name: string;
  role: 'manager' | 'member' | null;
}

export interface TeamMember {
  userId: string;
  email: string;
  name: string | null;
  role: 'manager' | 'member';
}

export interface PolicyTarget {
  /** `team`: everyone on the team when the level runs. */
  type: 'user' | 'schedule' | 'team';
  id: string;
}

export interface PolicyLevel {
  delayMinutes: number;
  targets: PolicyTarget[];
}

export interface EscalationPolicy {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  repeatCount: number;
  isDefault: boolean;
  ackTimeoutMinutes: number | null;
  levels: PolicyLevel[];
  createdAt: string;
  updatedAt: string;
}

export interface Schedule {
  id: string;
  teamId: string;
  name: string;
  description: string | null;
  timeZone: string;
  canManage: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface ScheduleLayer {
  id: string;
  name: string;
  position: number;
  startsAt: string;
  endsAt: string | null;
  turnUnit: 'hours' | 'days' | 'weeks';
  turnLength: number;
  participantIds: string[];
}

export interface ScheduleDetail extends Schedule {
  layers: ScheduleLayer[];
}

export interface Span {
  userId: string;
  start: string;
  end: string;
  layerId: string | null;
  overrideId: string | null;
}

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
}

export interface Spans {
  scheduleId: string;
  timeZone: string;
  from: string;
  to: string;
  spans: Span[];
  layers: Array<{ layerId: string; name: string; position: number; spans: Span[] }>;
  users: UserSummary[];
}

export interface OnCall {
  scheduleId: string;
  at: string;
  oncall: Array<Span & { user: UserSummary | null }>;
}

export interface Override {
  id: string;
  userId: string;
  startsAt: string;
  endsAt: string;
  note: string | null;
}

export const CONTACT_METHOD_TYPES = [
  'email',
  'sms',
  'voice',
  'ntfy',
  'slack',
  'mattermost',
  'msteams',
  'webhook',
] as const;
/** `webpush` methods are made by "Enable push on this device", not by the add form. */
export type ContactMethodType = (typeof CONTACT_METHOD_TYPES)[number] | 'webpush';
export const CONTACT_METHOD_LABEL: Record<ContactMethodType, string> = {
  email: 'Email',
  ntfy: 'ntfy push',
  slack: 'Slack webhook',
  mattermost: 'Mattermost (with buttons)',
  msteams: 'Microsoft Teams',
  webhook: 'Signed webhook',
  sms: 'SMS',
  voice: 'Voice call',
  webpush: 'Browser push',
};

export interface ContactMethod {
  id: string;
  userId: string;
  type: ContactMethodType;
  label: string | null;
  address: string;
  /** Phone numbers are paged only once verified; other types are always verified. */
  verified: boolean;
  createdAt: string;
}

export interface NotificationRule {
  id: string;
  contactMethodId: string;
  delayMinutes: number;
  /** Which incidents the rule is for. */
  urgency: 'high' | 'low' | 'any';
}

export interface NotificationAttempt {
  attempt: number;
  outcome: string;
  detail: string | null;
  durationMs: number;
  createdAt: string;
}

export interface NotificationLogEntry {
  id: string;
  incidentId: string;
  contactMethodId: string;
  contactMethodType: ContactMethodType;
  level: number;
  repetition: number;
  ruleDelayMinutes: number;
  status: string;
  attempts: NotificationAttempt[];
  lastError: string | null;
  /** The SMS or voice provider's last delivery status. */
  providerStatus: { provider: string; status: string; detail: string | null } | null;
  scheduledAt: string;
  sentAt: string | null;
}

export const loadTeams = () => api<{ teams: TeamSummary[] }>('GET', '/api/teams').then((body) => body.teams);
export const loadMembers = (teamId: string) =>
  api<{ members: TeamMember[] }>('GET', `/api/teams/${teamId}/members`).then((body) => body.members);

/** How a person is shown: their name, else their email. */
export const personName = (person: { name: string | null; email: string } | undefined, fallback = 'someone') =>
  person === undefined ? fallback : (person.name ?? person.email);
