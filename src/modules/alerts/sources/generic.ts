import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../../core/alerts.js';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import { stableHash } from './stable-hash.js';

const linkHrefSchema = z.url({ protocol: /^https?$/ });
const occurredAtSchema = z.iso.datetime({ offset: true });

/**
 * Klaxon's own payload, for scripts and tools without a dedicated type (CONTRACT "Payload types").
 * Strict: an unknown field is an error, per the contract's "Unknown body fields are rejected".
 *
 * Defaults:
 * - `severity`: `warning`. PagerDuty's Events API makes the sender choose; Opsgenie defaults to P3
 *   (the middle priority) and Grafana OnCall to a non-paging alert. `warning` is that middle: it
 *   shows up, but an unlabelled event should not be treated as a page-worthy `critical`.
 * - `status`: `firing`.
 * - `dedupKey`: stableHash(title, source, labels) — the same title, source and label set (in any
 *   order) give the same key, so a `resolved` event for such an alert must repeat them.
 */
export const genericPayloadSchema = z.strictObject({
  title: z.string().trim().min(1).max(500),
  description: z.string().max(20_000).optional(),
  severity: z.enum(ALERT_SEVERITIES).optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  dedupKey: z.string().trim().min(1).max(255).optional(),
  source: z.string().trim().min(1).max(255).optional(),
  labels: z.record(z.string().min(1).max(100), z.string().max(1000)).optional(),
  links: z
    .array(
      z.strictObject({
        href: linkHrefSchema,
        text: z.string().max(200).optional(),
      }),
    )
    .max(20)
    .optional(),
  occurredAt: occurredAtSchema.optional(),
});

export type GenericPayload = z.infer<typeof genericPayloadSchema>;

const GENERIC_FIELDS = new Set(Object.keys(genericPayloadSchema.shape));
const SEVERITIES = new Set<string>(ALERT_SEVERITIES);

function isRecord(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.getPrototypeOf(value) === Object.prototype
  );
}

/** A trimmed string of `min`..`max` UTF-16 units (Zod's `.trim().min().max()`), or undefined. */
function trimmedString(value: unknown, max: number): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed.length >= 1 && trimmed.length <= max ? trimmed : undefined;
}

/**
 * The generic payload as `genericPayloadSchema.parse` returns it, checked by hand — or undefined
 * whenever the payload is not plainly valid, and the caller then lets Zod decide (and word the
 * errors). So it may only ever accept what the schema accepts, with the same output; it need not
 * accept everything the schema does (an odd but valid payload just takes the Zod path). URLs and
 * timestamps go through the schema's own sub-schemas. Zod's object and record parsing was ~5% of
 * the CPU of an accepted webhook; this is a few property reads (generic.test.ts checks the two
 * agree on random payloads).
 */
export function readGenericPayload(payload: unknown): GenericPayload | undefined {
  if (!isRecord(payload)) return undefined;
  for (const key in payload) if (!GENERIC_FIELDS.has(key)) return undefined;
  const title = trimmedString(payload.title, 500);
  if (title === undefined) return undefined;
  const body: GenericPayload = { title };

  const { description, severity, status, dedupKey, source, labels, links, occurredAt } = payload;
  if (description !== undefined) {
    if (typeof description !== 'string' || description.length > 20_000) return undefined;
    body.description = description;
  }
  if (severity !== undefined) {
    if (typeof severity !== 'string' || !SEVERITIES.has(severity)) return undefined;
    body.severity = severity as NonNullable<GenericPayload['severity']>;
  }
  if (status !== undefined) {
    if (status !== 'firing' && status !== 'resolved') return undefined;
    body.status = status;
  }
  if (dedupKey !== undefined) {
    const key = trimmedString(dedupKey, 255);
    if (key === undefined) return undefined;
    body.dedupKey = key;
  }
  if (source !== undefined) {
    const trimmed = trimmedString(source, 255);
    if (trimmed === undefined) return undefined;
    body.source = trimmed;
  }
  if (labels !== undefined) {
    if (!isRecord(labels)) return undefined;
    const copy: Record<string, string> = {};
    for (const key of Object.keys(labels)) {
      const value = labels[key];
      if (key.length < 1 || key.length > 100 || key === '__proto__') return undefined;
      if (typeof value !== 'string' || value.length > 1000) return undefined;
      copy[key] = value;
    }
    body.labels = copy;
  }
  if (links !== undefined) {
    if (!Array.isArray(links) || links.length > 20) return undefined;
    const read: NonNullable<GenericPayload['links']> = [];
    for (const link of links) {
      if (!isRecord(link)) return undefined;
      for (const key in link) if (key !== 'href' && key !== 'text') return undefined;
      const href = linkHrefSchema.safeParse(link.href);
      if (!href.success) return undefined;
      const { text } = link;
      if (text === undefined) {
        read.push({ href: href.data });
      } else {
        if (typeof text !== 'string' || text.length > 200) return undefined;
        read.push({ href: href.data, text });
      }
    }
    body.links = read;
  }
  if (occurredAt !== undefined) {
    const at = occurredAtSchema.safeParse(occurredAt);
    if (!at.success) return undefined;
    body.occurredAt = at.data;
  }
  return body;
}

export const genericNormalizer: SourceNormalizer = {
  type: 'generic',
  normalize(payload: unknown): NormalizedAlert[] {
    // Zod only for what the hand-written check is unsure of: it words the 400's errors.
    const body = readGenericPayload(payload) ?? genericPayloadSchema.parse(payload);
    const labels = body.labels ?? {};
    const source = body.source ?? null;
    return [
      {
        dedupKey: body.dedupKey ?? stableHash(body.title, source, labels),
        title: body.title,
        description: body.description ?? null,
        severity: body.severity ?? 'warning',
        status: body.status ?? 'firing',
        source,
        labels,
        links: (body.links ?? []).map((link) => (link.text === undefined ? { href: link.href } : link)),
        occurredAt: body.occurredAt === undefined ? null : new Date(body.occurredAt),
      },
    ];
  },
};
