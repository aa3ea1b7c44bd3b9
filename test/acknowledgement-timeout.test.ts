import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';

/**
 * The acknowledgement timeout as the API takes it: a policy option, validated and audited. What
 * it does (re-triggering an acknowledgement that runs out, as PagerDuty does; resolving cancels
 * it; a grouped alert does not re-trigger) is tested on the services' clock in
 * src/modules/incidents/incidents.service.test.ts.
 */

let t: TestApp;
let admin: { userId: string; apiKey: string };
let alice: { userId: string; apiKey: string };

const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });

async function teamWithPolicy(name: string, policy: Record<string, unknown>) {
  const team = (await as('POST', '/api/teams', { name })).json().id as string;
  await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
  const created = await as('POST', '/api/escalation-policies', { teamId: team, name, isDefault: true, ...policy });
  expect(created.statusCode, created.body).toBe(201);
  return { team, policyId: created.json().id as string };
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  alice = await t.createUser(admin.apiKey, 'alice@example.com');
});

afterAll(async () => {
  await t?.close();
});

describe('acknowledgement timeout', () => {
  it('is a policy option: 1..1440 minutes or null (never), changeable and audited', async () => {
    const { team, policyId } = await teamWithPolicy('options', {
      ackTimeoutMinutes: 30,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
    });
    expect((await as('GET', `/api/escalation-policies/${policyId}`)).json().ackTimeoutMinutes).toBe(30);
    const cleared = await as('PATCH', `/api/escalation-policies/${policyId}`, { ackTimeoutMinutes: null });
    expect(cleared.json().ackTimeoutMinutes).toBeNull();
    for (const bad of [0, 1441, 1.5, '5']) {
      const rejected = await as('POST', '/api/escalation-policies', {
        teamId: team,
        name: `bad ${bad}`,
        ackTimeoutMinutes: bad,
        levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
      });
      expect(rejected.statusCode, String(bad)).toBe(400);
    }
    const defaulted = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'no timeout',
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
    });
    expect(defaulted.json().ackTimeoutMinutes).toBeNull();
    const audit = (await as('GET', '/api/audit-logs?action=escalation_policy.updated')).json();
    const entry = audit.entries.find((e: { resourceId: string }) => e.resourceId === policyId);
    expect(entry?.metadata.changes.ackTimeoutMinutes).toEqual({ from: 30, to: null });
  });
});
