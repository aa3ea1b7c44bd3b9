import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, waitFor } from '../../../test/helpers/paging.js';
import { createPagingHarness, type PagingHarness } from '../../../test/helpers/paging-harness.js';

/**
 * The incidents service on the test's clock, without HTTP: acknowledgement timeouts (as in
 * PagerDuty, an acknowledgement that runs out triggers the incident again and escalation
 * restarts at level 1; resolving cancels it), and grouping. `runDue()` runs what is due as the
 * job queue would; one test starts the real queue to show a timeout survives its absence.
 */
let h: PagingHarness;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const people = { alice: '', bob: '' };

const kindsOf = async (incidentId: string) => (await h.timeline(incidentId)).map((entry) => entry.kind);
const reasonsOn = (path: string) =>
  receiver.on(path).map((r) => (JSON.parse(r.body) as { data: { reason: string } }).data.reason);

async function teamWithPolicy(name: string, policy: Record<string, unknown>) {
  const team = await h.team(name, [people.alice, people.bob]);
  return { team, policy: await h.policy(team, policy) };
}

beforeAll(async () => {
  // Messages carry the harness's time: signatures are checked against it.
  receiver = await startReceiver({ now: () => h.now() });
  h = await createPagingHarness();
  for (const name of ['alice', 'bob'] as const) {
    people[name] = (await h.createUser(`${name}@example.com`)).id;
    receiver.verifyWith(`/${name}`, (await h.webhookMethod(people[name], receiver.url(`/${name}`))).signingSecret);
  }
}, 60_000);

afterAll(async () => {
  await h?.close();
  await receiver?.close();
});

