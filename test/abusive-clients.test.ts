import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../src/services.js';
import { createTestApp } from './helpers/app.js';
import { type ServerProcess, startServer } from './helpers/server-process.js';
import { prepareServerStorage } from './helpers/server-storage.js';
import { createIntegration, hmacHex, sendSigned } from './helpers/webhooks.js';

/**
 * Slow and abusive clients against a real server process: trickled bodies and headers are cut
 * off by the request timeout, body limits hold however the body is sent, and a flood on one
 * integration is rate-limited without touching another.
 */
const REQUEST_TIMEOUT_MS = 1_500;
const BODY_LIMIT = 64 * 1024;

const cleanups: Array<() => Promise<void> | void> = [];
let server: ServerProcess;
let webhookSecret: string;
let port: number;

beforeAll(async () => {
  const masterKey = randomBytes(32);
  const storage = await prepareServerStorage(masterKey, cleanups);
  const setup = await storage.open();
  const services = createServices({ database: setup, masterKey });
  const admin = await services.bootstrapAdminService.bootstrap({ email: 'abuse@example.com' });
  ({ webhookSecret } = await services.integrationsService.create({ name: 'abuse', type: 'generic' }, admin.userId));
  if (storage.exclusive) await setup.close();
  server = await startServer({
    ...storage.env,
    KLAXON_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
    KLAXON_BODY_LIMIT_BYTES: String(BODY_LIMIT),
  });
  cleanups.push(() => server.stop('SIGKILL').then(() => undefined));
  port = Number(new URL(server.url).port);
});

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Opens a raw socket, writes `head`, then one byte of `trickle` every `everyMs` until the server hangs up. */
function trickle(head: string, trickleText: string, everyMs: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  const started = performance.now();
  let received = '';
  let index = 0;
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => {});
  socket.write(head);
  const timer = setInterval(() => {
    if (socket.destroyed || socket.writableEnded) return;
    socket.write(trickleText[index++ % trickleText.length] ?? ' ');
  }, everyMs);
  const connected = once(socket, 'connect').then(() => undefined);
  const closed = new Promise<{ received: string; ms: number }>((resolve) => {
    socket.on('close', () => {
      clearInterval(timer);
      resolve({ received, ms: performance.now() - started });
    });
  });
  return { connected, closed };
}

async function postWebhook(body: string) {
  const response = await fetch(`${server.url}/webhooks/alerts/abuse`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-webhook-signature': hmacHex(webhookSecret, body) },
    body,
  });
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
}

