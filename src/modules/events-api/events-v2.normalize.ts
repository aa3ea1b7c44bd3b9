import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../core/alerts.js';
import { randomHex } from '../../lib/crypto.js';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { clampTitle } from '../alerts/sources/common.js';

/**
 * PagerDuty Events API v2 (`POST /v2/enqueue`), as PagerDuty documents it: `routing_key`,
 * `event_action` trigger|acknowledge|resolve, optional `dedup_key` (required for acknowledge and
 * resolve), and for triggers a `payload` with summary, source and severity. Unknown top-level
 * fields are tolerated, as PagerDuty does, so stock senders (Alertmanager, Grafana) work as is.
 */
export const eventsV2Schema = z
  .object({
    routing_key: z.string().min(1).max(256),
    event_action: z.enum(['trigger', 'acknowledge', 'resolve']),
    dedup_key: z.string().min(1).max(255).optional(),
    payload: z
      .object({
        summary: z.string().trim().min(1).max(1024),
        source: z.string().trim().min(1).max(255),
        severity: z.enum(ALERT_SEVERITIES),
        timestamp: z.string().optional(),
        component: z.string().max(255).optional(),
        group: z.string().max(255).optional(),
        class: z.string().max(255).optional(),
        custom_details: z.unknown().optional(),
      })
      .optional(),
    client: z.string().max(255).optional(),
    client_url: z.string().max(2048).optional(),
    links: z
      .array(z.object({ href: z.string().max(2048), text: z.string().max(255).optional() }))
      .max(50)
      .optional(),
    images: z.array(z.unknown()).max(50).optional(),
  })
  .superRefine((event, ctx) => {
    if (event.event_action === 'trigger' && event.payload === undefined) {
      ctx.addIssue({ code: 'custom', path: ['payload'], message: 'is required for trigger events' });
    }
    if (event.event_action !== 'trigger' && event.dedup_key === undefined) {
      ctx.addIssue({ code: 'custom', path: ['dedup_key'], message: `is required for ${event.event_action} events` });
    }
  });

export type EventsV2Event = z.infer<typeof eventsV2Schema>;

const MAX_DETAILS_CHARS = 20_000;
const MAX_LABEL_CHARS = 1_000;

/** One normalized alert from a validated event; `dedup_key` is generated when a trigger has none. */
export function normalizeEventsV2(event: EventsV2Event): NormalizedAlert {
  const dedupKey = event.dedup_key ?? randomHex(16);
  const status =
    event.event_action === 'trigger' ? 'firing' : event.event_action === 'resolve' ? 'resolved' : 'acknowledged';
  const payload = event.payload;
  const labels: Record<string, string> = {};
  for (const field of ['component', 'group', 'class'] as const) {
    const value = payload?.[field];
    if (value !== undefined && value !== '') labels[field] = value;
  }
  const details = payload?.custom_details;
  if (details !== null && typeof details === 'object' && !Array.isArray(details)) {
    for (const [key, value] of Object.entries(details)) {
      if (key in labels || key.length > 100) continue;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        labels[key] = String(value).slice(0, MAX_LABEL_CHARS);
      }
    }
  }
  const links = (event.links ?? []).filter((link) => /^https?:\/\//i.test(link.href));
  if (event.client_url !== undefined && /^https?:\/\//i.test(event.client_url)) {
    links.push({ href: event.client_url, text: event.client ?? 'Source' });
  }
  const timestamp = payload?.timestamp === undefined ? Number.NaN : Date.parse(payload.timestamp);
  return {
    dedupKey,
    title: clampTitle(payload?.summary ?? `${event.event_action} ${dedupKey}`),
    description: details === undefined ? null : describe(details),
    severity: payload?.severity ?? 'warning',
    status,
    source: payload?.source ?? null,
    labels,
    links: links.map((link) => (link.text === undefined ? { href: link.href } : { href: link.href, text: link.text })),
    occurredAt: Number.isNaN(timestamp) ? null : new Date(timestamp),
  };
}

function describe(details: unknown): string {
  const text = typeof details === 'string' ? details : JSON.stringify(details, null, 2);
  return text.length > MAX_DETAILS_CHARS ? `${text.slice(0, MAX_DETAILS_CHARS - 1)}…` : text;
}
