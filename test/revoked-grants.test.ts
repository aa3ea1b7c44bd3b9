import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channels, NotificationMessage } from '../src/modules/notifications/channels.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { type EventStream, openEventStream } from './helpers/event-stream.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Probe finding 3 of issue 18: removing a member from a team, revoking an API key or disabling an
 * account ends every grant derived from it at once: calendar feed tokens, one-click action links,
 * open live-update streams, keys and sessions.
 */
type Who = { userId: string; apiKey: string };
const PASSWORD = 'correct horse battery staple';
let t: TestApp;
let base = '';
let admin: Who;
let team = '';
let scheduleId = '';
let integration: Awaited<ReturnType<typeof createIntegration>>;
const sent: NotificationMessage[] = [];
const streams: EventStream[] = [];
const sockets: Socket[] = [];

const channels: Channels = {
  canEmail: true,
  send: async (_destination, message) => {
    sent.push(message);
    return { outcome: 'sent', detail: null };
  },
  sendMail: async () => ({ outcome: 'sent', detail: null }),
  close: () => {},
};

const as = (who: Who, method: string, url: string, body?: unknown) => t.request({ method, url, key: who.apiKey, body });

/** A member of the team, on call in its schedule, reachable by email. */
async function teammate(): Promise<Who> {
  const who = await t.createUser(admin.apiKey);
  expect((await as(admin, 'POST', `/api/teams/${team}/members`, { userId: who.userId })).statusCode).toBe(201);
  await as(who, 'POST', '/api/contact-methods', { type: 'email', address: `${who.userId}@example.com` });
  return who;
}

const feedStatus = async (url: string) => (await t.request({ method: 'GET', url })).statusCode;

async function stream(headers: Record<string, string>) {
  const opened = await openEventStream(`${base}/api/events/stream`, headers);
  streams.push(opened);
  expect(opened.status).toBe(200);
  await opened.next('ready');
  return opened;
}

/** Opens an incident paging `who` and returns the acknowledge link sent to them. */
async function linkSentTo(who: Who, title: string): Promise<string> {
  const policy = await as(admin, 'POST', '/api/escalation-policies', {
    teamId: team,
    name: title,
    isDefault: true,
    levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: who.userId }] }],
  });
  expect(policy.statusCode, policy.body).toBe(201);
  const fired = await sendSigned(t, integration, { title, dedupKey: title, labels: { team: 'grants' } });
  expect(fired.statusCode, fired.body).toBe(202);
  const incidents = (await as(admin, 'GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
  const incidentId = incidents.find((incident) => incident.title === title)?.id ?? '';
  await t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 });
  const [notification] = (await as(admin, 'GET', `/api/notifications?userId=${who.userId}`)).json()
    .notifications as Array<{ id: string }>;
  await t.services.escalationEngine.sendNotificationNow(notification?.id ?? '');
  const message = sent.find((candidate) => candidate.incidentId === incidentId);
  return new URL(message?.acknowledgeUrl ?? '').pathname;
}

beforeAll(async () => {
  t = await createTestApp({ incidents: { channels }, liveUpdates: { heartbeatMs: 60_000 } });
  t.app.server.on('connection', (socket: Socket) => sockets.push(socket));
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  admin = await t.createAdmin();
  team = (await as(admin, 'POST', '/api/teams', { name: 'grants' })).json().id;
  await as(admin, 'POST', '/api/routing-rules', {
    name: 'grants',
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: 'grants' }],
  });
  scheduleId = (await as(admin, 'POST', '/api/schedules', { teamId: team, name: 'primary', timeZone: 'UTC' })).json()
    .id;
  integration = await createIntegration(t, admin.apiKey, { name: 'grants', type: 'generic' });
});

afterAll(async () => {
  for (const opened of streams) opened.close();
  const sweep = setInterval(() => {
    for (const socket of sockets) socket.destroy();
  }, 50);
  await t.close();
  clearInterval(sweep);
});

