/** The console's only way to the server: the public API, with the session cookie and CSRF header. */

export interface Problem {
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

export class ApiError extends Error {
  readonly problem: Problem;
  constructor(problem: Problem) {
    super(problem.detail ?? problem.title);
    this.problem = problem;
  }
  get status(): number {
    return this.problem.status;
  }
}

let csrfToken: string | null = null;
let onUnauthorized: () => void = () => {};

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request answers 401: the session ended, so the console shows sign-in. */
export function setUnauthorizedHandler(handler: () => void): void {
  onUnauthorized = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken !== null) headers['x-klaxon-csrf'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError({ title: 'Klaxon is unreachable', status: 0, detail: 'Check your connection and retry.' });
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text === '' ? null : JSON.parse(text);
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const problem =
      parsed !== null && typeof parsed === 'object' && 'title' in parsed
        ? (parsed as Problem)
        : { title: `Request failed (${response.status})`, status: response.status };
    if (response.status === 401 && path !== '/api/auth/login') onUnauthorized();
    throw new ApiError(problem);
  }
  return parsed as T;
}

export const INTEGRATION_TYPES = ['generic', 'alertmanager', 'grafana', 'datadog', 'newrelic', 'pagerduty'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/** GET /api/setup: whether Klaxon still needs its first admin, and the CLI fallback while it does. */
export interface SetupStatus {
  setupNeeded: boolean;
  database?: 'embedded' | 'postgres';
  command?: string;
}

export interface Me {
  id: string;
  email: string;
  name: string | null;
  isPlatformAdmin: boolean;
  authMethod: 'session' | 'api-key';
  csrfToken: string | null;
  sessionExpiresAt: string | null;
}

export interface Integration {
  id: string;
  name: string;
  type: IntegrationType;
  signatureScheme: 'hmac' | 'standard-webhooks' | 'token';
  signatureHeader: string;
  signatureAlgorithm: 'sha256' | 'sha512';
  signatureFormat: 'hex' | 'base64';
  signaturePrefix: string;
  deduplicationWindowMinutes: number;
  rateLimitPerMinute: number;
  isActive: boolean;
  secretPrefix: string;
  createdAt: string;
  updatedAt: string;
  alertCount: number;
  webhookCount: number;
}

export interface IntegrationWithSecret extends Integration {
  webhookSecret: string;
  standardWebhooksSecret?: string;
  webhook_url: string;
  warning: string;
}

export interface Delivery {
  id: string;
  integrationId: string;
  integrationName: string;
  receivedAt: string;
  status: 'accepted' | 'rejected';
  httpStatus: number;
  reason: string | null;
  alertIds: string[];
  /** Accepted deliveries: the parsed body; null when rejected. */
  payload: unknown;
  /** The body as it arrived, keys in the sender's order; rejected deliveries keep theirs too. */
  payloadText: string | null;
  /** Set when payloadText is only the first part of the body: the size received, in bytes. */
  payloadTruncatedFrom: number | null;
  headers: Record<string, string>;
  sourceIp: string | null;
  userAgent: string | null;
  processingMs: number | null;
}

export const ALERT_STATUSES = ['firing', 'acknowledged', 'resolved'] as const;
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;

export interface Alert {
  id: string;
  integrationId: string;
  integrationName: string;
  dedupKey: string;
  title: string;
  description: string | null;
  severity: (typeof ALERT_SEVERITIES)[number];
  status: (typeof ALERT_STATUSES)[number];
  source: string | null;
  labels: Record<string, string>;
  links: Array<{ href: string; text?: string }>;
  occurrenceCount: number;
  firstSeenAt: string;
  lastSeenAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  teamId: string | null;
  teamIds: string[];
}

export interface AlertWithHistory extends Alert {
  occurrences: Array<{
    id: string;
    kind: string;
    occurredAt: string;
    deliveryId: string | null;
    userId: string | null;
  }>;
  incidents: Array<{ id: string; number: number; title: string; status: string; teamId: string }>;
  teams: Array<{ id: string; name: string }>;
  /** The body of the latest delivery that touched the alert, as stored (`text`: as sent). */
  payload: {
    deliveryId: string;
    receivedAt: string;
    body: unknown;
    text: string;
    truncatedFrom: number | null;
  } | null;
}

export interface AuditEntry {
  id: string;
  action: string;
  userId: string | null;
  resourceType: string;
  resourceId: string | null;
  severity: string;
  metadata: Record<string, unknown>;
  createdAt: string;
}

export interface AuditLogPage {
  entries: AuditEntry[];
  nextCursor: string | null;
  /** Display names of the ids the entries mention (people, teams, integrations, schedules, policies). */
  names: Record<string, string>;
}

export interface AuditFilterChoices {
  actions: string[];
  resourceTypes: string[];
  actors: Array<{ id: string; email: string; name: string | null }>;
}

export interface User {
  id: string;
  email: string;
  name: string | null;
  isPlatformAdmin: boolean;
  hasPassword: boolean;
  createdAt: string;
}

/** A one-time invite or reset link, as POST /api/users/:id/password-link returns it (the only time). */
export interface PasswordLink {
  url: string;
  purpose: 'invite' | 'reset';
  expiresAt: string;
  emailed: boolean;
  emailError: string | null;
}

export interface ApiKey {
  id: string;
  name: string;
  userId: string;
  keyPrefix: string;
  /** `read`: GET requests only; `write`: whatever its owner may do. */
  scope: 'read' | 'write';
  /** The one team the key is limited to; null: all of its owner's. */
  teamId: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  createdAt: string;
}
