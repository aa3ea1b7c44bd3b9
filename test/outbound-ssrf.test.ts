import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseNetwork } from '../src/lib/outbound-guard.js';
import { createServices } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { startReceiver } from './helpers/paging.js';

/**
 * SSRF: chat and webhook contact methods may only point at public addresses. Registration
 * answers 400 for the others; sending checks again the address it actually connects to, so a
 * name that resolves to loopback by then is refused, and redirects are not followed.
 */
let t: TestApp;
let permissive: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let redirector: Server;
let redirectorPort = 0;
const redirectorHits: string[] = [];

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestApp();
  // The same code with loopback allowed (localhost may resolve to either family).
  permissive = await createTestApp({
    incidents: { outboundAllowedNetworks: [parseNetwork('127.0.0.0/8'), parseNetwork('::1')] },
  });
  redirector = createServer((request, response) => {
    redirectorHits.push(request.url ?? '');
    request.resume();
    request.on('end', () => response.writeHead(307, { location: '/landed' }).end());
  });
  redirector.listen(0, '127.0.0.1');
  await once(redirector, 'listening');
  redirectorPort = (redirector.address() as AddressInfo).port;
});

afterAll(async () => {
  await t?.close();
  await permissive?.close();
  await receiver?.close();
  await new Promise((resolve) => redirector?.close(resolve));
});

const register = (app: TestApp, key: string, type: 'slack' | 'webhook', address: string) =>
  app.request({ method: 'POST', url: '/api/contact-methods', key, body: { type, address } });

describe('registering an outbound URL', () => {
  it.each([
    ['http://127.0.0.1:9/hook', /127\.0\.0\.1, which is not a public address \(loopback/],
    ['http://0x7f.1/hook', /127\.0\.0\.1.*loopback/],
    ['http://2130706433/hook', /127\.0\.0\.1.*loopback/],
    ['http://[::ffff:127.0.0.1]/hook', /loopback/],
    ['http://[::1]/hook', /loopback/],
    ['http://localhost:9/hook', /localhost|resolves to 127\.0\.0\.1.*loopback/],
    ['http://10.0.0.8/hook', /private/],
    ['http://172.20.0.1/hook', /private/],
    ['http://192.168.1.10/hook', /private/],
    ['http://[fd00::8]/hook', /private/],
    ['http://169.254.169.254/latest/meta-data/', /link-local/],
    ['http://[fe80::1]/hook', /link-local/],
    ['http://0.0.0.0/hook', /unspecified/],
    ['http://100.64.0.1/hook', /CGNAT/],
    ['http://239.1.1.1/hook', /multicast/],
    ['https://user:secret@93.184.216.34/hook', /credentials/],
    // IPv6 spellings of loopback, private and special-purpose addresses (issue 18, finding 9a).
    ['http://[::7f00:1]/hook', /loopback/],
    ['http://[::127.0.0.1]/hook', /loopback/],
    ['http://[64:ff9b:1::7f00:1]/hook', /loopback/],
    ['http://[64:ff9b::a00:1]/hook', /private/],
    ['http://[2002:7f00:1::]/hook', /loopback/],
    ['http://[2001:db8::1]/hook', /reserved/],
    ['http://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook', /reserved/],
    ['http://[100::1]/hook', /reserved/],
    ['http://192.0.2.10/hook', /reserved/],
    ['http://203.0.113.5/hook', /reserved/],
  ])('refuses %s with 400 problem+json', async (address, detail) => {
    const admin = await t.createAdmin();
    for (const type of ['slack', 'webhook'] as const) {
      const response = await register(t, admin.apiKey, type, address);
      expect(response.statusCode, response.body).toBe(400);
      expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
      const problem = response.json();
      expect(problem.type).toMatch(/\/outbound-url-refused$/);
      expect(problem.detail).toMatch(detail);
      expect(problem.errors).toEqual([{ path: 'address', message: expect.any(String) }]);
    }
  });

  it('accepts public addresses, and private ones only where KLAXON_OUTBOUND_ALLOWED_NETWORKS allows', async () => {
    const admin = await t.createAdmin();
    expect((await register(t, admin.apiKey, 'slack', 'https://93.184.216.34/services/T0/B0/X')).statusCode).toBe(201);
    const email = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: admin.apiKey,
      body: { type: 'email', address: 'someone@example.com' },
    });
    expect(email.statusCode).toBe(201);
    const other = await permissive.createAdmin();
    expect((await register(permissive, other.apiKey, 'webhook', receiver.url('/allowed'))).statusCode).toBe(201);
    expect((await register(permissive, other.apiKey, 'webhook', 'http://10.0.0.8/hook')).statusCode).toBe(400);
  });
});

