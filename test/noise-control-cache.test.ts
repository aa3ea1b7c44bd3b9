import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

// Silences, maintenance windows and inhibition rules are served from each process's memory.
// A change by another process (told only through NOTIFY) or by plain SQL reaches this process's
// next alerts within a short bound.

let t: TestApp;
let admin: { userId: string; apiKey: string };
let other: Services;
let stopOther: () => Promise<void>;
let integration: Awaited<ReturnType<typeof createIntegration>>;
let sequence = 0;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  other = createServices({ database: t.database, masterKey: t.masterKey });
  stopOther = await other.watchIngestConfig();
  const team = (
    await t.request({ method: 'POST', url: '/api/teams', key: admin.apiKey, body: { name: 'cache' } })
  ).json().id;
  await t.request({
    method: 'POST',
    url: '/api/routing-rules',
    key: admin.apiKey,
    body: { name: 'all', teamId: team, matchers: [] },
  });
  integration = await createIntegration(t, admin.apiKey, { name: 'noise-cache', type: 'generic' });
});
afterAll(async () => {
  await stopOther();
  await t.close();
});

/**
 * Fires new alerts until one is (or is not) suppressed, for at most 30 s, and answers the last
 * one's mark: the cache has no expiry, so without the notice the answer would never change; the bound only ends a failing test, and a loaded machine cannot reach it.
 */
async function eventuallySuppressed(expected: boolean): Promise<unknown> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    sequence += 1;
    const sent = await sendSigned(t, integration, {
      title: `cache ${sequence}`,
      dedupKey: `cache-${sequence}`,
      labels: { service: 'cached' },
    });
    const id = sent.json().alerts[0].id as string;
    const alert = (await t.request({ method: 'GET', url: `/api/alerts/${id}`, key: admin.apiKey })).json();
    if ((alert.suppressedBy !== null) === expected || Date.now() > deadline) return alert.suppressedBy;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('suppression config cached per process', () => {
  it("another process's new silence, and its end by plain SQL, reach this process's alerts", async () => {
    expect(await eventuallySuppressed(false)).toBeNull();
    const principal = { userId: admin.userId, email: 'admin@example.com', isPlatformAdmin: true, apiKeyId: null };
    const silence = await other.silencesService.create(
      {
        matchers: [{ name: 'service', value: 'cached', isRegex: false, isEqual: true }],
        durationMinutes: 30,
        comment: 'x',
      },
      principal,
    );
    expect(await eventuallySuppressed(true)).toEqual({ kind: 'silence', id: silence.id });
    await t.database.db.execute(sql`update silences set ends_at = now() where id = ${silence.id}`);
    expect(await eventuallySuppressed(false)).toBeNull();
  });
});
