import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { type EventStream, openEventStream } from './helpers/event-stream.js';
import { startServer } from './helpers/server-process.js';
import { hmacHex } from './helpers/webhooks.js';

/**
 * GET /api/events/stream against a listening server: changes made through the real paths
 * (webhook ingest, the API) reach streams through the database's NOTIFY, coalesced and scoped
 * to the teams a caller may see.
 */
const PASSWORD = 'correct horse battery staple';
const STREAM = '/api/events/stream';

let t: TestApp;
let base = '';
let admin: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let teamA = '';
let integration: { name: string; webhookSecret: string };
const streams: EventStream[] = [];

/** Every socket each server accepted: fetch's pool leaves some that never carry a request. */
const sockets = new Map<TestApp, Socket[]>();

async function listen(app: TestApp): Promise<string> {
  const accepted: Socket[] = [];
  sockets.set(app, accepted);
  app.app.server.on('connection', (socket: Socket) => accepted.push(socket));
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return `http://127.0.0.1:${(app.app.server.address() as AddressInfo).port}`;
}

async function open(who: { apiKey: string } | Record<string, string>, url = `${base}${STREAM}`) {
  const headers = 'apiKey' in who ? { authorization: `Bearer ${who.apiKey}` } : who;
  const stream = await openEventStream(url, headers);
  streams.push(stream);
  return stream;
}

