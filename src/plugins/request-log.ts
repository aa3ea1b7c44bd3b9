import { type FastifyBaseLogger, type FastifyReply, type FastifyRequest, LogController } from 'fastify';
import pino from 'pino';
import { LOG_SERIALIZERS } from '../app.js';

const MESSAGE = 'request completed';
const INFO = 30;

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
    else if (log.isLevelEnabled === undefined) log.info(line, MESSAGE);
    // The request's own logger decides whether info is on (its level is the route's).
    else if (log.isLevelEnabled('info') && !writeRequestLine(request.server.log, request, reply)) {
      request.server.log.info({ reqId: request.id, ...line }, MESSAGE);
    }
  }
}

const {
  chindingsSym,
  endSym,
  formattersSym,
  hooksSym,
  lsCacheSym,
  messageKeySym,
  mixinSym,
  nestedKeySym,
  streamSym,
  timeSym,
} = pino.symbols as unknown as Record<
  | 'chindingsSym'
  | 'endSym'
  | 'formattersSym'
  | 'hooksSym'
  | 'lsCacheSym'
  | 'messageKeySym'
  | 'mixinSym'
  | 'nestedKeySym'
  | 'streamSym'
  | 'timeSym',
  symbol
>;
const needsMetadata = Symbol.for('pino.metadata');

interface PinoInternals {
  levelPrefix: string;
  time: () => string;
  chindings: string;
  end: string;
  stream: { write(line: string): unknown };
}

const plainPino = new WeakMap<object, PinoInternals | null>();

/**
 * What pino needs to write a line, when this logger writes it the plain way: no mixin, no log
 * formatter, no nested key, no write hook, `msg` as the message key, and a stream that does not
 * ask for the line's metadata (as pino.multistream does). Null otherwise: pino writes the line.
 */
function plainPinoOf(logger: FastifyBaseLogger): PinoInternals | null {
  let internals = plainPino.get(logger);
  if (internals !== undefined) return internals;
  const raw = logger as unknown as Record<symbol, unknown>;
  const stream = raw[streamSym] as (PinoInternals['stream'] & Record<symbol, unknown>) | undefined;
  const levelPrefix = (raw[lsCacheSym] as Record<number, string> | undefined)?.[INFO];
  const plain =
    typeof stream?.write === 'function' &&
    stream[needsMetadata] !== true &&
    typeof levelPrefix === 'string' &&
    typeof raw[timeSym] === 'function' &&
    typeof raw[chindingsSym] === 'string' &&
    typeof raw[endSym] === 'string' &&
    raw[mixinSym] == null &&
    raw[nestedKeySym] == null &&
    raw[messageKeySym] === 'msg' &&
    (raw[formattersSym] as { log?: unknown } | undefined)?.log === undefined &&
    (raw[hooksSym] as { streamWrite?: unknown } | undefined)?.streamWrite === undefined;
  internals = plain
    ? {
        levelPrefix: levelPrefix as string,
        time: raw[timeSym] as () => string,
        chindings: raw[chindingsSym] as string,
        end: raw[endSym] as string,
        stream: stream as PinoInternals['stream'],
      }
    : null;
  plainPino.set(logger, internals);
  return internals;
}

/**
 * Writes the request's line to the logger's stream, byte for byte what `log.info({ reqId, req,
 * res, responseTime }, 'request completed')` writes (the same serializer for `req`, Fastify's
 * `{ statusCode }` for `res`; request-log.test.ts compares the two), without pino's general path:
 * a lookup of serializers and redaction per key, which cost ~5–10 µs of an accepted webhook's
 * ~250 µs (bench/README.md, 2026-12-07). No redaction runs: the line holds only what the `req`
 * serializer keeps (no headers; credentials in the URL replaced), the status and the duration.
 * False when the logger is not plain pino; the caller then logs the usual way.
 */
function writeRequestLine(logger: FastifyBaseLogger, request: FastifyRequest, reply: FastifyReply): boolean {
  const pinoLogger = plainPinoOf(logger);
  if (pinoLogger === null) return false;
  const { levelPrefix, time, chindings, end, stream } = pinoLogger;
  // JSON.stringify renders a non-finite duration as null, as pino does.
  stream.write(
    `${levelPrefix}${time()}${chindings},"reqId":${JSON.stringify(request.id)},"req":${JSON.stringify(
      LOG_SERIALIZERS.req(request),
    )},"res":{"statusCode":${JSON.stringify(reply.statusCode)}},"responseTime":${JSON.stringify(
      reply.elapsedTime,
    )},"msg":"${MESSAGE}"${end}`,
  );
  return true;
}
