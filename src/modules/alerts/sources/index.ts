import type { IntegrationType } from '../../../core/integrations.js';
import type { SourceNormalizer } from '../normalized-alert.js';
import { alertmanagerNormalizer } from './alertmanager.js';
import { datadogNormalizer } from './datadog.js';
import { genericNormalizer } from './generic.js';
import { grafanaNormalizer } from './grafana.js';
import { newrelicNormalizer } from './newrelic.js';
import { pagerdutyNormalizer } from './pagerduty.js';

export { stableHash } from './stable-hash.js';

/**
 * One normalizer per integration type. Each `normalize` is pure and throws only a ZodError (whose
 * issue paths name the offending field) for a payload it does not understand.
 */
export const sourceNormalizers: Record<IntegrationType, SourceNormalizer> = {
  generic: genericNormalizer,
  alertmanager: alertmanagerNormalizer,
  grafana: grafanaNormalizer,
  datadog: datadogNormalizer,
  newrelic: newrelicNormalizer,
  pagerduty: pagerdutyNormalizer,
};

export function getSourceNormalizer(type: IntegrationType): SourceNormalizer {
  return sourceNormalizers[type];
}