/** Over real HTTP: the injected requests of app.inject() have no socket for the request deadline. */
async function fire(dedupKey: string, team: string, target = base, through = integration): Promise<number> {
  const body = JSON.stringify({ title: `alert ${dedupKey}`, dedupKey, labels: { team } });
  const response = await fetch(`${target}/webhooks/alerts/${through.name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(through.webhookSecret, body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** The admin's API calls, over real HTTP too. */
async function asAdmin(method: string, url: string, body?: unknown): Promise<Response> {
  return fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${admin.apiKey}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function createUser(): Promise<{ userId: string; apiKey: string }> {
  const user = (await (await asAdmin('POST', '/api/users', { email: `u-${Math.random()}@example.com` })).json()) as {
    id: string;
  };
  const key = (await (await asAdmin('POST', '/api/api-keys', { name: 'live', userId: user.id })).json()) as {
    key: string;
  };
  return { userId: user.id, apiKey: key.key };
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeAll(async () => {
  // A short heartbeat: the team scope is re-read quickly.
  t = await createTestApp({ liveUpdates: { heartbeatMs: 200 } });
  base = await listen(t);
  admin = await t.services.bootstrapAdminService.bootstrap({ email: 'live-admin@example.com', password: PASSWORD });
  member = await createUser();
  teamA = ((await (await asAdmin('POST', '/api/teams', { name: 'Team A' })).json()) as { id: string }).id;
  const teamB = ((await (await asAdmin('POST', '/api/teams', { name: 'Team B' })).json()) as { id: string }).id;
  await asAdmin('POST', `/api/teams/${teamA}/members`, { userId: member.userId });
  for (const [label, teamId] of [
    ['a', teamA],
    ['b', teamB],
  ]) {
    await asAdmin('POST', '/api/routing-rules', {
      name: `team=${label}`,
      teamId,
      matchers: [{ field: 'labels.team', op: 'equals', value: label }],
    });
  }
  const created = await asAdmin('POST', '/api/integrations', { name: 'live', type: 'generic' });
  integration = (await created.json()) as typeof integration;
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  // fetch's pool opens sockets that never send a request (some accepted late); each would hold
  // app.close() for Node's header timeout (60 s). Shutdown with open streams is tested on its own
  // app below; here they are swept away.
  if (t !== undefined) await closeSweeping(t);
});

async function closeSweeping(app: TestApp): Promise<void> {
  const sweep = setInterval(() => {
    for (const socket of sockets.get(app) ?? []) socket.destroy();
  }, 50);
  await app.close();
  clearInterval(sweep);
}

describe('GET /api/events/stream', () => {
  it('answers 401 problem+json without credentials or with an unknown key', async () => {
    for (const headers of [{}, { authorization: 'Bearer klx_notakey' }] as Array<Record<string, string>>) {
      const response = await fetch(`${base}${STREAM}`, { headers });
      expect(response.status).toBe(401);
      expect(response.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
  });

  it('answers 406 to an authenticated client that does not ask for an event stream', async () => {
    const response = await fetch(`${base}${STREAM}`, { headers: { authorization: `Bearer ${admin.apiKey}` } });
    expect(response.status).toBe(406);
  });

  it('tells an admin of alerts and deliveries', async () => {
    const stream = await open(admin);
    expect(stream.status).toBe(200);
    expect(stream.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    await stream.next('ready');
    const seen = stream.messages.length;
    expect(await fire('admin-1', 'z')).toBe(202);
    await stream.next('alerts', { after: seen });
    await stream.next('deliveries', { after: seen });
  });

  it('works with the console session cookie', async () => {
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'live-admin@example.com', password: PASSWORD }),
    });
    const cookie = String(login.headers.get('set-cookie')).split(';')[0] as string;
    const stream = await open({ cookie });
    expect(stream.status).toBe(200);
    await stream.next('ready');
  });

  it("tells a member only of their teams' alerts, never of deliveries; removal takes effect", async () => {
    const adminStream = await open(admin);
    const memberStream = await open(member);
    await Promise.all([adminStream.next('ready'), memberStream.next('ready')]);

    const adminSeen = adminStream.messages.length;
    await fire('other-team', 'b');
    await adminStream.next('alerts', { after: adminSeen });
    await adminStream.next('deliveries', { after: adminSeen });
    await pause(400);
    expect(memberStream.topics()).toEqual(['ready']);

    await fire('own-team', 'a');
    await memberStream.next('alerts');
    expect(memberStream.topics()).not.toContain('deliveries');

    await asAdmin('DELETE', `/api/teams/${teamA}/members/${member.userId}`);
    await pause(500); // more than a heartbeat: the scope has been re-read
    const memberSeen = memberStream.messages.length;
    const adminSeenAgain = adminStream.messages.length;
    await fire('after-removal', 'a');
    await adminStream.next('alerts', { after: adminSeenAgain });
    await pause(400);
    expect(memberStream.messages.slice(memberSeen)).toEqual([]);
    await asAdmin('POST', `/api/teams/${teamA}/members`, { userId: member.userId });
  });

  it('counts open streams in /metrics (klaxon_live_update_streams), and stops counting a closed one', async () => {
    const streamsNow = async () => {
      const text = await (await fetch(`${base}/metrics`)).text();
      return Number(/^klaxon_live_update_streams (\d+)$/m.exec(text)?.[1]);
    };
    // Earlier tests' streams are closed first, so the count is not moved by them ending meanwhile.
    for (const earlier of streams.splice(0)) earlier.close();
    await expect.poll(streamsNow, { timeout: 5_000 }).toBe(0);
    const stream = await open(admin);
    await stream.next('ready');
    expect(await streamsNow()).toBe(1);
    stream.close();
    await expect.poll(streamsNow, { timeout: 5_000 }).toBe(0);
  });

  it('limits open streams per user (429) and frees a slot when one closes', async () => {
    const user = await createUser();
    const opened = await Promise.all(Array.from({ length: 10 }, () => open(user)));
    expect(opened.map((stream) => stream.status)).toEqual(Array(10).fill(200));
    const refused = await fetch(`${base}${STREAM}`, {
      headers: { authorization: `Bearer ${user.apiKey}`, accept: 'text/event-stream' },
    });
    expect(refused.status).toBe(429);
    expect((await refused.json()).detail).toMatch(/At most 10 live-update streams/);
    opened[0]?.close();
    await pause(200);
    expect((await open(user)).status).toBe(200);
    for (const stream of opened) stream.close();
  });
});

describe('coalescing, through ingest, NOTIFY and the stream', () => {
  // The window's arithmetic is checked on a clock the test moves (test/change-feed.test.ts). Here
  // the window outlasts the test, so the count does not depend on how fast a loaded machine
  // ingests: the first change is signalled at once, and the rest of the burst waits for the window.
  it('signals a burst of 300 ingested alerts as one message per topic', async () => {
    const wide = await createTestApp({ changeFeedCoalesceMs: 3_600_000 });
    try {
      const wideBase = await listen(wide);
      const key = (await wide.createAdmin()).apiKey;
      const source = (
        await wide.request({ method: 'POST', url: '/api/integrations', key, body: { name: 'burst', type: 'generic' } })
      ).json() as typeof integration;
      const stream = await open({ apiKey: key }, `${wideBase}${STREAM}`);
      await stream.next('ready');
      const statuses: number[] = [];
      for (let round = 0; round < 10; round += 1) {
        const batch = Array.from({ length: 30 }, (_, i) => fire(`burst-${round}-${i}`, 'a', wideBase, source));
        statuses.push(...(await Promise.all(batch)));
      }
      expect(statuses.every((status) => status === 202)).toBe(true);
      await stream.next('alerts');
      await stream.next('deliveries');
      expect(stream.topics().filter((topic) => topic === 'alerts')).toEqual(['alerts']);
      expect(stream.topics().filter((topic) => topic === 'deliveries')).toEqual(['deliveries']);
    } finally {
      await closeSweeping(wide);
    }
  });
});

describe('stream lifetime and shutdown', () => {
  it('outlives the request deadline with heartbeats, ends after its lifetime; app.close() ends streams at once', async () => {
    const short = await createTestApp({
      requestTimeoutMs: 300,
      liveUpdates: { heartbeatMs: 200, streamLifetimeMs: 1_500 },
    });
    const shortBase = await listen(short);
    const key = (await short.createAdmin()).apiKey;
    const expiring = await open({ apiKey: key }, `${shortBase}${STREAM}`);
    await expiring.next('ready');
    // Ended by its lifetime, after heartbeats (every 200 ms) went on past the 300 ms request
    // deadline: an order, not a reading of the clock, so a loaded machine cannot fail it.
    await expiring.untilEnded(10_000);
    expect(expiring.comments).toBeGreaterThanOrEqual(2);

    await short.close();

    // A stream with a 10-minute lifetime, longer than this test may run: close() finishing at all
    // shows it ended the stream rather than waiting for that.
    const long = await createTestApp({ liveUpdates: { heartbeatMs: 60_000, streamLifetimeMs: 600_000 } });
    const longBase = await listen(long);
    const open2 = await open({ apiKey: (await long.createAdmin()).apiKey }, `${longBase}${STREAM}`);
    await open2.next('ready');
    await long.close();
    await open2.untilEnded(5_000);
  });
});

describe.runIf(testDatabaseKind() === 'postgres')('several processes on one PostgreSQL', () => {
  it('a stream on one process hears of alerts ingested by another; SIGTERM does not hang on streams', async () => {
    const other = await startServer({
      DATABASE_URL: (t.database as { url?: string }).url as string,
      KLAXON_MASTER_KEY: t.masterKey.toString('hex'),
      KLAXON_JOB_WORKERS: 'false',
    });
    try {
      const here = await open(admin);
      const there = await open(admin, `${other.url}${STREAM}`);
      await Promise.all([here.next('ready'), there.next('ready')]);
      const seen = here.messages.length;
      expect(await fire('cross-process', 'a', other.url)).toBe(202);
      await here.next('alerts', { after: seen });

      // Its stream would live 10 minutes, longer than this test may run: the process exiting 0 at
      // all shows SIGTERM ended the stream rather than waiting for it.
      expect(await other.stop('SIGTERM')).toBe(0);
      await there.untilEnded(5_000);
    } finally {
      await other.stop('SIGKILL');
    }
  });

  it('tells streams to resync after the LISTEN connection was lost', async () => {
    const stream = await open(admin);
    await stream.next('ready');
    const seen = stream.messages.length;
    await t.database.executeSql(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND query = 'LISTEN "klaxon_changes"'`,
    );
    await stream.next('resync', { after: seen, timeoutMs: 10_000 });
    // The listener reconnects within a second or so; changes after that reach the stream again.
    for (let attempt = 0; ; attempt += 1) {
      const seenAgain = stream.messages.length;
      expect(await fire(`after-resync-${attempt}`, 'a')).toBe(202);
      try {
        await stream.next('alerts', { after: seenAgain, timeoutMs: 1_500 });
        break;
      } catch (error) {
        if (attempt === 5) throw error;
      }
    }
  });
});
