/**
 * URL paths whose last segment is a credential: the token of an invite or password reset link,
 * of a one-click incident action link, of a calendar feed, and of a heartbeat's ping URL.
 */
const CREDENTIAL_IN_PATH =
  /^(\/api\/auth\/password-links\/|\/api\/incidents\/actions\/|\/ical\/|\/api\/heartbeats\/ping\/)[^/?#]+/;

/**
 * The URL with any credential in its path replaced, for log lines and the `instance` of
 * problem details: redaction paths match object keys, not parts of a URL.
 */
export function withoutCredentials(url: string): string {
  return url.replace(CREDENTIAL_IN_PATH, '$1[redacted]');
}
