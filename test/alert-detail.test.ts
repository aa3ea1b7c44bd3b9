import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/** What the person on call sees about the alert that paged them: team, incident, the payload as stored. */
let t: TestApp;
let admin: { userId: string; apiKey: string };
let member: { userId: string; apiKey: string };
let outsider: { userId: string; apiKey: string };
let team = '';
let integration: Awaited<ReturnType<typeof createIntegration>>;

const as = (who: { apiKey: string }, method: string, url: string, body?: unknown) =>
  t.request({ method, url, key: who.apiKey, body });

async function fire(body: Record<string, unknown>): Promise<string> {
  const answer = await sendSigned(t, integration, body);
  expect(answer.statusCode, answer.body).toBe(202);
  return answer.json().alerts[0].id as string;
}

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  const olive = await t.services.usersService.create({ email: 'olive@example.com', name: 'Olive Oncall' }, null);
  const key = await as(admin, 'POST', '/api/api-keys', { name: 'olive', userId: olive.id });
  member = { userId: olive.id, apiKey: key.json().key };
  outsider = await t.createUser(admin.apiKey);
  team = (await as(admin, 'POST', '/api/teams', { name: 'storage' })).json().id;
  await as(admin, 'POST', `/api/teams/${team}/members`, { userId: member.userId });
  await as(admin, 'POST', '/api/routing-rules', {
    name: 'storage',
    teamId: team,
    matchers: [{ field: 'labels.team', op: 'equals', value: 'storage' }],
  });
  integration = await createIntegration(t, admin.apiKey, { name: 'alert-detail', type: 'generic' });
});
afterAll(() => t.close());

describe('an alert as its team member sees it', () => {
  it('names its team, links its incident, and carries the stored payload', async () => {
    const sent = {
      title: 'Disk full on db-1',
      description: 'Only 2% left',
      severity: 'critical',
      dedupKey: 'disk-db-1',
      source: 'db-1',
      labels: { team: 'storage', host: 'db-1' },
      links: [{ href: 'https://grafana.example.com/d/disk', text: 'Dashboard' }],
    };
    const id = await fire(sent);
    const answer = await as(member, 'GET', `/api/alerts/${id}`);
    expect(answer.statusCode, answer.body).toBe(200);
    const alert = answer.json();
    expect(alert).toMatchObject({
      title: 'Disk full on db-1',
      description: 'Only 2% left',
      source: 'db-1',
      labels: { team: 'storage', host: 'db-1' },
      links: [{ href: 'https://grafana.example.com/d/disk', text: 'Dashboard' }],
      teamIds: [team],
      teams: [{ id: team, name: 'storage' }],
    });
    expect(alert.occurrences.map((o: { kind: string }) => o.kind)).toEqual(['created']);
    expect(alert.payload.body).toEqual(sent);
    // As sent: the text byte for byte and the parsed body's keys in the sender's order (jsonb sorted them).
    expect(alert.payload.text).toBe(JSON.stringify(sent));
    expect(Object.keys(alert.payload.body)).toEqual(Object.keys(sent));
    expect(alert.payload.truncatedFrom).toBeNull();
    expect(alert.payload.deliveryId).toBe(alert.occurrences[0].deliveryId);
    expect(alert.incidents).toHaveLength(1);
    expect(alert.incidents[0]).toMatchObject({ title: 'Disk full on db-1', status: 'triggered', teamId: team });

    // And back: the incident lists this alert; it has a short number, and says who acknowledged it.
    const incident = (await as(member, 'GET', `/api/incidents/${alert.incidents[0].id}`)).json();
    expect(incident.alerts.map((a: { id: string }) => a.id)).toEqual([id]);
    expect(incident.number).toBe(alert.incidents[0].number);
    expect(Number.isInteger(incident.number) && incident.number > 0).toBe(true);
    const acknowledged = await as(member, 'POST', `/api/incidents/${incident.id}/acknowledge`);
    expect(acknowledged.statusCode, acknowledged.body).toBe(200);
    const timeline = (await as(member, 'GET', `/api/incidents/${incident.id}`)).json().timeline;
    expect(timeline.map((e: { message: string }) => e.message)).toContain(
      'Acknowledged by Olive Oncall in the console',
    );

    // The member's list shows it; someone of no team gets a 404 for it, not a 403.
    const list = (await as(member, 'GET', `/api/alerts?teamId=${team}`)).json();
    expect(list.alerts.map((a: { id: string }) => a.id)).toContain(id);
    expect((await as(outsider, 'GET', `/api/alerts/${id}`)).statusCode).toBe(404);
  });

  it('an alert no rule routed reached no team: only admins see it, with no team and no incident', async () => {
    const id = await fire({ title: 'Stray', labels: { team: 'nobody' } });
    const alert = (await as(admin, 'GET', `/api/alerts/${id}`)).json();
    expect(alert).toMatchObject({ teamIds: [], teamId: null, teams: [], incidents: [] });
    expect((await as(member, 'GET', `/api/alerts/${id}`)).statusCode).toBe(404);
  });
});
