import { z } from 'zod';
import type { AlertSeverity } from '../../../core/alerts.js';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import { clampTitle, collectLinks, firstNonBlank, parseTimestamp, timestampString } from './common.js';

/**
 * PagerDuty v3 webhook envelope (developer.pagerduty.com, docs/webhooks "Webhook Payload"):
 * `{event: {id, event_type, resource_type, occurred_at, agent, client, data}}`. `data` depends on
 * the event type, so it is only checked to be an object here; incident data is checked below.
 */
export const pagerdutyPayloadSchema = z.object({
  event: z.object({
    id: z.string().optional(),
    event_type: z.string().min(1),
    resource_type: z.string().optional(),
    occurred_at: timestampString.optional(),
    data: z.looseObject({ type: z.string().optional() }),
  }),
});

const reference = z.object({ summary: z.string().nullish(), html_url: z.string().nullish() }).nullish();

/** `event.data` when `data.type` is `incident`. */
export const pagerdutyIncidentSchema = z.object({
  id: z.string().min(1),
  type: z.literal('incident'),
  title: z.string().nullish(),
  status: z.string().nullish(),
  html_url: z.string().nullish(),
  number: z.number().nullish(),
  urgency: z.string().nullish(),
  priority: reference,
  service: reference,
  escalation_policy: reference,
  incident_key: z.string().nullish(),
  description: z.string().nullish(),
});

type Incident = z.infer<typeof pagerdutyIncidentSchema>;

/** Event types whose meaning is the alert's status itself. */
const STATUS_BY_EVENT: Record<string, NormalizedAlert['status']> = {
  'incident.triggered': 'firing',
  'incident.reopened': 'firing',
  'incident.unacknowledged': 'firing',
  'incident.acknowledged': 'acknowledged',
  'incident.resolved': 'resolved',
};

const STATUS_BY_INCIDENT_STATUS: Record<string, NormalizedAlert['status']> = {
  triggered: 'firing',
  acknowledged: 'acknowledged',
  resolved: 'resolved',
};

/**
 * Status for an incident event: the event type when it says (triggered/reopened/unacknowledged →
 * firing, acknowledged, resolved); for other incident changes (escalated, delegated, reassigned,
 * priority_updated…) the incident's own `status`, so an escalation of an acknowledged incident
 * does not re-fire it.
 */
export function pagerdutyStatus(eventType: string, incident: Incident): NormalizedAlert['status'] {
  return STATUS_BY_EVENT[eventType] ?? STATUS_BY_INCIDENT_STATUS[(incident.status ?? '').toLowerCase()] ?? 'firing';
}

const PRIORITY_SEVERITY: Record<string, AlertSeverity> = {
  p1: 'critical',
  p2: 'error',
  p3: 'warning',
  p4: 'info',
  p5: 'info',
};

/**
 * Severity: the incident priority when it is one of PagerDuty's default P1…P5; otherwise urgency
 * `high` (pages someone) → critical, `low` → warning.
 */
export function pagerdutySeverity(incident: Incident): AlertSeverity {
  const priority = (incident.priority?.summary ?? '').trim().toLowerCase();
  const fromPriority = PRIORITY_SEVERITY[priority];
  if (fromPriority !== undefined) return fromPriority;
  return (incident.urgency ?? '').toLowerCase() === 'high' ? 'critical' : 'warning';
}

/**
 * Only events whose `data` is an incident describe an alert's life. Notes (`incident.annotated`),
 * responder requests, status updates, `service.*`, workflow events and the `pagey.ping` that
 * PagerDuty sends when a subscription is created change no alert: they give no alerts, and the
 * route answers 202 with an empty list so PagerDuty does not retry them.
 */
export const pagerdutyNormalizer: SourceNormalizer = {
  type: 'pagerduty',
  normalize(payload: unknown): NormalizedAlert[] {
    const { event } = pagerdutyPayloadSchema.parse(payload);
    if (!event.event_type.startsWith('incident.') || event.data.type !== 'incident') return [];
    const incident = z.object({ event: z.object({ data: pagerdutyIncidentSchema }) }).parse(payload).event.data;
    const labels: Record<string, string> = {};
    if (incident.urgency) labels.urgency = incident.urgency;
    if (incident.priority?.summary) labels.priority = incident.priority.summary;
    if (incident.service?.summary) labels.service = incident.service.summary;
    if (incident.escalation_policy?.summary) labels.escalation_policy = incident.escalation_policy.summary;
    if (incident.number !== null && incident.number !== undefined) labels.incident_number = String(incident.number);
    if (incident.incident_key) labels.incident_key = incident.incident_key;
    return [
      {
        dedupKey: incident.id,
        title: clampTitle(firstNonBlank(incident.title) ?? `PagerDuty incident ${incident.id}`),
        description: firstNonBlank(incident.description),
        severity: pagerdutySeverity(incident),
        status: pagerdutyStatus(event.event_type, incident),
        source: firstNonBlank(incident.service?.summary),
        labels,
        links: collectLinks(
          { href: incident.html_url, text: 'PagerDuty incident' },
          { href: incident.service?.html_url, text: 'PagerDuty service' },
        ),
        occurredAt: parseTimestamp(event.occurred_at),
      },
    ];
  },
};
