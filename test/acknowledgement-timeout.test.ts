import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers, startReceiver, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Re-triggering acknowledged incidents, as PagerDuty does: an acknowledgement that runs out
 * (the policy's `ackTimeoutMinutes`) triggers the incident again and restarts escalation at
 * level 1; resolving cancels it. A new alert grouped into an acknowledged incident does not
 * trigger it again. Real pg-boss jobs on the test database; a policy "minute" lasts MINUTE_MS.
 */
const MINUTE_MS = 400;

let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: { userId: string; apiKey: string };
let alice: { userId: string; apiKey: string };
let bob: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;

const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
const incident = async (id: string) => (await as('GET', `/api/incidents/${id}`)).json();
const kindsOf = async (id: string) => (await incident(id)).timeline.map((e: { kind: string }) => e.kind) as string[];
const reasonsOn = (path: string) =>
  receiver.on(path).map((r) => (JSON.parse(r.body) as { data: { reason: string } }).data.reason);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function teamWithPolicy(name: string, policy: Record<string, unknown>) {
  const team = (await as('POST', '/api/teams', { name })).json().id as string;
  for (const who of [alice, bob]) await as('POST', `/api/teams/${team}/members`, { userId: who.userId });
  await as('POST', '/api/routing-rules', {
    name,
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: name }],
  });
  const created = await as('POST', '/api/escalation-policies', { teamId: team, name, isDefault: true, ...policy });
  expect(created.statusCode, created.body).toBe(201);
  return { team, policyId: created.json().id as string };
}

/** Fires an alert labelled for the team named `team` (routing matches the name). */
async function fire(team: string, dedupKey: string, labels: Record<string, string> = {}) {
  const response = await sendSigned(t, integration, {
    title: `${dedupKey} is down`,
    dedupKey,
    severity: 'critical',
    labels: { team, ...labels },
  });
  expect(response.statusCode, response.body).toBe(202);
  const incidents = (await as('GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
  return { alertId: response.json().alerts[0].id as string, incidents };
}

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestApp({
    incidents: {
      ...allowLoopbackReceivers,
      minuteMs: MINUTE_MS,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
    },
  });
  await t.services.escalationEngine.start();
  admin = await t.createAdmin();
  alice = await t.createUser(admin.apiKey, 'alice@example.com');
  bob = await t.createUser(admin.apiKey, 'bob@example.com');
  for (const [who, path] of [
    [alice, '/alice'],
    [bob, '/bob'],
  ] as const) {
    const hook = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: who.apiKey,
      body: { type: 'webhook', address: receiver.url(path) },
    });
    expect(hook.statusCode, hook.body).toBe(201);
    receiver.verifyWith(path, hook.json().signingSecret);
  }
  integration = await createIntegration(t, admin.apiKey, { name: 'ack-timeout', type: 'generic' });
}, 60_000);

