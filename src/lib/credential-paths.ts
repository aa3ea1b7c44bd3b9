/**
 * URL paths whose last segment is a credential: the token of an invite or password reset link,
 * of a one-click incident action link, of a calendar feed, and of a heartbeat's ping URL. Matched on the normalized path.
 */
const CREDENTIAL_IN_PATH =
  /^(\/api\/auth\/password-links\/|\/api\/incidents\/actions\/|\/ical\/|\/api\/heartbeats\/ping\/)[^/]/;

/** Query parameters whose value is a credential (tokens, keys, OAuth codes and states). */
const CREDENTIAL_QUERY_NAME = /token|key|secret|password|signature|session|^code$|^state$|^sig$/;

/** A client can encode again and again; three rounds cover any router that decodes once. */
const DECODE_ROUNDS = 3;

/** Percent-decodes valid `%XX` sequences, leaving malformed ones as they are (never throws). */
function decodeTolerant(text: string): string {
  let current = text;
  for (let round = 0; round < DECODE_ROUNDS && current.includes('%'); round++) {
    const next = current.replace(/(?:%[0-9a-fA-F]{2})+/g, (run) => {
      try {
        return decodeURIComponent(run);
      } catch {
        // Not UTF-8: decode byte by byte, which is enough to recognize an ASCII route name.
        return run.replace(/%([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
      }
    });
    if (next === current) break;
    current = next;
  }
  return current;
}

/**
 * A path every router reads as it is written: segments of lowercase ASCII letters, digits, `-` and
 * `_`, single slashes, no trailing one. Nothing to decode, fold, merge or resolve, so normalizing
 * it gives it back; a webhook URL is one, and this check is ~10× cheaper than normalizing.
 */
const PLAIN_PATH = /^(?:\/[a-z0-9_-]+)+$/;

/** The path as a router that decodes, ignores case, merges slashes and resolves dot segments would see it. */
function normalizePath(path: string): string {
  if (PLAIN_PATH.test(path)) return path;
  const segments: string[] = [];
  for (const segment of decodeTolerant(path).replaceAll('\\', '/').toLowerCase().split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  return `/${segments.join('/')}`;
}

function withoutCredentialsInQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const equals = pair.indexOf('=');
      if (equals === -1) return pair;
      const name = decodeTolerant(pair.slice(0, equals).replaceAll('+', ' ')).toLowerCase();
      return CREDENTIAL_QUERY_NAME.test(name) ? `${pair.slice(0, equals)}=[redacted]` : pair;
    })
    .join('&');
}

/**
 * The URL with any credential replaced, for log lines and problem details: redaction paths match
 * object keys, not parts of a URL. The path is judged after decoding and normalizing, so
 * `/api/auth/%70assword-links/<token>` (which the router serves as a password link) is redacted
 * too; everything after a credential-bearing prefix is dropped, since a token may span segments.
 */
export function withoutCredentials(url: string): string {
  const queryStart = url.search(/[?#]/);
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? '' : url.slice(queryStart + 1);
  const credentialPrefix = CREDENTIAL_IN_PATH.exec(normalizePath(path))?.[1];
  const safePath = credentialPrefix === undefined ? path : `${credentialPrefix}[redacted]`;
  return queryStart === -1 ? safePath : `${safePath}${url[queryStart]}${withoutCredentialsInQuery(query)}`;
}
