import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

// The webhook path serves integrations and routing rules from memory. These flows change them
// in every way a writer can — this process's API, a second process's services on the same
// database (told only through the database's NOTIFY), plain SQL — and check that the very next
// request in this process (or, for another writer, the next one after the notice, within a
// short bound) sees the change.

let t: TestApp;
let admin: { userId: string; apiKey: string };
/** Another process's view of the same database: its changes reach `t` only through NOTIFY. */
let other: Services;
let stopOther: () => Promise<void>;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  other = createServices({ database: t.database, masterKey: t.masterKey });
  stopOther = await other.watchIngestConfig();
});
afterAll(async () => {
  await stopOther();
  await t.close();
});

/**
 * Retries `attempt` until it returns the expected status (the notice is asynchronous), for at
 * most 30 s: the cache has no expiry, so without the notice the answer would never change; the bound only ends a failing test, and a loaded machine cannot reach it.
 */
async function eventually(attempt: () => Promise<{ statusCode: number }>, status: number): Promise<number> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { statusCode } = await attempt();
    if (statusCode === status || Date.now() > deadline) return statusCode;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const alert = (key: string) => ({ title: `cache ${key}`, dedupKey: key });

describe('changes made through this process', () => {
  it('a secret rotated without grace is refused on the very next request', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-rotate', type: 'generic' });
    expect((await sendSigned(t, integration, alert('a'))).statusCode).toBe(202);
    expect((await sendSigned(t, integration, alert('b'))).statusCode).toBe(202);
    const rotated = await t.request({
      method: 'POST',
      url: `/api/integrations/${integration.id}/rotate-secret`,
      key: admin.apiKey,
      body: { gracePeriodMinutes: 0 },
    });
    expect(rotated.statusCode).toBe(200);
    expect((await sendSigned(t, integration, alert('c'))).statusCode).toBe(401);
    const fresh = { ...integration, webhookSecret: rotated.json().webhookSecret as string };
    expect((await sendSigned(t, fresh, alert('d'))).statusCode).toBe(202);
  });

  it('a disabled integration is refused on the very next request, a deleted one is unknown', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-disable', type: 'generic' });
    expect((await sendSigned(t, integration, alert('a'))).statusCode).toBe(202);
    const url = `/api/integrations/${integration.id}`;
    await t.request({ method: 'PATCH', url, key: admin.apiKey, body: { isActive: false } });
    expect((await sendSigned(t, integration, alert('b'))).statusCode).toBe(403);
    await t.request({ method: 'PATCH', url, key: admin.apiKey, body: { isActive: true } });
    expect((await sendSigned(t, integration, alert('c'))).statusCode).toBe(202);
    await t.request({ method: 'DELETE', url, key: admin.apiKey });
    expect((await sendSigned(t, integration, alert('d'))).statusCode).toBe(404);
  });

  it('a routing rule routes the very next new alert', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-routing', type: 'generic' });
    const team = await t.request({
      method: 'POST',
      url: '/api/teams',
      key: admin.apiKey,
      body: { name: 'Cache team' },
    });
    expect((await sendSigned(t, integration, alert('before'))).json().alerts[0].action).toBe('created');
    const rule = await t.request({
      method: 'POST',
      url: '/api/routing-rules',
      key: admin.apiKey,
      body: {
        name: 'everything',
        teamId: team.json().id,
        integrationId: integration.id,
        matchers: [],
        continue: false,
        isActive: true,
      },
    });
    expect(rule.statusCode).toBe(201);
    const routed = (await sendSigned(t, integration, alert('after'))).json().alerts[0].id as string;
    const stored = await t.request({ method: 'GET', url: `/api/alerts/${routed}`, key: admin.apiKey });
    expect(stored.json().teamIds).toEqual([team.json().id]);
  });
});

describe('changes made elsewhere, announced by the database', () => {
  it('another process rotating the secret: the old one is refused shortly after', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-other-rotate', type: 'generic' });
    expect((await sendSigned(t, integration, alert('a'))).statusCode).toBe(202);
    const { webhookSecret } = await other.integrationsService.rotateSecret(integration.id, 0, admin.userId);
    expect(await eventually(() => sendSigned(t, integration, alert('b')), 401)).toBe(401);
    expect((await sendSigned(t, { ...integration, webhookSecret }, alert('c'))).statusCode).toBe(202);
  });

  it('another process disabling the integration: refused shortly after', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-other-disable', type: 'generic' });
    expect((await sendSigned(t, integration, alert('a'))).statusCode).toBe(202);
    await other.integrationsService.update(integration.id, { isActive: false }, admin.userId);
    expect(await eventually(() => sendSigned(t, integration, alert('b')), 403)).toBe(403);
  });

  it('plain SQL (no Klaxon code at all) disabling the integration: refused shortly after', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'cache-sql-disable', type: 'generic' });
    expect((await sendSigned(t, integration, alert('a'))).statusCode).toBe(202);
    await t.database.db.execute(sql`UPDATE integrations SET is_active = false WHERE id = ${integration.id}`);
    expect(await eventually(() => sendSigned(t, integration, alert('b')), 403)).toBe(403);
  });
});
