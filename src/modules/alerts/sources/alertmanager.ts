import { z } from 'zod';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import {
  clampTitle,
  collectLinks,
  firstNonBlank,
  mapSeverityWord,
  parseTimestamp,
  stringMap,
  timestampString,
} from './common.js';
import { stableHash } from './stable-hash.js';

/**
 * One entry of `alerts` in Alertmanager's webhook (prometheus/alertmanager `notify/webhook`,
 * `template.Alert`). Only what Klaxon reads is validated; other fields pass.
 */
export const alertmanagerAlertSchema = z.object({
  status: z.enum(['firing', 'resolved']),
  labels: stringMap,
  annotations: stringMap.optional(),
  startsAt: timestampString.optional(),
  endsAt: timestampString.optional(),
  generatorURL: z.string().optional(),
  fingerprint: z.string().optional(),
});

/**
 * Alertmanager webhook_config payload, version "4": `{version, groupKey, truncatedAlerts, status,
 * receiver, groupLabels, commonLabels, commonAnnotations, externalURL, alerts}`. Extra fields are
 * tolerated so newer Alertmanagers keep working.
 */
export const alertmanagerPayloadSchema = z.object({
  version: z.string().optional(),
  groupKey: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  receiver: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: z.array(alertmanagerAlertSchema),
});

type PrometheusStyleAlert = z.infer<typeof alertmanagerAlertSchema>;

/**
 * Annotations are kept as labels named `annotation_<name>` (e.g. `annotation_runbook_url`) so they
 * survive normalization without clashing with a label of the same name.
 */
export function labelsWithAnnotations(
  labels: Record<string, string>,
  annotations: Record<string, string> | undefined,
): Record<string, string> {
  const merged: Record<string, string> = { ...labels };
  for (const [name, value] of Object.entries(annotations ?? {})) merged[`annotation_${name}`] = value;
  return merged;
}

/** Dedup key of an Alertmanager/Grafana alert: its fingerprint, else a hash of its sorted labels. */
export function prometheusDedupKey(alert: PrometheusStyleAlert): string {
  return firstNonBlank(alert.fingerprint) ?? stableHash(alert.labels);
}

/** occurredAt: when it started, or, for a resolve, when it ended (falling back to the start). */
export function prometheusOccurredAt(alert: PrometheusStyleAlert): Date | null {
  const startsAt = parseTimestamp(alert.startsAt);
  if (alert.status === 'resolved') return parseTimestamp(alert.endsAt) ?? startsAt;
  return startsAt;
}

export const alertmanagerNormalizer: SourceNormalizer = {
  type: 'alertmanager',
  normalize(payload: unknown): NormalizedAlert[] {
    const body = alertmanagerPayloadSchema.parse(payload);
    return body.alerts.map((alert) => {
      const annotations = alert.annotations ?? {};
      return {
        dedupKey: prometheusDedupKey(alert),
        title: clampTitle(firstNonBlank(annotations.summary, alert.labels.alertname) ?? 'Alertmanager alert'),
        description: firstNonBlank(annotations.description),
        severity: mapSeverityWord(alert.labels.severity),
        status: alert.status,
        source: firstNonBlank(alert.labels.instance, alert.labels.job, body.receiver),
        labels: labelsWithAnnotations(alert.labels, alert.annotations),
        links: collectLinks(
          { href: alert.generatorURL, text: 'Source' },
          { href: body.externalURL, text: 'Alertmanager' },
        ),
        occurredAt: prometheusOccurredAt(alert),
      };
    });
  },
};
