/**
 * The one error type of the application. Every failure a client can see is an AppError with
 * a stable code; the error handler renders it as RFC 9457 problem details.
 */
export const PROBLEM_TYPE_BASE = 'https://klaxon.dev/problems/';

export const errorCatalog = {
  'validation-failed': { status: 400, title: 'Request validation failed' },
  'malformed-json': { status: 400, title: 'Malformed JSON body' },
  'bad-request': { status: 400, title: 'Bad request' },
  'sso-login-invalid': { status: 400, title: 'This sign-in attempt is unknown, expired or already used' },
  'invalid-payload': { status: 400, title: 'Payload not understood for this integration type' },
  'outbound-url-refused': { status: 400, title: 'Klaxon does not send to this address' },
  'phone-number-invalid': { status: 400, title: 'Not a valid phone number' },
  'phone-country-not-allowed': { status: 400, title: 'Klaxon does not send to numbers of this country' },
  'verification-code-invalid': { status: 400, title: 'Wrong or expired verification code' },
  unauthorized: { status: 401, title: 'Authentication required' },
  'sso-rejected': { status: 401, title: 'The identity provider did not vouch for this sign-in' },
  'invalid-signature': { status: 401, title: 'Missing or invalid webhook signature' },
  'invalid-credentials': { status: 401, title: 'Email or password is incorrect' },
  forbidden: { status: 403, title: 'Not allowed' },
  'password-sign-in-disabled': { status: 403, title: 'Password sign-in is disabled; sign in with SSO' },
  'csrf-check-failed': { status: 403, title: 'Missing or invalid CSRF token' },
  'integration-disabled': { status: 403, title: 'Integration is disabled' },
  'invalid-provider-signature': { status: 403, title: 'Missing or invalid provider signature' },
  'setup-link-invalid': { status: 403, title: 'This setup link is not valid' },
  'not-found': { status: 404, title: 'Resource not found' },
  'user-not-found': { status: 404, title: 'User not found' },
  'api-key-not-found': { status: 404, title: 'API key not found' },
  'integration-not-found': { status: 404, title: 'Integration not found' },
  'alert-not-found': { status: 404, title: 'Alert not found' },
  'team-not-found': { status: 404, title: 'Team not found' },
  'team-member-not-found': { status: 404, title: 'Team member not found' },
  'routing-rule-not-found': { status: 404, title: 'Routing rule not found' },
  'schedule-not-found': { status: 404, title: 'Schedule not found' },
  'schedule-layer-not-found': { status: 404, title: 'Schedule layer not found' },
  'schedule-override-not-found': { status: 404, title: 'Schedule override not found' },
  'ical-feed-not-found': { status: 404, title: 'Calendar feed not found' },
  'incident-not-found': { status: 404, title: 'Incident not found' },
  'escalation-policy-not-found': { status: 404, title: 'Escalation policy not found' },
  'contact-method-not-found': { status: 404, title: 'Contact method not found' },
  'notification-rule-not-found': { status: 404, title: 'Notification rule not found' },
  'password-link-not-found': { status: 404, title: 'Password link not found' },
  'session-not-found': { status: 404, title: 'Session not found' },
  'sso-not-configured': { status: 404, title: 'Single sign-on is not configured' },
  'silence-not-found': { status: 404, title: 'Silence not found' },
  'maintenance-window-not-found': { status: 404, title: 'Maintenance window not found' },
  'inhibition-rule-not-found': { status: 404, title: 'Inhibition rule not found' },
  'heartbeat-not-found': { status: 404, title: 'Heartbeat not found' },
  'event-rule-not-found': { status: 404, title: 'Event rule not found' },
  'method-not-allowed': { status: 405, title: 'Method not allowed' },
  'not-acceptable': { status: 406, title: 'Not acceptable' },
  'request-timeout': { status: 408, title: 'Request not received in time' },
  conflict: { status: 409, title: 'Conflict' },
  'backup-not-available': { status: 409, title: 'PostgreSQL is backed up with pg_dump, not through Klaxon' },
  'duplicate-user': { status: 409, title: 'A user with this email already exists' },
  'duplicate-integration': { status: 409, title: 'Integration name already exists' },
  'duplicate-team': { status: 409, title: 'A team with this name already exists' },
  'duplicate-team-member': { status: 409, title: 'The user is already a member of this team' },
  'team-in-use': { status: 409, title: 'The team is still used by routing' },
  'duplicate-schedule': { status: 409, title: 'The team already has a schedule with this name' },
  'duplicate-escalation-policy': { status: 409, title: 'An escalation policy with this name already exists' },
  'duplicate-notification-rule': { status: 409, title: 'This contact method already has a rule with this delay' },
  'duplicate-heartbeat': { status: 409, title: 'The team already has a heartbeat with this name' },
  'incident-resolved': { status: 409, title: 'The incident is already resolved' },
  'sso-account-conflict': { status: 409, title: 'The account is linked to another single sign-on identity' },
  'phone-not-verified': { status: 409, title: 'The phone number is not verified yet' },
  'phone-already-verified': { status: 409, title: 'The phone number is already verified' },
  'phone-number-taken': { status: 409, title: 'Someone else has verified this phone number' },
  'action-link-invalid': { status: 410, title: 'This link has expired or was already used' },
  'password-link-invalid': { status: 410, title: 'This password link has expired or was already used' },
  'setup-complete': { status: 410, title: 'Klaxon is already set up' },
  'payload-too-large': { status: 413, title: 'Payload too large' },
  'uri-too-long': { status: 414, title: 'URI too long' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type' },
  'rate-limited': { status: 429, title: 'Too many requests' },
  'headers-too-large': { status: 431, title: 'Request headers too large' },
  'internal-error': { status: 500, title: 'Internal server error' },
  'sso-provider-unavailable': { status: 502, title: 'The identity provider could not be reached' },
  'phone-delivery-failed': { status: 502, title: 'No SMS or voice provider could deliver the message' },
  'service-unavailable': { status: 503, title: 'Service temporarily unavailable' },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof errorCatalog;

export interface FieldError {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string | undefined;
  readonly errors: FieldError[] | undefined;
  /** Extra response headers, e.g. Retry-After. */
  readonly headers: Record<string, string> | undefined;

  constructor(
    code: ErrorCode,
    detail?: string,
    options: { errors?: FieldError[]; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? errorCatalog[code].title, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.status = errorCatalog[code].status;
    this.detail = detail;
    this.errors = options.errors;
    this.headers = options.headers;
  }
}

export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors?: FieldError[];
}

export function toProblem(error: AppError, instance: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: PROBLEM_TYPE_BASE + error.code,
    title: errorCatalog[error.code].title,
    status: error.status,
    instance,
  };
  if (error.detail !== undefined) problem.detail = error.detail;
  if (error.errors !== undefined) problem.errors = error.errors;
  return problem;
}
