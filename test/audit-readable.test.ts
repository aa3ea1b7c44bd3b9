import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration } from './helpers/webhooks.js';

/**
 * The audit log reads as names: each page carries the display names of the ids its entries
 * mention, and the filters offer the actions and actors the log holds instead of typed strings.
 */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let teamId = '';
let webhookSecret = '';

const get = (url: string) => t.request({ method: 'GET', url, key: admin.apiKey });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin('auditor@example.com');
  member = await t.createUser(admin.apiKey, 'alice@example.com');
  teamId = (await t.request({ method: 'POST', url: '/api/teams', key: admin.apiKey, body: { name: 'Storage' } })).json()
    .id;
  await t.request({
    method: 'POST',
    url: `/api/teams/${teamId}/members`,
    key: admin.apiKey,
    body: { userId: member.userId, role: 'member' },
  });
  webhookSecret = (await createIntegration(t, admin.apiKey, { name: 'readable', type: 'generic' })).webhookSecret;
});
afterAll(() => t.close());

describe('GET /api/audit-logs names', () => {
  it("names the actor, the resource and the ids in the metadata of the page's entries", async () => {
    const response = await get(`/api/audit-logs?resourceId=${teamId}`);
    expect(response.statusCode, response.body).toBe(200);
    const page = response.json();
    const added = page.entries.find((entry: { action: string }) => entry.action === 'team.member_added');
    expect(added.metadata.memberId).toBe(member.userId);
    expect(page.names[teamId]).toBe('Storage');
    expect(page.names[member.userId]).toBe('alice@example.com');
    expect(page.names[admin.userId]).toBe('auditor@example.com');
  });

  it('never carries a secret, in the names or anywhere in the page', async () => {
    const response = await get('/api/audit-logs?resourceType=integration');
    expect(response.json().entries.length).toBeGreaterThan(0);
    expect(response.body).not.toContain(webhookSecret);
  });
});

describe('GET /api/audit-logs/filters', () => {
  it('lists the actions, resource types and actors the log holds, for admins only', async () => {
    const response = await get('/api/audit-logs/filters');
    expect(response.statusCode, response.body).toBe(200);
    const choices = response.json();
    expect(choices.actions).toEqual(expect.arrayContaining(['team.created', 'team.member_added']));
    expect(choices.actions).toEqual([...choices.actions].sort());
    expect(choices.resourceTypes).toEqual(expect.arrayContaining(['team', 'integration']));
    expect(choices.actors).toContainEqual({ id: admin.userId, email: 'auditor@example.com', name: null });
    const asMember = await t.request({ method: 'GET', url: '/api/audit-logs/filters', key: member.apiKey });
    expect(asMember.statusCode).toBe(403);
  });
});
