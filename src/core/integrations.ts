export const INTEGRATION_TYPES = ['datadog', 'newrelic', 'pagerduty', 'generic', 'alertmanager', 'grafana'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];
export const SIGNATURE_SCHEMES = ['hmac', 'standard-webhooks', 'token'] as const;
export type SignatureScheme = (typeof SIGNATURE_SCHEMES)[number];
export const SIGNATURE_ALGORITHMS = ['sha256', 'sha512'] as const;
export type SignatureAlgorithm = (typeof SIGNATURE_ALGORITHMS)[number];
export const SIGNATURE_FORMATS = ['hex', 'base64'] as const;
export type SignatureFormat = (typeof SIGNATURE_FORMATS)[number];
