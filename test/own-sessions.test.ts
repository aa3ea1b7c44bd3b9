import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { type EventStream, openEventStream } from './helpers/event-stream.js';

/**
 * Sessions (issue 18): a person lists and ends their own console sessions; a platform admin signs
 * a person out everywhere, which also closes their open live-update streams. Audited.
 */
const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let base = '';
let admin: { userId: string; apiKey: string };
let person: { userId: string; apiKey: string };
let email = '';
let nextAddress = 1;
const streams: EventStream[] = [];
const sockets: Socket[] = [];

async function signIn(userAgent: string) {
  const response = await t.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email, password: PASSWORD },
    headers: { 'user-agent': userAgent },
    remoteAddress: `10.9.0.${nextAddress++}`,
  });
  expect(response.statusCode, response.body).toBe(200);
  const header = response.headers['set-cookie'];
  const cookie = ((Array.isArray(header) ? header[0] : header) ?? '').split(';')[0] ?? '';
  return { cookie, csrf: response.json().csrfToken as string };
}

const withSession = (session: { cookie: string; csrf: string }, method: string, url: string) =>
  t.request({ method, url, headers: { cookie: session.cookie, 'x-klaxon-csrf': session.csrf } });

beforeAll(async () => {
  t = await createTestApp({ liveUpdates: { heartbeatMs: 60_000 } });
  t.app.server.on('connection', (socket: Socket) => sockets.push(socket));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  admin = await t.createAdmin();
  email = `person-${Date.now()}@example.com`;
  person = await t.createUser(admin.apiKey, email);
  await t.services.sessionsService.setPassword({ userId: person.userId }, PASSWORD, null);
});

afterAll(async () => {
  for (const stream of streams) stream.close();
  const sweep = setInterval(() => {
    for (const socket of sockets) socket.destroy();
  }, 50);
  await t.close();
  clearInterval(sweep);
});

describe('own sessions', () => {
  it('lists one’s working sessions with the current one marked, and ends another at once', async () => {
    const laptop = await signIn('Laptop browser');
    const phone = await signIn('Phone browser');
    const listed = await withSession(laptop, 'GET', '/api/sessions');
    expect(listed.statusCode, listed.body).toBe(200);
    const sessions = listed.json().sessions as Array<{ id: string; userAgent: string; ip: string; current: boolean }>;
    expect(sessions.map((s) => [s.userAgent, s.current])).toEqual([
      ['Phone browser', false],
      ['Laptop browser', true],
    ]);
    expect(sessions[0]?.ip).toMatch(/^10\.9\.0\./);
    const phoneId = sessions[0]?.id ?? '';

    // Someone else cannot end it, nor see it.
    expect((await t.request({ method: 'DELETE', url: `/api/sessions/${phoneId}`, key: admin.apiKey })).statusCode).toBe(
      404,
    );
    expect((await t.request({ method: 'GET', url: '/api/sessions', key: admin.apiKey })).json().sessions).toEqual([]);

    expect((await withSession(laptop, 'DELETE', `/api/sessions/${phoneId}`)).statusCode).toBe(204);
    expect((await withSession(phone, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await withSession(laptop, 'GET', '/api/auth/me')).statusCode).toBe(200);
    expect((await withSession(laptop, 'DELETE', `/api/sessions/${phoneId}`)).statusCode).toBe(404);
    const audit = await t.request({ method: 'GET', url: `/api/audit-logs?resourceId=${phoneId}`, key: admin.apiKey });
    expect(audit.json().entries.map((entry: { action: string }) => entry.action)).toContain('session.revoked');
  });

  it('an admin signs a person out everywhere: sessions end, streams close, API keys keep working', async () => {
    const one = await signIn('One');
    const two = await signIn('Two');
    const stream = await openEventStream(`${base}/api/events/stream`, { cookie: one.cookie });
    streams.push(stream);
    await stream.next('ready');
    const path = `/api/users/${person.userId}/sign-out-everywhere`;
    expect((await t.request({ method: 'POST', url: path, key: person.apiKey })).statusCode).toBe(403);
    const done = await t.request({ method: 'POST', url: path, key: admin.apiKey });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().revokedSessions).toBeGreaterThanOrEqual(2);
    await stream.untilEnded();
    for (const session of [one, two]) expect((await withSession(session, 'GET', '/api/auth/me')).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', key: person.apiKey })).statusCode).toBe(200);
    const audit = await t.request({
      method: 'GET',
      url: `/api/audit-logs?action=user.signed_out_everywhere&resourceId=${person.userId}`,
      key: admin.apiKey,
    });
    expect(audit.json().entries).toHaveLength(1);
  });
});
