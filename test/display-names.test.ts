import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };
let teamId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  teamId = (await api('POST', '/api/teams', { name: 'names' })).json().id;
  // A policy's user targets are members of its team.
  await api('POST', `/api/teams/${teamId}/members`, { userId: admin.userId });
});
afterAll(() => t.close());

const api = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });

/** Each way to name something other people will read, with the body it takes around the name. */
const NAMED = [
  ['team', '/api/teams', (name: string) => ({ name })],
  ['schedule', '/api/schedules', (name: string) => ({ teamId, name, timeZone: 'UTC' })],
  [
    'escalation policy',
    '/api/escalation-policies',
    (name: string) => ({ teamId, name, levels: [{ delayMinutes: 0, targets: [{ type: 'user', id: admin.userId }] }] }),
  ],
  ['routing rule', '/api/routing-rules', (name: string) => ({ teamId, name })],
  ['API key', '/api/api-keys', (name: string) => ({ name })],
  ['user', '/api/users', (name: string) => ({ email: `u${Math.random()}@example.com`, name })],
  ['heartbeat', '/api/heartbeats', (name: string) => ({ teamId, name, intervalSeconds: 600 })],
  [
    'maintenance window',
    '/api/maintenance-windows',
    (name: string) => ({ name, startsAt: '2030-01-01T00:00:00Z', endsAt: '2030-01-02T00:00:00Z' }),
  ],
  [
    'inhibition rule',
    '/api/inhibition-rules',
    (name: string) => ({
      name,
      sourceMatchers: [{ name: 'alertname', value: 'NodeDown' }],
      targetMatchers: [{ name: 'severity', value: 'warning' }],
    }),
  ],
  ['event rule', '/api/event-rules', (name: string) => ({ name, actions: { suppress: true } })],
] as const;

const HOSTILE = [
  ['right-to-left override', 'invoice\u202Etxt.exe'],
  ['left-to-right isolate', 'a\u2066b'],
  ['zero-width space', 'ad\u200Bmin'],
  ['zero-width no-break space inside', 'ro\uFEFFot'],
  ['C0 control', 'bell\u0007'],
  ['C1 control', 'next\u0085line'],
  ['line separator', 'two\u2028lines'],
];

describe('names refuse control, bidirectional and invisible characters (issue 18, finding 9d)', () => {
  for (const [kind, url, body] of NAMED) {
    it.each(HOSTILE)(`a ${kind} name with a %s is a 400`, async (_, name) => {
      const response = await api('POST', url, body(name));
      expect(response.statusCode, response.body).toBe(400);
      expect(response.json().type).toMatch(/\/validation-failed$/);
      expect(response.json().errors).toEqual([
        expect.objectContaining({ path: 'name', message: expect.stringMatching(/invisible/) }),
      ]);
    });

    it(`a ${kind} name in another script or with emoji is accepted`, async () => {
      const response = await api('POST', url, body(`Équipe 東京 🚨 ${Math.random().toString(36).slice(2, 6)}`));
      expect(response.statusCode, response.body).toBe(201);
    });
  }
});