describe('acknowledgement timeout', () => {
  it('runs out: the incident and its alerts trigger again and escalation restarts at level 1 with new keys', async () => {
    await teamWithPolicy('timeout', {
      ackTimeoutMinutes: 3,
      levels: [
        { delayMinutes: 5, targets: [{ type: 'user', id: people.alice }] },
        { delayMinutes: 5, targets: [{ type: 'user', id: people.bob }] },
      ],
    });
    const { alertId, incidentId } = await h.fire('timeout', 'timeout-db');
    await h.runDue();
    expect(receiver.on('/alice')).toHaveLength(1);

    const acked = await h.services.incidentsService.acknowledge(h.admin, incidentId);
    expect(acked.status).toBe('acknowledged');
    expect(acked.ackTimeoutAt?.getTime()).toBe(h.now().getTime() + 3 * 60_000);

    // Not a moment early: at 2:59 it stands; at 3:00 it runs out.
    expect(await h.advance(2 + 59 / 60)).toEqual([]);
    expect((await h.incident(incidentId)).status).toBe('acknowledged');
    expect(await h.advance(1 / 60)).toEqual(expect.arrayContaining([`ack timeout ${incidentId}`, 'step 0:1']));
    const retriggered = await h.incident(incidentId);
    expect(retriggered).toMatchObject({ status: 'triggered', acknowledgedAt: null, ackTimeoutAt: null });
    expect((await h.services.alertsService.get(h.admin, alertId)).alert.status).toBe('firing');
    const timeout = (await h.timeline(incidentId)).find((e) => e.kind === 'acknowledgement_timeout');
    expect(timeout?.message).toBe(
      'Still open 3 minutes after the acknowledgement: triggered again, escalation restarts at level 1',
    );
    expect(timeout?.metadata).toMatchObject({ acknowledgedBy: h.admin.userId, alertIds: [alertId] });

    // Level 1 again at once (a second notification with its own key), level 2 five minutes on; Bob had never been paged.
    expect(receiver.on('/alice')).toHaveLength(2);
    expect(receiver.on('/bob')).toHaveLength(0);
    await h.advance(5);
    expect(receiver.on('/bob')).toHaveLength(1);
    expect(reasonsOn('/alice')).toEqual(['Escalation level 1, round 1', 'Escalation level 1, round 2']);
    expect(reasonsOn('/bob')).toEqual(['Escalation level 2, round 2']);
    expect(new Set(receiver.on('/alice').map((r) => r.headers['webhook-id'])).size).toBe(2);
    expect(receiver.requests.every((r) => r.verified === true)).toBe(true);
    const kinds = await kindsOf(incidentId);
    expect(kinds.filter((k) => k === 'escalated')).toHaveLength(3);
    expect(kinds.filter((k) => k === 'escalation_exhausted')).toHaveLength(1);

    // Acknowledged again: a fresh timeout, which resolving cancels.
    expect((await h.services.incidentsService.acknowledge(h.admin, incidentId)).ackTimeoutAt).not.toBeNull();
    const resolved = await h.services.incidentsService.resolve(h.admin, incidentId);
    expect(resolved).toMatchObject({ status: 'resolved', ackTimeoutAt: null });
    const deliveries = receiver.requests.length;
    expect(await h.advance(60)).toEqual([]);
    expect((await h.incident(incidentId)).status).toBe('resolved');
    expect(receiver.requests).toHaveLength(deliveries);
    expect((await kindsOf(incidentId)).filter((k) => k === 'acknowledgement_timeout')).toHaveLength(1);
  });

  it('a timeout job that comes late, twice or early changes nothing but the current acknowledgement', async () => {
    await teamWithPolicy('stale', {
      ackTimeoutMinutes: 1,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: people.alice }] }],
    });
    const { incidentId } = await h.fire('stale', 'stale-db');
    await h.runDue();
    await h.services.incidentsService.acknowledge(h.admin, incidentId);
    const timeout = { incidentId, firstRound: 0 };
    expect(await h.services.incidentsService.acknowledgementTimedOut(timeout)).toBe('early');
    await h.advance(1);
    expect((await h.incident(incidentId)).escalationFirstRound).toBe(1);
    // The same job again, and the job of the first acknowledgement after a second one: stale.
    expect(await h.services.incidentsService.acknowledgementTimedOut(timeout)).toBe('stale');
    await h.services.incidentsService.acknowledge(h.admin, incidentId);
    await h.advance(0.5);
    expect(await h.services.incidentsService.acknowledgementTimedOut(timeout)).toBe('stale');
    expect(await h.services.incidentsService.acknowledgementTimedOut({ incidentId, firstRound: 1 })).toBe('early');
    expect((await kindsOf(incidentId)).filter((k) => k === 'acknowledgement_timeout')).toHaveLength(1);
    await h.services.incidentsService.resolve(h.admin, incidentId);
  });

  it('without a timeout an acknowledgement stands; a new alert grouped into it does not trigger it again', async () => {
    const { team } = await teamWithPolicy('grouped', {
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] }],
    });
    await h.services.incidentsService.setGroupingRule(h.admin, team, { groupBy: ['cluster'], windowMinutes: 60 });
    const first = await h.fire('grouped', 'grouped-api', { labels: { team: 'grouped', cluster: 'eu' } });
    await h.runDue();
    expect(await kindsOf(first.incidentId)).toContain('notification_sent');
    const acked = await h.services.incidentsService.acknowledge(h.admin, first.incidentId);
    expect(acked.ackTimeoutAt).toBeNull();
    const deliveries = receiver.requests.length;

    await h.advance(10);
    const second = await h.fire('grouped', 'grouped-web', { labels: { team: 'grouped', cluster: 'eu' } });
    expect(second.incidentId).toBe(first.incidentId);
    const { incident, alerts, timeline } = await h.services.incidentsService.get(h.admin, first.incidentId);
    expect(incident).toMatchObject({ status: 'acknowledged', alertCount: 2 });
    expect(alerts.map((a) => a.status)).toEqual(['acknowledged', 'acknowledged']);
    expect(timeline.find((e) => e.kind === 'alert_joined')?.message).toMatch(/stays acknowledged/);

    expect(await h.advance(24 * 60)).toEqual([]);
    expect((await h.incident(first.incidentId)).status).toBe('acknowledged');
    expect(receiver.requests).toHaveLength(deliveries);
  });

  it('groups within the window only: after it, the same labels open a new incident', async () => {
    const { team } = await teamWithPolicy('window', {
      levels: [{ delayMinutes: 1, targets: [{ type: 'user', id: people.alice }] }],
    });
    await h.services.incidentsService.setGroupingRule(h.admin, team, { groupBy: ['service'], windowMinutes: 10 });
    const labels = { team: 'window', service: 'db' };
    const first = await h.fire('window', 'window-1', { labels });
    await h.advance(10);
    expect((await h.fire('window', 'window-2', { labels })).incidentId).toBe(first.incidentId);
    await h.advance(10 + 1 / 60);
    expect((await h.fire('window', 'window-3', { labels })).incidentId).not.toBe(first.incidentId);
    expect((await h.fire('window', 'window-4', { labels: { ...labels, service: 'web' } })).incidentId).not.toBe(
      first.incidentId,
    );
  });
});

describe('acknowledgement timeout without a job runner', () => {
  it('is durable: acknowledged while no process runs jobs, it runs out once one does', async () => {
    await teamWithPolicy('durable', {
      ackTimeoutMinutes: 1,
      levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: people.bob }] }],
    });
    const { incidentId } = await h.fire('durable', 'durable-db');
    await h.runDue();
    // No job runner: the acknowledgement and its timeout live in the incident row alone.
    expect((await h.services.incidentsService.acknowledge(h.admin, incidentId)).status).toBe('acknowledged');
    await h.advance(0);
    // Two minutes on, the job runner starts: its reconciliation finds the timeout and runs it.
    h.setClock(new Date(h.now().getTime() + 2 * 60_000));
    expect((await h.incident(incidentId)).status).toBe('acknowledged');
    await h.services.escalationEngine.start();
    await waitFor(async () => (await h.incident(incidentId)).status === 'triggered', 20_000, 'the re-trigger');
    expect((await kindsOf(incidentId)).filter((k) => k === 'acknowledgement_timeout')).toHaveLength(1);
    await h.services.escalationEngine.stop();
  });
});
