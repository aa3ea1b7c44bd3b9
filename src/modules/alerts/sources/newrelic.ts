import { z } from 'zod';
import type { AlertSeverity } from '../../../core/alerts.js';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import { clampTitle, collectLinks, firstNonBlank } from './common.js';

const stringList = z.array(z.string()).nullish();
const epochOrText = z.union([z.number(), z.string()]).nullish();

/**
 * New Relic workflow webhook, default payload template (the one New Relic pre-fills, also in
 * terraform-provider-newrelic's tests):
 * `{"id": {{ json issueId }}, "issueUrl": {{ json issuePageUrl }}, "title": {{ json
 * annotations.title.[0] }}, "priority", "impactedEntities", "totalIncidents", "state", "trigger",
 * "isCorrelated", "createdAt": {{ createdAt }}, "updatedAt", "sources", "alertPolicyNames",
 * "alertConditionNames", "workflowName"}`. The issue id is under `id` in that template; `issueId`
 * is accepted too for hand-written templates. Timestamps are epoch milliseconds.
 */
export const newrelicPayloadSchema = z
  .object({
    id: z.string().min(1).optional(),
    issueId: z.string().min(1).optional(),
    issueUrl: z.string().nullish(),
    title: z.string().nullish(),
    priority: z.string().nullish(),
    impactedEntities: stringList,
    totalIncidents: z.union([z.number(), z.string()]).nullish(),
    state: z.string(),
    trigger: z.string().nullish(),
    isCorrelated: z.union([z.boolean(), z.string()]).nullish(),
    createdAt: epochOrText,
    updatedAt: epochOrText,
    sources: stringList,
    alertPolicyNames: stringList,
    alertConditionNames: stringList,
    workflowName: z.string().nullish(),
  })
  .superRefine((body, ctx) => {
    if (body.id === undefined && body.issueId === undefined) {
      ctx.addIssue({ code: 'custom', path: ['id'], message: 'Required: the issue id ({{ json issueId }})' });
    }
  });

const PRIORITY_SEVERITY: Record<string, AlertSeverity> = {
  critical: 'critical',
  high: 'error',
  medium: 'warning',
  low: 'info',
};

/** CRITICAL → critical, HIGH → error, MEDIUM → warning, LOW → info; anything else → warning. */
export function newrelicSeverity(priority: string | null | undefined): AlertSeverity {
  return PRIORITY_SEVERITY[(priority ?? '').trim().toLowerCase()] ?? 'warning';
}

/**
 * `state` CLOSED → resolved; `state` (or `trigger`) ACKNOWLEDGED → acknowledged; CREATED,
 * ACTIVATED and anything else → firing (joins the open alert).
 */
export function newrelicStatus(state: string, trigger: string | null | undefined): NormalizedAlert['status'] {
  const s = state.trim().toUpperCase();
  if (s === 'CLOSED') return 'resolved';
  if (s === 'ACKNOWLEDGED' || (trigger ?? '').trim().toUpperCase() === 'ACKNOWLEDGED') return 'acknowledged';
  return 'firing';
}

function epochMs(value: number | string | null | undefined): Date | null {
  if (value === null || value === undefined) return null;
  const n = typeof value === 'number' ? value : /^\d+$/.test(value.trim()) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(n)) return null;
  const date = new Date(n);
  return Number.isNaN(date.getTime()) ? null : date;
}

function joined(list: string[] | null | undefined): string | null {
  const items = (list ?? []).filter((item) => item.trim() !== '');
  return items.length === 0 ? null : items.join(', ');
}

export const newrelicNormalizer: SourceNormalizer = {
  type: 'newrelic',
  normalize(payload: unknown): NormalizedAlert[] {
    const body = newrelicPayloadSchema.parse(payload);
    // superRefine guarantees one of them; the fallback only satisfies the type checker.
    const issueId = body.id ?? body.issueId ?? '';
    const policy = joined(body.alertPolicyNames);
    const condition = joined(body.alertConditionNames);
    const entities = joined(body.impactedEntities);
    const labels: Record<string, string> = {};
    if (body.priority) labels.priority = body.priority;
    if (policy !== null) labels.policy = policy;
    if (condition !== null) labels.condition = condition;
    if (entities !== null) labels.entities = entities;
    if (body.workflowName) labels.workflow = body.workflowName;
    const sources = joined(body.sources);
    if (sources !== null) labels.sources = sources;
    const lines = [
      policy === null ? null : `Policy: ${policy}`,
      condition === null ? null : `Condition: ${condition}`,
      entities === null ? null : `Impacted entities: ${entities}`,
      body.totalIncidents === null || body.totalIncidents === undefined ? null : `Incidents: ${body.totalIncidents}`,
    ].filter((line): line is string => line !== null);
    return [
      {
        dedupKey: issueId,
        title: clampTitle(firstNonBlank(body.title, body.alertConditionNames?.[0]) ?? 'New Relic issue'),
        description: lines.length === 0 ? null : lines.join('\n'),
        severity: newrelicSeverity(body.priority),
        status: newrelicStatus(body.state, body.trigger),
        source: entities,
        labels,
        links: collectLinks({ href: body.issueUrl, text: 'New Relic issue' }),
        occurredAt: epochMs(body.updatedAt) ?? epochMs(body.createdAt),
      },
    ];
  },
};
