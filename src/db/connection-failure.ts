import { parse } from 'pg-connection-string';

/**
 * A PostgreSQL that cannot be reached at start-up, said in one line an operator can act on: where
 * Klaxon tried (host, port and database from the URL, never its password), which setting named
 * it, and what went wrong. The server and the CLI print it without a stack trace; pg's own errors
 * ("Connection terminated due to connection timeout", "connect ECONNREFUSED …") say neither where
 * nor which setting.
 */
export class DatabaseUnreachableError extends Error {
  override readonly name = 'DatabaseUnreachableError';
}

interface ConnectionAttempt {
  /** The connection string that was used. */
  url: string;
  /** The environment variable that holds it. */
  setting: 'DATABASE_URL' | 'DATABASE_DIRECT_URL';
  /** The connection timeout in force (DATABASE_CONNECT_TIMEOUT_MS). */
  timeoutMs: number;
}

/** SQLSTATEs a server sends before a session exists: the message it sends says it best. */
const REFUSALS_BY_SERVER = new Set([
  '28P01', // invalid_password
  '28000', // invalid_authorization_specification (no pg_hba.conf entry, …)
  '3D000', // invalid_catalog_name: the database does not exist
  '53300', // too_many_connections
  '57P03', // cannot_connect_now: starting up, shutting down, in recovery
]);

/**
 * `error` as a DatabaseUnreachableError when it is a failure to connect (to resolve, reach, or be
 * let in by the server), or unchanged when it is anything else.
 */
export function describeConnectionFailure(error: unknown, attempt: ConnectionAttempt): unknown {
  const reason = connectionFailureReason(error, attempt);
  if (reason === undefined) return error;
  return new DatabaseUnreachableError(
    `cannot connect to PostgreSQL at ${whereTo(attempt.url)} (${attempt.setting}): ${reason}`,
    { cause: error },
  );
}

function connectionFailureReason(error: unknown, attempt: ConnectionAttempt): string | undefined {
  if (!(error instanceof Error)) return undefined;
  const code = (error as { code?: unknown }).code;
  if (error.message === 'Connection terminated due to connection timeout')
    return `no answer within ${attempt.timeoutMs} ms (DATABASE_CONNECT_TIMEOUT_MS); is it running and reachable from here?`;
  switch (code) {
    case 'ECONNREFUSED':
      return 'connection refused: nothing listens there; is PostgreSQL running, on that port?';
    case 'ENOTFOUND':
      return 'the host name does not resolve';
    case 'EAI_AGAIN':
      return 'the host name could not be resolved (the DNS server did not answer); try again';
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return `the host cannot be reached (${code})`;
    case 'ECONNRESET':
      return 'the connection was closed before the session began';
  }
  if (typeof code === 'string' && REFUSALS_BY_SERVER.has(code)) return error.message;
  if (error.message === 'Connection terminated unexpectedly')
    return 'the server closed the connection before the session began';
  return undefined;
}

/** `host:port/database` of a connection string as pg reads it (pg's own parser), without its user or password. */
function whereTo(url: string): string {
  // Only URLs are accepted by configuration; anything else is not echoed (it might hold a password).
  if (!/^postgres(ql)?:\/\//.test(url)) return 'the configured address';
  try {
    const { host, port, database } = parse(url);
    return `${host || 'localhost'}:${port || '5432'}${database ? `/${database}` : ''}`;
  } catch {
    return 'the configured address';
  }
}
