/**
 * The ceiling: a bare Fastify server with one POST route that reads the raw body, verifies the
 * same credential Klaxon checks (HMAC-SHA256 hex in X-Webhook-Signature, or `Authorization:
 * Bearer <token>` compared as SHA-256 digests) with timingSafeEqual, and answers 202 with a small
 * JSON. It stores nothing — unless BENCH_NAIVE_DB is set, which turns it into the "naive"
 * baseline: the same plus one INSERT of the body per request (no batching, no transaction).
 * With BENCH_GROUP_COMMIT=1 as well it is the "durable floor": the least a durable receiver on
 * this stack can do — the requests that arrive while a commit is in flight wait and are written
 * together by one named multi-row INSERT of id and body (text, as Klaxon keeps a delivery's
 * body), one batch at a time, as Klaxon's group commit does. No parsing, no dedup, no log.
 *
 * Env: PORT, BENCH_SECRET, BENCH_NAIVE_DB = `pglite:<dir>` | `postgres:<url>` (optional),
 * BENCH_GROUP_COMMIT = `1` (optional).
 */
import { createHash, createHmac, randomUUID, timingSafeEqual } from 'node:crypto';
import Fastify from 'fastify';

const port = Number(process.env.PORT ?? 0);
const secret = Buffer.from(process.env.BENCH_SECRET ?? '', 'utf8');
const secretDigest = createHash('sha256').update(secret).digest();
const naive = process.env.BENCH_NAIVE_DB ?? '';

const groupCommit = process.env.BENCH_GROUP_COMMIT === '1';
/** How many batches may be committing at once (the floor's; 1 as Klaxon's group commit). */
const batchesInFlight = Number(process.env.BENCH_BATCHES_IN_FLIGHT ?? 1);

type Insert = (id: string, body: string) => Promise<void>;
type Run = (text: string, values: unknown[]) => Promise<void>;

const NAIVE_TABLE =
  'CREATE TABLE IF NOT EXISTS naive_events (id uuid PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), payload jsonb NOT NULL)';
const NAIVE_INSERT = 'INSERT INTO naive_events (id, payload) VALUES ($1, $2::jsonb)';
const FLOOR_TABLE =
  'CREATE TABLE IF NOT EXISTS floor_events (id uuid PRIMARY KEY, received_at timestamptz NOT NULL DEFAULT now(), payload text NOT NULL)';
const FLOOR_INSERT = 'INSERT INTO floor_events (id, payload) SELECT * FROM unnest($1::uuid[], $2::text[])';

/** One INSERT per request, each its own transaction. */
function insertEach(run: Run): Insert {
  return (id, body) => run(NAIVE_INSERT, [id, body]);
}

/** Group commit: whoever arrives while a batch is being written goes into the next one. */
function insertGrouped(run: Run): Insert {
  let queue: Array<{ id: string; body: string; done: (error?: unknown) => void }> = [];
  let writing = 0;
  const drain = () => {
    if (writing >= batchesInFlight || queue.length === 0) return;
    writing += 1;
    const batch = queue;
    queue = [];
    run(FLOOR_INSERT, [batch.map((item) => item.id), batch.map((item) => item.body)])
      .then(
        () => {
          for (const item of batch) item.done();
        },
        (error: unknown) => {
          for (const item of batch) item.done(error);
        },
      )
      .finally(() => {
        writing -= 1;
        drain();
      });
  };
  return (id, body) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ id, body, done: (error) => (error === undefined ? resolve() : reject(error)) });
      if (queue.length === 1 && writing < batchesInFlight) setImmediate(drain);
    });
}

async function openNaive(): Promise<{ insert: Insert; close: () => Promise<void> } | undefined> {
  const create = groupCommit ? FLOOR_TABLE : NAIVE_TABLE;
  const insert = groupCommit ? insertGrouped : insertEach;
  if (naive.startsWith('pglite:')) {
    const { PGlite } = await import('@electric-sql/pglite');
    const client = await PGlite.create(naive.slice('pglite:'.length));
    await client.exec(create);
    return {
      insert: insert(async (text, values) => {
        await client.query(text, values);
      }),
      close: () => client.close(),
    };
  }
  if (naive.startsWith('postgres:')) {
    const { default: pg } = await import('pg');
    const pool = new pg.Pool({ connectionString: naive.slice('postgres:'.length), max: 10 });
    await pool.query(create);
    return {
      // Named, so each connection parses and plans it once (as Klaxon's hot statements are).
      insert: insert(async (text, values) => {
        await pool.query({ name: text === FLOOR_INSERT ? 'floor_insert' : 'naive_insert', text, values });
      }),
      close: () => pool.end(),
    };
  }
  return undefined;
}

function verified(headers: Record<string, string | string[] | undefined>, body: Buffer): boolean {
  const signature = headers['x-webhook-signature'];
  if (typeof signature === 'string') {
    const expected = createHmac('sha256', secret).update(body).digest();
    const presented = Buffer.from(signature, 'hex');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }
  const authorization = headers.authorization;
  if (typeof authorization === 'string' && authorization.startsWith('Bearer ')) {
    const presented = createHash('sha256').update(authorization.slice(7).trim(), 'utf8').digest();
    return timingSafeEqual(presented, secretDigest);
  }
  return false;
}

async function main(): Promise<void> {
  const store = await openNaive();
  const app = Fastify({ logger: false, bodyLimit: 512 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  app.get('/readyz', async () => ({ status: 'ready' }));
  app.post('/webhooks/alerts/:name', async (request, reply) => {
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (!verified(request.headers, body)) return reply.code(401).send({ error: 'invalid-signature' });
    const id = randomUUID();
    if (store !== undefined) await store.insert(id, body.toString('utf8'));
    return reply.code(202).send({ deliveryId: id });
  });
  const stop = async () => {
    await app.close();
    await store?.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  await app.listen({ port, host: '127.0.0.1' });
}

main().catch((error: unknown) => {
  process.stderr.write(`ceiling-server: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