describe('slow and abusive clients', () => {
  it('slowloris: trickled bodies and headers are cut off after the request timeout while others are served', async () => {
    const bodyHead =
      'POST /webhooks/alerts/abuse HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 5000\r\n\r\n{';
    const slowBodies = Array.from({ length: 10 }, () => trickle(bodyHead, '"aaaa', 200));
    const slowHeaders = Array.from({ length: 10 }, () =>
      trickle('POST /webhooks/alerts/abuse HTTP/1.1\r\nHost: x\r\n', 'X-Slow: yyyyyyyy\r\n', 200),
    );
    const slow = [...slowBodies, ...slowHeaders];
    // Once every trickler holds a connection, a normal sender is still served.
    await Promise.all(slow.map((socket) => socket.connected));
    expect((await postWebhook(JSON.stringify({ title: 'meanwhile' }))).status).toBe(202);

    // A trickler never stops writing, so only the server ends its connection: a server without
    // the request timeout would hold each one until the test's own timeout fails it. Node answers
    // 408 (when it can) and closes, never before the timeout (a lower bound a loaded machine
    // cannot break: the server's timer starts after the client's clock).
    const results = await Promise.all(slow.map((socket) => socket.closed));
    for (const result of results) {
      expect(result.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
      if (result.received !== '') expect(result.received).toMatch(/^HTTP\/1\.1 408/);
      if (result.received.includes('\r\n\r\n{'))
        expect(result.received, JSON.stringify(result.received)).toMatch(/request-timeout/);
    }
    console.info(
      `[abusive-clients] ${results.length} slowloris sockets closed after ${Math.round(Math.min(...results.map((r) => r.ms)))}–` +
        `${Math.round(Math.max(...results.map((r) => r.ms)))} ms (timeout ${REQUEST_TIMEOUT_MS} ms)`,
    );
    expect(server.child.exitCode).toBeNull();
  });

  it('body limits hold: declared, undeclared (chunked) and admin bodies over the limit get 413 problem+json', async () => {
    const big = JSON.stringify({ title: 'x'.repeat(BODY_LIMIT) });
    const declared = await postWebhook(big);
    expect(declared.status).toBe(413);
    expect(declared.type).toMatch(/application\/problem\+json/);

    // Chunked: no Content-Length, so the limit must be enforced while reading. node:http, not
    // fetch: the server answers 413 and closes while the client is still writing, and fetch
    // reports that as a failed request (EPIPE) instead of the answer it already received.
    const chunked = await new Promise<{ status: number; type: string | undefined }>((resolve, reject) => {
      const request = http.request(`${server.url}/webhooks/alerts/abuse`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-webhook-signature': 'x' },
      });
      request.on('response', (response) => {
        response.resume();
        resolve({ status: response.statusCode ?? 0, type: response.headers['content-type'] });
      });
      // A write after the server closed is expected; only a missing answer fails the test.
      request.on('error', () => {});
      request.on('close', () => reject(new Error('no answer to the chunked request')));
      const writeChunk = (i: number) => {
        if (i === 40 || request.destroyed) return request.end();
        request.write('x'.repeat(4096), () => setImmediate(() => writeChunk(i + 1)));
      };
      writeChunk(0);
    });
    expect(chunked.status).toBe(413);
    expect(chunked.type).toMatch(/application\/problem\+json/);

    const admin = await fetch(`${server.url}/api/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer x' },
      body: big,
    });
    expect([401, 413]).toContain(admin.status);
    expect(admin.headers.get('content-type')).toMatch(/application\/problem\+json/);

    // A body exactly at the limit is still read (and judged on its content, not refused for size).
    const atLimit = JSON.stringify({ title: 'x'.repeat(BODY_LIMIT - 20) }).padEnd(BODY_LIMIT, ' ');
    expect(Buffer.byteLength(atLimit)).toBe(BODY_LIMIT);
    expect((await postWebhook(atLimit)).status).not.toBe(413);
  });

  it('a flood on one integration gets 429 with Retry-After while another keeps getting 202', async () => {
    const t = await createTestApp();
    try {
      const admin = await t.createAdmin();
      const flooded = await createIntegration(t, admin.apiKey, {
        name: 'flooded',
        type: 'generic',
        rateLimitPerMinute: 30,
      });
      const calm = await createIntegration(t, admin.apiKey, { name: 'calm', type: 'generic' });
      const floodResponses = Promise.all(
        Array.from({ length: 90 }, (_, i) => sendSigned(t, flooded, { title: `flood ${i}`, dedupKey: `f${i}` })),
      );
      const calmResponses = Promise.all(
        Array.from({ length: 30 }, (_, i) => sendSigned(t, calm, { title: `calm ${i}`, dedupKey: `c${i}` })),
      );
      const [flood, steady] = await Promise.all([floodResponses, calmResponses]);
      const floodStatuses = flood.map((r) => r.statusCode);
      // A burst of 30, plus whatever refilled (0.5 a second) while the flood was being served.
      const acceptedCount = floodStatuses.filter((s) => s === 202).length;
      expect(acceptedCount).toBeGreaterThanOrEqual(30);
      expect(acceptedCount).toBeLessThanOrEqual(34);
      expect(floodStatuses.filter((s) => s === 429)).toHaveLength(90 - acceptedCount);
      for (const limited of flood.filter((r) => r.statusCode === 429)) {
        expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(limited.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(limited.json().type).toMatch(/rate-limited$/);
      }
      expect(steady.map((r) => r.statusCode)).toEqual(new Array(30).fill(202));
      // Every refused request is in the delivery log as a 429.
      const deliveries = await t.request({
        method: 'GET',
        url: `/api/integrations/${flooded.id}/deliveries?limit=100`,
        key: admin.apiKey,
      });
      const logged = (deliveries.json() as { deliveries: Array<{ httpStatus: number }> }).deliveries;
      expect(logged.filter((d) => d.httpStatus === 429)).toHaveLength(90 - acceptedCount);
    } finally {
      await t.close();
    }
  });
});
