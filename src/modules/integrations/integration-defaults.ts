import type { IntegrationType, SignatureAlgorithm, SignatureFormat, SignatureScheme } from '../../core/integrations.js';

export interface SignatureSettings {
  signatureScheme: SignatureScheme;
  signatureHeader: string;
  signatureAlgorithm: SignatureAlgorithm;
  signatureFormat: SignatureFormat;
  signaturePrefix: string;
  deduplicationWindowMinutes: number;
}

/** Defaults per integration type: the seed plan's table, plus alertmanager and grafana (CONTRACT.md). */
export const TYPE_DEFAULTS: Record<IntegrationType, SignatureSettings> = {
  datadog: hmacDefaults('X-Datadog-Signature', 'hex', '', 15),
  newrelic: hmacDefaults('X-NewRelic-Signature', 'hex', '', 15),
  pagerduty: hmacDefaults('X-PagerDuty-Signature', 'base64', 'v1=', 10),
  generic: hmacDefaults('X-Webhook-Signature', 'hex', '', 15),
  grafana: hmacDefaults('X-Grafana-Alerting-Signature', 'hex', '', 15),
  // Alertmanager cannot sign; it sends `Authorization: Bearer <credentials>`.
  alertmanager: {
    signatureScheme: 'token',
    signatureHeader: 'Authorization',
    signatureAlgorithm: 'sha256',
    signatureFormat: 'hex',
    signaturePrefix: 'Bearer ',
    deduplicationWindowMinutes: 15,
  },
};

/**
 * When a request picks a scheme other than its type's default, the header and prefix of that
 * scheme apply (a token scheme on a signing type would otherwise expect the token in a
 * signature header). Fields given explicitly in the request still win over all of these.
 */
const SCHEME_OVERRIDES: Record<SignatureScheme, Partial<SignatureSettings>> = {
  hmac: {},
  token: { signatureHeader: 'Authorization', signaturePrefix: 'Bearer ' },
  'standard-webhooks': {
    signatureHeader: 'webhook-signature',
    signatureAlgorithm: 'sha256',
    signatureFormat: 'base64',
    signaturePrefix: '',
  },
};

export function resolveSignatureSettings(
  type: IntegrationType,
  requested: Partial<SignatureSettings>,
): SignatureSettings {
  const typeDefaults = TYPE_DEFAULTS[type];
  const scheme = requested.signatureScheme ?? typeDefaults.signatureScheme;
  const schemeDefaults =
    scheme === typeDefaults.signatureScheme
      ? {}
      : scheme === 'hmac'
        ? hmacDefaults('X-Webhook-Signature', 'hex', '', typeDefaults.deduplicationWindowMinutes)
        : SCHEME_OVERRIDES[scheme];
  const defined = Object.fromEntries(Object.entries(requested).filter(([, value]) => value !== undefined));
  return { ...typeDefaults, ...schemeDefaults, ...defined, signatureScheme: scheme };
}

function hmacDefaults(
  header: string,
  format: SignatureFormat,
  prefix: string,
  windowMinutes: number,
): SignatureSettings {
  return {
    signatureScheme: 'hmac',
    signatureHeader: header,
    signatureAlgorithm: 'sha256',
    signatureFormat: format,
    signaturePrefix: prefix,
    deduplicationWindowMinutes: windowMinutes,
  };
}
