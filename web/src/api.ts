/** The console's only way to the server: the public API, with the session cookie and CSRF header. */
import { allOf, type Item, type ResponseOf } from './api-types';

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

export type IntegrationType = Integration['type'];
export const INTEGRATION_TYPES = allOf<IntegrationType>()([
  'generic',
  'alertmanager',
  'grafana',
  'datadog',
  'newrelic',
  'pagerduty',
]);

/** GET /api/setup: whether Klaxon still needs its first admin, and the CLI fallback while it does. */
export type SetupStatus = ResponseOf<'/api/setup'>;
export type Me = ResponseOf<'/api/auth/me'>;
export type Integration = Item<ResponseOf<'/api/integrations'>['integrations']>;
/** As POST /api/integrations and rotate-secret answer: the only time the secret is shown. */
export type IntegrationWithSecret = ResponseOf<'/api/integrations', 'post'>;
export type Delivery = Item<ResponseOf<'/api/integrations/{id}/deliveries'>['deliveries']>;

export type Alert = Item<ResponseOf<'/api/alerts'>['alerts']>;
export const ALERT_STATUSES = allOf<Alert['status']>()(['firing', 'acknowledged', 'resolved']);
export const ALERT_SEVERITIES = allOf<Alert['severity']>()(['critical', 'error', 'warning', 'info']);
/** One alert with its occurrences, incidents, teams and the latest stored payload. */
export type AlertWithHistory = ResponseOf<'/api/alerts/{id}'>;

export type AuditLogPage = ResponseOf<'/api/audit-logs'>;
export type AuditEntry = Item<AuditLogPage['entries']>;
export type AuditFilterChoices = ResponseOf<'/api/audit-logs/filters'>;

export type User = Item<ResponseOf<'/api/users'>['users']>;
/** A one-time invite or reset link, as POST /api/users/:id/password-link returns it (the only time). */
export type PasswordLink = ResponseOf<'/api/users/{id}/password-link', 'post'>;
export type ApiKey = Item<ResponseOf<'/api/api-keys'>['apiKeys']>;
