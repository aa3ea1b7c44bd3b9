import { z } from 'zod';
import { ALERT_SEVERITIES } from '../../../db/schema/index.js';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import { stableHash } from './stable-hash.js';

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
        href: z.url({ protocol: /^https?$/ }),
        text: z.string().max(200).optional(),
      }),
    )
    .max(20)
    .optional(),
  occurredAt: z.iso.datetime({ offset: true }).optional(),
});

export type GenericPayload = z.infer<typeof genericPayloadSchema>;

export const genericNormalizer: SourceNormalizer = {
  type: 'generic',
  normalize(payload: unknown): NormalizedAlert[] {
    const body = genericPayloadSchema.parse(payload);
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
