import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };
let teamId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  teamId = (await api('POST', '/api/teams', { name: 'targets' })).json().id;
  await api('POST', `/api/teams/${teamId}/members`, { userId: admin.userId });
});
afterAll(() => t.close());

const api = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });

describe('escalation policy targets must exist (issue 18, finding 9c)', () => {
  it.each(['schedule', 'user'] as const)('a %s target that does not exist is a 400 naming it', async (type) => {
    const id = randomUUID();
    const created = await api('POST', '/api/escalation-policies', {
      teamId,
      name: `missing-${type}`,
      levels: [{ delayMinutes: 0, targets: [{ type, id }] }],
    });
    expect(created.statusCode, created.body).toBe(400);
    expect(created.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(created.json().type).toMatch(/\/validation-failed$/);
    const what = type === 'user' ? 'a member of the team' : 'a schedule of the team';
    expect(created.json().errors).toEqual([{ path: 'levels', message: `${id} is not ${what}` }]);
  });

  it('an update to a schedule that does not exist is refused too; existing targets are accepted', async () => {
    const created = await api('POST', '/api/escalation-policies', {
      teamId,
      name: 'existing',
      levels: [{ delayMinutes: 0, targets: [{ type: 'user', id: admin.userId }] }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const updated = await api('PATCH', `/api/escalation-policies/${created.json().id}`, {
      levels: [{ delayMinutes: 0, targets: [{ type: 'schedule', id: randomUUID() }] }],
    });
    expect(updated.statusCode, updated.body).toBe(400);
    expect(updated.json().detail).toMatch(/is not a schedule of the team$/);
  });
});
