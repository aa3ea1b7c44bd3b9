import { z } from 'zod';
import type { NormalizedAlert, SourceNormalizer } from '../normalized-alert.js';
import {
  alertmanagerAlertSchema,
  labelsWithAnnotations,
  prometheusDedupKey,
  prometheusOccurredAt,
} from './alertmanager.js';
import { clampTitle, collectLinks, firstNonBlank, mapSeverityWord } from './common.js';

/**
 * One alert of Grafana's unified-alerting webhook (grafana/alerting `receivers/webhook`,
 * `templates.ExtendedAlert`): Alertmanager's alert plus Grafana's URLs, values and valueString.
 */
export const grafanaAlertSchema = alertmanagerAlertSchema.extend({
  silenceURL: z.string().optional(),
  dashboardURL: z.string().optional(),
  panelURL: z.string().optional(),
  imageURL: z.string().optional(),
  valueString: z.string().optional(),
});

/**
 * Grafana webhook contact point payload, version "1": `{receiver, status, orgId, alerts,
 * groupLabels, commonLabels, commonAnnotations, externalURL, version, groupKey, truncatedAlerts,
 * title, state (alerting|ok), message}`. `state`, `title` and `message` are deprecated by Grafana;
 * Klaxon reads each alert's own `status`. A custom payload template is not this format.
 */
export const grafanaPayloadSchema = z.object({
  receiver: z.string().optional(),
  status: z.enum(['firing', 'resolved']).optional(),
  state: z.string().optional(),
  title: z.string().optional(),
  externalURL: z.string().optional(),
  alerts: z.array(grafanaAlertSchema),
});

export const grafanaNormalizer: SourceNormalizer = {
  type: 'grafana',
  normalize(payload: unknown): NormalizedAlert[] {
    const body = grafanaPayloadSchema.parse(payload);
    return body.alerts.map((alert) => {
      const annotations = alert.annotations ?? {};
      const description = firstNonBlank(annotations.description);
      const values = firstNonBlank(alert.valueString);
      const parts = [description, values === null ? null : `Values: ${values}`].filter(
        (part): part is string => part !== null,
      );
      return {
        dedupKey: prometheusDedupKey(alert),
        title: clampTitle(firstNonBlank(annotations.summary, alert.labels.alertname, body.title) ?? 'Grafana alert'),
        description: parts.length === 0 ? null : parts.join('\n\n'),
        severity: mapSeverityWord(alert.labels.severity),
        status: alert.status,
        source: firstNonBlank(alert.labels.instance, alert.labels.job, body.receiver),
        labels: labelsWithAnnotations(alert.labels, alert.annotations),
        links: collectLinks(
          { href: alert.generatorURL, text: 'Alert rule' },
          { href: alert.dashboardURL, text: 'Dashboard' },
          { href: alert.panelURL, text: 'Panel' },
          { href: alert.silenceURL, text: 'Silence' },
          { href: alert.imageURL, text: 'Image' },
        ),
        occurredAt: prometheusOccurredAt(alert),
      };
    });
  },
};
