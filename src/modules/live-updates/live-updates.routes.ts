import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Principal } from '../../core/principal.js';
import { AppError } from '../../lib/errors.js';
import { principalOf } from '../../plugins/auth.js';
import type { ChangeFeed, ChangeSignal, TeamScope } from './change-feed.js';

export const LIVE_UPDATES_PATH = '/api/events/stream';

export interface LiveUpdatesOptions {
  changeFeed: ChangeFeed;
  scopeOf(principal: Principal): Promise<TeamScope>;
  /** Whether the key or session behind a stream still works (revoked, expired, account disabled). */
  stillAuthenticated(principal: Principal): Promise<boolean>;
  /** A comment line this often keeps proxies from closing an idle stream; team scope is re-read then too. */
  heartbeatMs?: number;
  /**
   * A stream ends after this long and the browser reconnects through the normal authentication,
   * so a signed-out session or a revoked key does not keep hearing changes.
   */
  streamLifetimeMs?: number;
}

/** How long a browser waits before reconnecting (the `retry` field). */
const RECONNECT_MS = 3_000;

/**
 * `GET /api/events/stream`: Server-Sent Events naming what changed (`{"topic":"alerts"}`, …), so a
 * console refetches instead of polling. Only topic names are sent, never data: the client reads
 * the data through the API and its access rules. `ready` follows every (re)connection and
 * `resync` a lost database connection: both mean "refetch everything".
 */
export const liveUpdatesRoutes: FastifyPluginAsyncZod<LiveUpdatesOptions> = async (app, options) => {
  const { changeFeed, scopeOf, stillAuthenticated } = options;
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const streamLifetimeMs = options.streamLifetimeMs ?? 10 * 60_000;

  // Open streams never finish by themselves: end them before Fastify waits for in-flight requests.
  app.addHook('preClose', async () => changeFeed.close());

  app.get(
    LIVE_UPDATES_PATH,
    {
      config: { access: 'user' },
      exposeHeadRoute: false,
      schema: {
        tags: ['live updates'],
        summary: 'Server-Sent Events: which topics (alerts, deliveries, incidents) changed',
        description:
          'text/event-stream. Each message is `data: {"topic": …}` with topic `alerts`, `deliveries`, `incidents`, ' +
          '`ready` (after every connection) or `resync` (refetch everything). Non-admins hear only of their teams; ' +
          'deliveries are for platform admins. 406 without `Accept: text/event-stream`; 429 when a user already ' +
          'has too many streams open.',
      },
    },
    async (request, reply) => {
      // Only clients that ask for a stream get one (EventSource always does): anything else
      // walking the API (scripts, fuzzers, JSON clients) gets an answer instead of a hang.
      if (!/\btext\/event-stream\b/.test(request.headers.accept ?? '')) {
        throw new AppError('not-acceptable', 'This route answers only Accept: text/event-stream');
      }
      const principal = principalOf(request);
      const scope = await scopeOf(principal);
      await changeFeed.start();
      const raw = reply.raw;
      const send = (text: string) => {
        if (!raw.writableEnded) raw.write(text);
      };
      let finish = () => {};
      const subscription = changeFeed.subscribe({
        userId: principal.userId,
        apiKeyId: principal.apiKeyId,
        sessionId: principal.sessionId ?? null,
        scope,
        deliver: (signal: ChangeSignal) => send(`data: {"topic":"${signal}"}\n\n`),
        end: () => finish(),
      });

      reply.hijack();
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        // Not reused once the stream ends: an ended stream must not linger as a keep-alive
        // connection that holds up a shutdown for the keep-alive timeout.
        connection: 'close',
        'x-request-id': request.id,
      });
      send(`retry: ${RECONNECT_MS}\ndata: {"topic":"ready"}\n\n`);

      // The heartbeat's writes also keep the socket clear of the server's idle timeout (60 s or more).
      const heartbeat = setInterval(() => {
        send(': keep-alive\n\n');
        // The grant and membership are re-read: a key revoked or an account disabled in another
        // process ends the stream; someone removed from a team stops hearing of it.
        stillAuthenticated(principal).then(
          (valid) => (valid ? scopeOf(principal).then(subscription.setScope) : finish()),
          () => {},
        );
      }, heartbeatMs);
      const lifetime = setTimeout(() => finish(), streamLifetimeMs);
      finish = () => {
        clearInterval(heartbeat);
        clearTimeout(lifetime);
        subscription.unsubscribe();
        if (!raw.writableEnded) raw.end();
      };
      // The response closes when the client goes away (or after `finish` ended it).
      raw.once('close', finish);
    },
  );
};
