import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * One log line per request, when it is answered: method, URL (credentials redacted by the `req`
 * serializer), status and duration. Fastify's default writes two (`incoming request`, then
 * `request completed`), which doubled the logging cost on the webhook hot path. Every other
 * line Fastify writes (errors, a route not found) stays as it was.
 */
export class OneLinePerRequest extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (this.isLogDisabled(request)) return;
    const line = { req: request, res: reply, responseTime: reply.elapsedTime };
    const log = reply.log as FastifyBaseLogger & { isLevelEnabled?(level: string): boolean };
    if (error) log.error({ ...line, err: error }, 'request errored');
    // Not pino (the app was built with `logger: false`): nothing is written, nothing to save.
    else if (log.isLevelEnabled === undefined) log.info(line, 'request completed');
    // The request's own logger decides whether info is on (its level is the route's).
    else if (log.isLevelEnabled('info')) {
      withoutRedaction(request.server.log).info({ reqId: request.id, ...line }, 'request completed');
    }
  }
}

const unredacted = new WeakMap<FastifyBaseLogger, FastifyBaseLogger>();

/**
 * The application's logger without its redaction paths, for the one line every request writes:
 * that line holds only what the `req` serializer keeps of the request (no headers; credentials
 * in the URL replaced), the status and the duration — nothing the paths look for — and running
 * the paths over it cost 7–12 µs a line, 3–5 % of an accepted webhook's CPU (bench/README.md,
 * 2026-12-07). Every other line, the errored request's included, keeps the redaction.
 */
function withoutRedaction(logger: FastifyBaseLogger): FastifyBaseLogger {
  let child = unredacted.get(logger);
  if (child === undefined) {
    child = logger.child({}, { redact: { paths: [] } });
    unredacted.set(logger, child);
  }
  return child;
}