afterAll(async () => {
  await t?.close();
  await receiver?.close();
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

  it('runs out: the incident and its alerts trigger again and escalation restarts at level 1 with new keys', async () => {
    await teamWithPolicy('timeout', {
      ackTimeoutMinutes: 3,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: bob.userId }] },
      ],
    });
    const { alertId, incidents } = await fire('timeout', 'timeout-db');
    const id = incidents.find((i) => i.title === 'timeout-db is down')?.id as string;
    await waitFor(() => receiver.on('/alice').length === 1, 5_000, 'level 1');

    const acknowledgedAt = Date.now();
    const acked = (await as('POST', `/api/incidents/${id}/acknowledge`)).json();
    expect(acked.status).toBe('acknowledged');
    expect(Date.parse(acked.ackTimeoutAt) - Date.parse(acked.acknowledgedAt)).toBe(3 * MINUTE_MS);

    await waitFor(async () => (await incident(id)).status === 'triggered', 10_000, 'the re-trigger');
    expect(Date.now() - acknowledgedAt).toBeGreaterThanOrEqual(3 * MINUTE_MS - 100);
    const retriggered = await incident(id);
    expect(retriggered.acknowledgedAt).toBeNull();
    expect(retriggered.ackTimeoutAt).toBeNull();
    expect(retriggered.alerts.map((a: { id: string; status: string }) => [a.id, a.status])).toEqual([
      [alertId, 'firing'],
    ]);
    const timeout = retriggered.timeline.find((e: { kind: string }) => e.kind === 'acknowledgement_timeout');
    expect(timeout.message).toMatch(/triggered again, escalation restarts at level 1/);
    expect(timeout.metadata).toMatchObject({ acknowledgedBy: admin.userId, alertIds: [alertId] });

    // Level 1 again (a second notification with its own key), then level 2; Bob had never been paged.
    await waitFor(() => receiver.on('/alice').length === 2, 5_000, 'level 1 again');
    expect(receiver.on('/bob')).toHaveLength(0);
    await waitFor(() => receiver.on('/bob').length === 1, 10_000, 'level 2');
    expect(reasonsOn('/alice')).toEqual(['Escalation level 1, round 1', 'Escalation level 1, round 2']);
    expect(new Set(receiver.on('/alice').map((r) => r.headers['webhook-id'])).size).toBe(2);
    expect(receiver.requests.every((r) => r.verified === true)).toBe(true);
    const kinds = await kindsOf(id);
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'escalation_exhausted')).toHaveLength(1);

    // Acknowledged again: a fresh timeout, which resolving cancels.
    expect((await as('POST', `/api/incidents/${id}/acknowledge`)).json().ackTimeoutAt).not.toBeNull();
    const resolved = (await as('POST', `/api/incidents/${id}/resolve`)).json();
    expect(resolved.status).toBe('resolved');
    expect(resolved.ackTimeoutAt).toBeNull();
    const deliveries = receiver.requests.length;
    await sleep(6 * MINUTE_MS);
    expect((await incident(id)).status).toBe('resolved');
    expect(receiver.requests).toHaveLength(deliveries);
    expect((await kindsOf(id)).filter((k) => k === 'acknowledgement_timeout')).toHaveLength(1);
  }, 40_000);

  it('without a timeout an acknowledgement stands; a new alert grouped into it does not trigger it again', async () => {
    const { team } = await teamWithPolicy('grouped', {
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: alice.userId }] }],
    });
    await as('PUT', `/api/teams/${team}/incident-grouping`, { groupBy: ['cluster'], windowMinutes: 60 });
    const first = await fire('grouped', 'grouped-api', { cluster: 'eu' });
    const id = first.incidents.find((i) => i.title === 'grouped-api is down')?.id as string;
    await waitFor(async () => (await kindsOf(id)).includes('notification_sent'), 5_000, 'the first page');
    const acked = (await as('POST', `/api/incidents/${id}/acknowledge`)).json();
    expect(acked.ackTimeoutAt).toBeNull();
    const deliveries = receiver.requests.length;

    const second = await fire('grouped', 'grouped-web', { cluster: 'eu' });
    expect(second.incidents.filter((i) => i.id === id)).toHaveLength(1);
    const detail = await incident(id);
    expect(detail.status).toBe('acknowledged');
    expect(detail.alertCount).toBe(2);
    expect(detail.alerts.map((a: { status: string }) => a.status)).toEqual(['acknowledged', 'acknowledged']);
    const joined = detail.timeline.find((e: { kind: string }) => e.kind === 'alert_joined');
    expect(joined.message).toMatch(/stays acknowledged/);
    const alert = (await as('GET', `/api/alerts/${second.alertId}`)).json();
    expect(alert.status).toBe('acknowledged');

    await sleep(4 * MINUTE_MS);
    expect((await incident(id)).status).toBe('acknowledged');
    expect(receiver.requests).toHaveLength(deliveries);
  }, 30_000);

  it('is durable: acknowledged while no process runs jobs, it still runs out once one does', async () => {
    await teamWithPolicy('durable', {
      ackTimeoutMinutes: 1,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: bob.userId }] }],
    });
    const { incidents } = await fire('durable', 'durable-db');
    const id = incidents.find((i) => i.title === 'durable-db is down')?.id as string;
    await waitFor(async () => (await kindsOf(id)).includes('notification_sent'), 5_000, 'the first page');
    await t.services.escalationEngine.stop();
    try {
      expect((await as('POST', `/api/incidents/${id}/acknowledge`)).json().status).toBe('acknowledged');
      await sleep(3 * MINUTE_MS);
      expect((await incident(id)).status).toBe('acknowledged');
    } finally {
      await t.services.escalationEngine.start();
    }
    await waitFor(async () => (await incident(id)).status === 'triggered', 10_000, 'the re-trigger');
    expect((await kindsOf(id)).filter((k) => k === 'acknowledgement_timeout')).toHaveLength(1);
  }, 30_000);
});