describe('sending to an outbound URL', () => {
  it('checks the address it connects to: a name resolving to loopback is refused at send time', async () => {
    const admin = await permissive.createAdmin();
    const port = new URL(receiver.url('/')).port;
    const created = await register(permissive, admin.apiKey, 'slack', `http://localhost:${port}/rebound`);
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().id as string;

    // Where loopback is allowed the message goes through…
    const allowed = await permissive.request({
      method: 'POST',
      url: `/api/contact-methods/${id}/test`,
      key: admin.apiKey,
    });
    expect(allowed.json()).toMatchObject({ outcome: 'sent' });
    expect(receiver.on('/rebound')).toHaveLength(1);

    // …and the same stored URL, sent by Klaxon with the default policy, is refused before connecting.
    const strict = createServices({ database: permissive.database, masterKey: permissive.masterKey });
    const actor = { userId: admin.userId, email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: null };
    const refused = await strict.contactMethodsService.test(actor, id);
    expect(refused.outcome).toBe('permanent_failure');
    expect(refused.detail).toMatch(/^refused: localhost resolves to 127\.0\.0\.1, which is not a public address/);
    expect(receiver.on('/rebound')).toHaveLength(1);

    const literal = await register(permissive, admin.apiKey, 'webhook', receiver.url('/literal'));
    const refusedLiteral = await strict.contactMethodsService.test(actor, literal.json().id);
    expect(refusedLiteral).toMatchObject({ outcome: 'permanent_failure' });
    expect(refusedLiteral.detail).toMatch(/^refused: 127\.0\.0\.1, which is not a public address \(loopback/);
    expect(receiver.on('/literal')).toHaveLength(0);
  });

  it("shows the requester only the target's status, never its response body", async () => {
    const admin = await permissive.createAdmin();
    const secretPage = createServer((request, response) => {
      request.resume();
      response.writeHead(500, { 'content-type': 'text/plain' }).end('internal-only: db password hunter2');
    });
    secretPage.listen(0, '127.0.0.1');
    await once(secretPage, 'listening');
    try {
      const port = (secretPage.address() as AddressInfo).port;
      const created = await register(permissive, admin.apiKey, 'webhook', `http://127.0.0.1:${port}/x`);
      const result = await permissive.request({
        method: 'POST',
        url: `/api/contact-methods/${created.json().id}/test`,
        key: admin.apiKey,
      });
      expect(result.json()).toEqual({ outcome: 'transient_failure', detail: 'HTTP 500' });
      expect(result.body).not.toContain('hunter2');
    } finally {
      await new Promise((resolve) => secretPage.close(resolve));
    }
  });

  it('does not follow redirects', async () => {
    const admin = await permissive.createAdmin();
    const created = await register(permissive, admin.apiKey, 'slack', `http://127.0.0.1:${redirectorPort}/start`);
    const result = await permissive.request({
      method: 'POST',
      url: `/api/contact-methods/${created.json().id}/test`,
      key: admin.apiKey,
    });
    expect(result.json()).toEqual({ outcome: 'permanent_failure', detail: 'HTTP 307' });
    expect(redirectorHits).toEqual(['/start']);
  });
});
