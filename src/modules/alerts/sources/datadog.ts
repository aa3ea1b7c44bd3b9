import { z } from 'zod';
import type { AlertSeverity } from '../../../core/alerts.js';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import { clampTitle, collectLinks, firstNonBlank } from './common.js';
import { stableHash } from './stable-hash.js';

/**
 * Datadog's webhook body is whatever JSON template the user writes over `$VARIABLES`
 * (docs.datadoghq.com/integrations/webhooks). Klaxon reads Datadog's default template
 * (`id, title, body, date, last_updated, event_type, org`) and the recommended one in
 * docs/connect-your-tools.md, which adds the alert keys below. Every value is a string in the
 * template (`"$DATE"` → `"1406662672000"`), but numbers are accepted too.
 */
const ddValue = z.union([z.string(), z.number()]).nullish();

export const datadogPayloadSchema = z.object({
  title: z.string(),
  body: z.string().nullish(),
  id: ddValue,
  date: ddValue,
  last_updated: ddValue,
  event_type: z.string().nullish(),
  alert_id: ddValue,
  alert_cycle_key: ddValue,
  aggregate: ddValue,
  alert_transition: z.string().nullish(),
  alert_type: z.string().nullish(),
  alert_priority: z.string().nullish(),
  priority: z.string().nullish(),
  alert_title: z.string().nullish(),
  alert_status: z.string().nullish(),
  hostname: z.string().nullish(),
  tags: z.string().nullish(),
  link: z.string().nullish(),
  snapshot: z.string().nullish(),
  org: z.object({ id: ddValue, name: z.string().nullish() }).nullish(),
});

type DatadogPayload = z.infer<typeof datadogPayloadSchema>;

/**
 * A template value as Klaxon uses it: trimmed text, or null when empty or when Datadog left the
 * variable unexpanded (`"$ALERT_CYCLE_KEY"` on events that have none).
 */
export function ddText(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  if (text === '' || /^\$[A-Z_]+(\[[^\]]*\])?$/.test(text)) return null;
  return text;
}

/** `$ALERT_TRANSITION` → status. Only `Recovered` resolves; everything else is (still) firing. */
export function datadogStatus(transition: string | null): NormalizedAlert['status'] {
  if (transition === null) return 'firing';
  return transition.trim().toLowerCase() === 'recovered' ? 'resolved' : 'firing';
}

const TRANSITIONS = ['Re-Triggered', 'Triggered', 'Recovered', 'Re-Warn', 'Warn', 'Re-No Data', 'No Data', 'Renotify'];

/**
 * The transition written in an `$EVENT_TITLE` such as `[P2] [Triggered on {host:a}] High CPU`,
 * for the default template, which has no `$ALERT_TRANSITION`.
 */
export function transitionFromTitle(title: string): string | null {
  for (const match of title.matchAll(/\[([^\]]*)\]/g)) {
    const inner = (match[1] ?? '').trim();
    const found = TRANSITIONS.find((t) => inner === t || inner.startsWith(`${t} `));
    if (found !== undefined) return found;
  }
  return null;
}

/**
 * The title without its priority and transition markers, keeping any scope, for a fallback key
 * that is the same for `[P1] [Triggered on {host:a}] X` and `[Recovered on {host:a}] X`.
 */
export function bareTitle(title: string): string {
  return title
    .replace(/\[([^\]]*)\]/g, (whole, inner: string) => {
      const text = inner.trim();
      if (/^P[1-5]$/i.test(text)) return '';
      const transition = TRANSITIONS.find((t) => text === t || text.startsWith(`${t} `));
      if (transition === undefined) return whole;
      const rest = text
        .slice(transition.length)
        .replace(/^\s*on\s+/, '')
        .trim();
      return rest === '' ? '' : `[${rest}]`;
    })
    .replace(/\s+/g, ' ')
    .trim();
}

const PRIORITY_SEVERITY: Record<string, AlertSeverity> = {
  p1: 'critical',
  p2: 'error',
  p3: 'warning',
  p4: 'info',
  p5: 'info',
};

const ALERT_TYPE_SEVERITY: Record<string, AlertSeverity> = {
  error: 'error',
  warning: 'warning',
  info: 'info',
  success: 'info',
};

/**
 * Severity: the monitor priority (`$ALERT_PRIORITY` P1…P5, also read from a `[P1]` title prefix)
 * first; else `$ALERT_TYPE` (error/warning/info/success); else `$PRIORITY` `low` → info; else
 * `warning`.
 */
export function datadogSeverity(body: DatadogPayload): AlertSeverity {
  const priority = ddText(body.alert_priority) ?? /^\s*\[(P[1-5])\]/i.exec(body.title)?.[1] ?? null;
  const fromPriority = priority === null ? undefined : PRIORITY_SEVERITY[priority.toLowerCase()];
  if (fromPriority !== undefined) return fromPriority;
  const alertType = ddText(body.alert_type);
  const fromType = alertType === null ? undefined : ALERT_TYPE_SEVERITY[alertType.toLowerCase()];
  if (fromType !== undefined) return fromType;
  if (ddText(body.priority)?.toLowerCase() === 'low') return 'info';
  return 'warning';
}

/** `$TAGS` (`"env:prod, role:db, monitor"`) → labels; a bare tag becomes a label with value "". */
export function parseDatadogTags(tags: string | null): Record<string, string> {
  const labels: Record<string, string> = {};
  if (tags === null) return labels;
  for (const raw of tags.split(',')) {
    const tag = raw.trim();
    if (tag === '') continue;
    const colon = tag.indexOf(':');
    if (colon <= 0) labels[tag] = '';
    else labels[tag.slice(0, colon)] = tag.slice(colon + 1);
  }
  return labels;
}

/** `$DATE` / `$LAST_UPDATED`: epoch milliseconds (seconds are accepted too). */
export function parseEpoch(value: string | number | null | undefined): Date | null {
  const text = ddText(value);
  if (text === null || !/^\d+(\.\d+)?$/.test(text)) return null;
  const n = Number(text);
  const date = new Date(n < 100_000_000_000 ? n * 1000 : n);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** `%%%` markers wrap Datadog's markdown messages; they are not part of the text. */
function cleanBody(body: string | null): string | null {
  if (body === null) return null;
  const text = body
    .replace(/^%%%\s*/, '')
    .replace(/\s*%%%$/, '')
    .trim();
  return text === '' ? null : text;
}

export const datadogNormalizer: SourceNormalizer = {
  type: 'datadog',
  normalize(payload: unknown): NormalizedAlert[] {
    const body = datadogPayloadSchema.parse(payload);
    const title = firstNonBlank(ddText(body.title), ddText(body.alert_title)) ?? 'Datadog alert';
    const transition = ddText(body.alert_transition) ?? transitionFromTitle(title);
    const dedupKey =
      ddText(body.alert_cycle_key) ??
      ddText(body.aggregate) ??
      ddText(body.alert_id) ??
      stableHash('datadog', ddText(body.org?.id), bareTitle(title));
    return [
      {
        dedupKey,
        title: clampTitle(title),
        description: cleanBody(ddText(body.body)) ?? ddText(body.alert_status),
        severity: datadogSeverity(body),
        status: datadogStatus(transition),
        source: ddText(body.hostname),
        labels: parseDatadogTags(ddText(body.tags)),
        links: collectLinks(
          { href: ddText(body.link), text: 'Datadog event' },
          { href: ddText(body.snapshot), text: 'Snapshot' },
        ),
        occurredAt: parseEpoch(body.date) ?? parseEpoch(body.last_updated),
      },
    ];
  },
};