describe('removing a member from a team', () => {
  it("ends the schedule feeds they created, their personal feed's shifts, their links and their streams", async () => {
    const leaver = await teammate();
    const layer = await as(admin, 'POST', `/api/schedules/${scheduleId}/layers`, {
      name: 'leaver',
      startsAt: '2020-01-06T00:00:00Z',
      turnUnit: 'days',
      turnLength: 1,
      participantIds: [leaver.userId],
    });
    expect(layer.statusCode, layer.body).toBe(201);
    const scheduleFeed = (await as(leaver, 'POST', `/api/schedules/${scheduleId}/ical-feeds`)).json().url as string;
    const personalFeed = (await as(leaver, 'POST', `/api/users/${leaver.userId}/ical-feeds`)).json().url as string;
    expect(await feedStatus(scheduleFeed)).toBe(200);
    expect((await t.request({ method: 'GET', url: personalFeed })).body).toContain('BEGIN:VEVENT');
    const link = await linkSentTo(leaver, 'leaver-link');
    const open = await stream({ authorization: `Bearer ${leaver.apiKey}` });

    expect((await as(admin, 'DELETE', `/api/teams/${team}/members/${leaver.userId}`)).statusCode).toBe(204);

    await open.untilEnded();
    expect(await feedStatus(scheduleFeed)).toBe(404);
    // The personal feed belongs to the person; it no longer shows shifts of a team they left.
    const personal = await t.request({ method: 'GET', url: personalFeed });
    expect(personal.body).not.toContain('BEGIN:VEVENT');
    const clicked = await t.request({ method: 'GET', url: link, headers: { accept: 'application/json' } });
    expect(clicked.statusCode, clicked.body).toBe(410);
    await as(admin, 'DELETE', `/api/schedules/${scheduleId}/layers/${layer.json().id}`);
  });
});

describe('revoking an API key', () => {
  it('closes the live-update streams it opened, at once, and only those', async () => {
    const owner = await teammate();
    const second = (await as(owner, 'POST', '/api/api-keys', { name: 'second' })).json() as { id: string; key: string };
    const doomed = await stream({ authorization: `Bearer ${second.key}` });
    const kept = await stream({ authorization: `Bearer ${owner.apiKey}` });
    expect((await as(owner, 'DELETE', `/api/api-keys/${second.id}`)).statusCode).toBe(204);
    await doomed.untilEnded();
    expect(kept.ended).toBe(false);
    expect((await fetch(`${base}/api/teams`, { headers: { authorization: `Bearer ${second.key}` } })).status).toBe(401);
  });
});

describe('disabling an account', () => {
  it('ends its keys, sessions, streams, feeds and links at once; enabling restores keys, not sessions', async () => {
    const person = await teammate();
    await t.services.sessionsService.setPassword({ userId: person.userId }, PASSWORD, null);
    const users = (await as(admin, 'GET', '/api/users')).json().users as Array<{ id: string; email: string }>;
    const email = users.find((user) => user.id === person.userId)?.email ?? '';
    const login = await t.request({ method: 'POST', url: '/api/auth/login', body: { email, password: PASSWORD } });
    expect(login.statusCode, login.body).toBe(200);
    const cookie = (login.headers['set-cookie'] as string).split(';')[0] ?? '';
    const feed = (await as(person, 'POST', `/api/schedules/${scheduleId}/ical-feeds`)).json().url as string;
    const link = await linkSentTo(person, 'disabled-link');
    const byKey = await stream({ authorization: `Bearer ${person.apiKey}` });
    const bySession = await stream({ cookie });

    expect((await as(person, 'POST', `/api/users/${person.userId}/disable`)).statusCode).toBe(403);
    expect((await as(admin, 'POST', `/api/users/${admin.userId}/disable`)).statusCode).toBe(409);
    const disabled = await as(admin, 'POST', `/api/users/${person.userId}/disable`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().disabledAt).not.toBeNull();

    await byKey.untilEnded();
    await bySession.untilEnded();
    expect((await as(person, 'GET', '/api/teams')).statusCode).toBe(401);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
    const again = await t.request({ method: 'POST', url: '/api/auth/login', body: { email, password: PASSWORD } });
    expect(again.statusCode).toBe(401);
    expect(await feedStatus(feed)).toBe(404);
    expect((await t.request({ method: 'GET', url: link, headers: { accept: 'application/json' } })).statusCode).toBe(
      410,
    );
    const audit = (await as(admin, 'GET', `/api/audit-logs?resourceId=${person.userId}`)).json().entries;
    expect(audit.map((entry: { action: string }) => entry.action)).toContain('user.disabled');

    expect((await as(admin, 'POST', `/api/users/${person.userId}/enable`)).json().disabledAt).toBeNull();
    expect((await as(person, 'GET', '/api/teams')).statusCode).toBe(200);
    expect((await t.request({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });
});
