import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routingRules } from '../src/db/schema/index.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { cpuTimeMs } from './helpers/cpu-time.js';

let t: TestApp;
let admin: { userId: string; apiKey: string };
let teamId: string;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.createAdmin();
  teamId = (await api('POST', '/api/teams', { name: 'regex-cost' })).json().id;
});
afterAll(() => t.close());

const api = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
const letters = [...'abcdefghijklmnopqrstuvwxyz'];

describe('routing regex cost (issue 18, finding 8)', () => {
  it.each(['(?:a?){1000}a{1000}', 'a{1000}b{1000}', `(?:${letters.map((l) => `${l}{60}`).join('|')})`])(
    'refuses %s when the rule is written: 400 validation-failed naming the limit',
    async (pattern) => {
      const response = await api('POST', '/api/routing-rules', {
        name: 'hostile',
        teamId,
        matchers: [{ field: 'title', op: 'regex', value: pattern }],
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().type).toMatch(/\/validation-failed$/);
      expect(response.json().errors).toEqual([
        expect.objectContaining({
          path: 'matchers.0.value',
          message: expect.stringMatching(/too large once expanded/),
        }),
      ]);
    },
  );

  it('a hostile pattern stored before the limit never matches and costs nothing at evaluation', async () => {
    const created = await api('POST', '/api/routing-rules', {
      name: 'stored-before-the-limit',
      teamId,
      matchers: [{ field: 'title', op: 'regex', value: '^never$' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const hostile = Array.from({ length: 20 }, () => ({
      field: 'title',
      op: 'regex' as const,
      value: '(?:a?){1000}a{1000}',
    }));
    await t.database.db.update(routingRules).set({ matchers: hostile }).where(eq(routingRules.id, created.json().id));

    const started = cpuTimeMs();
    const dryRun = await api('POST', '/api/routing-rules/test', {
      alert: { title: 'a'.repeat(1000), severity: 'critical', labels: {} },
    });
    const elapsedMs = cpuTimeMs() - started;
    expect(dryRun.statusCode, dryRun.body).toBe(200);
    const evaluation = dryRun
      .json()
      .results[0].evaluated.find((entry: { ruleId: string }) => entry.ruleId === created.json().id);
    expect(evaluation).toMatchObject({ matched: false });
    // Twenty evaluations at the old cost took seconds; now the pattern is not run at all.
    expect(elapsedMs).toBeLessThan(1500);
    await t.database.db.execute(sql`DELETE FROM routing_rules WHERE id = ${created.json().id}`);
  });
});
