import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * POST /api/simulate and real ingestion agree on routing and suppression, whatever the
 * payload and the silences, maintenance windows and inhibition rules in force.
 */
const clock = new Date('2026-12-07T12:00:00.000Z');
let t: TestApp;
let admin: { userId: string; apiKey: string };
let integration: Awaited<ReturnType<typeof createIntegration>>;
const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });

const names = ['team', 'svc', 'severity', 'zone'] as const;
const values = { team: ['a', 'b', 'c'], svc: ['db', 'web'], severity: ['critical', 'warning'], zone: ['x', 'y'] };
const matcher = fc.constantFrom(...names).chain((name) =>
  fc.record({
    name: fc.constant(name),
    value: fc.oneof(fc.constantFrom(...values[name]), fc.constant(values[name].join('|'))),
    isRegex: fc.boolean(),
    isEqual: fc.boolean(),
  }),
);
const config = fc.record({
  silence: fc.option(fc.array(matcher, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  window: fc.option(fc.array(matcher, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  inhibition: fc.option(
    fc.record({
      source: fc.array(matcher, { minLength: 1, maxLength: 1 }),
      target: fc.array(matcher, { minLength: 1, maxLength: 1 }),
      equal: fc.subarray(['svc', 'zone']),
    }),
    { nil: undefined },
  ),
});
const payload = fc.record({
  team: fc.constantFrom(...values.team),
  svc: fc.constantFrom(...values.svc),
  severity: fc.constantFrom('critical', 'warning'),
  zone: fc.constantFrom(...values.zone),
});

beforeAll(async () => {
  t = await createTestApp({ now: () => clock });
  admin = await t.createAdmin();
  for (const name of ['a', 'b']) {
    const team = (await as('POST', '/api/teams', { name })).json().id;
    await as('POST', '/api/routing-rules', {
      name,
      teamId: team,
      matchers: [{ field: 'labels.team', op: 'equals', value: name }],
      continue: true,
    });
  }
  integration = await createIntegration(t, admin.apiKey, { name: 'prop', type: 'generic' });
});
afterAll(() => t.close());

describe('simulation and reality', () => {
  it('agree on the teams reached and on what suppresses the alert', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(config, payload, async (noise, labels) => {
        run += 1;
        const cleanup: Array<() => Promise<unknown>> = [];
        const silence =
          noise.silence === undefined
            ? undefined
            : await as('POST', '/api/silences', { matchers: noise.silence, durationMinutes: 10, comment: 'prop' });
        if (silence?.statusCode === 201) cleanup.push(() => as('POST', `/api/silences/${silence.json().id}/expire`));
        if (noise.window !== undefined) {
          const window = await as('POST', '/api/maintenance-windows', {
            name: 'prop',
            startsAt: new Date(clock.getTime() - 60_000).toISOString(),
            endsAt: new Date(clock.getTime() + 60_000).toISOString(),
            matchers: noise.window,
          });
          expect(window.statusCode, window.body).toBe(201);
          cleanup.push(() => as('DELETE', `/api/maintenance-windows/${window.json().id}`));
        }
        if (noise.inhibition !== undefined) {
          const rule = await as('POST', '/api/inhibition-rules', {
            name: 'prop',
            sourceMatchers: noise.inhibition.source,
            targetMatchers: noise.inhibition.target,
            equal: noise.inhibition.equal,
          });
          expect(rule.statusCode, rule.body).toBe(201);
          cleanup.push(() => as('DELETE', `/api/inhibition-rules/${rule.json().id}`));
        }
        try {
          const body = {
            title: `run ${run}`,
            dedupKey: `run-${run}`,
            severity: labels.severity,
            labels: { team: labels.team, svc: labels.svc, zone: labels.zone },
          };
          const simulated = await as('POST', '/api/simulate', { integration: 'prop', payload: body });
          expect(simulated.statusCode, simulated.body).toBe(200);
          const predicted = simulated.json().alerts[0];
          const sent = await sendSigned(t, integration, body);
          expect(sent.statusCode, sent.body).toBe(202);
          const actual = (await as('GET', `/api/alerts/${sent.json().alerts[0].id}`)).json();
          expect(predicted.action).toBe('created');
          expect(predicted.teamIds).toEqual(actual.teamIds);
          expect(predicted.suppressedBy).toEqual(actual.suppressedBy);
        } finally {
          for (const undo of cleanup) await undo();
        }
      }),
      { numRuns: 25 },
    );
  });

  it('stores and sends nothing', async () => {
    const before = (await as('GET', '/api/alerts?limit=100')).json().alerts.length;
    const simulated = await as('POST', '/api/simulate', {
      integrationId: integration.id,
      payload: { title: 'never stored', dedupKey: 'never', labels: { team: 'a' } },
    });
    expect(simulated.statusCode, simulated.body).toBe(200);
    expect(simulated.json().alerts[0].entries.map((entry: { kind: string }) => entry.kind)).toEqual([
      'delivery_verified',
      'alert_created',
      'routed',
      'not_suppressed',
      'incident_opened',
      'no_escalation_policy',
    ]);
    expect((await as('GET', '/api/alerts?limit=100')).json().alerts.length).toBe(before);
  });
});
