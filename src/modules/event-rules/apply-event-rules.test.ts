import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../alerts/normalized-alert.js';
import { applyEventRules, type EventRule } from './apply-event-rules.js';

const alert: NormalizedAlert = {
  dedupKey: 'k1',
  title: 'CPU high',
  description: null,
  severity: 'critical',
  status: 'firing',
  source: 'prometheus',
  labels: { env: 'staging', service: 'api' },
  links: [],
  occurredAt: null,
};
const integration = { id: '00000000-0000-7000-8000-000000000001', name: 'prom' };
let n = 0;
const rule = (partial: Partial<EventRule>): EventRule => ({
  id: `00000000-0000-7000-8000-${String(++n).padStart(12, '0')}`,
  position: n,
  integrationId: null,
  matchers: [],
  actions: {},
  ...partial,
});

describe('applyEventRules', () => {
  it('applies every matching rule in order, each seeing the previous result', () => {
    const rules = [
      rule({ matchers: [{ field: 'labels.env', op: 'equals', value: 'staging' }], actions: { severity: 'warning' } }),
      rule({
        matchers: [{ field: 'severity', op: 'equals', value: 'warning' }],
        actions: { setLabels: { tier: 'low' } },
      }),
      rule({ matchers: [{ field: 'labels.env', op: 'equals', value: 'prod' }], actions: { drop: true } }),
      rule({ actions: { title: '[{{labels.service}}] {{title}}', dedupKey: '{{labels.service}}-{{payload.id}}' } }),
    ];
    const outcome = applyEventRules(alert, integration, { id: 42 }, rules);
    expect(outcome.alert).toMatchObject({
      severity: 'warning',
      title: '[api] CPU high',
      dedupKey: 'api-42',
      labels: { env: 'staging', service: 'api', tier: 'low' },
    });
    expect(outcome.steps.map((step) => step.matched)).toEqual([true, true, false, true]);
    expect(outcome.steps[0]?.changes.severity).toEqual({ from: 'critical', to: 'warning' });
    expect(alert.severity).toBe('critical');
  });

  it('drop ends the walk; suppress keeps the alert flagged; removeLabels removes', () => {
    const dropped = applyEventRules(alert, integration, {}, [
      rule({ actions: { drop: true } }),
      rule({ actions: { severity: 'info' } }),
    ]);
    expect(dropped.alert).toBeNull();
    expect(dropped.steps).toHaveLength(1);
    const suppressed = applyEventRules(alert, integration, {}, [
      rule({ actions: { suppress: true, removeLabels: ['env'] } }),
    ]);
    expect(suppressed.alert?.suppressed).toBe(true);
    expect(suppressed.alert?.labels).toEqual({ service: 'api' });
  });

  it("skips inactive rules and other integrations' rules; an empty rendered title or key keeps the sender's", () => {
    const outcome = applyEventRules(alert, integration, {}, [
      rule({ isActive: false, actions: { drop: true } }),
      rule({ integrationId: '00000000-0000-7000-8000-0000000000ff', actions: { drop: true } }),
      rule({ actions: { title: '{{payload.nothing}}', dedupKey: '{{labels.none}}' } }),
    ]);
    expect(outcome.alert).toMatchObject({ title: 'CPU high', dedupKey: 'k1' });
  });

  it('hostile labels: template syntax in values stays literal, prototype names are plain keys', () => {
    const hostile = { ...alert, labels: { service: '{{payload.secret}}', __proto__: 'x' } as Record<string, string> };
    const outcome = applyEventRules(hostile, integration, { secret: 's3cr3t' }, [
      rule({ actions: { title: '{{labels.service}}', setLabels: { constructor: '{{labels.service}}' } } }),
    ]);
    expect(outcome.alert?.title).toBe('{{payload.secret}}');
    expect(Object.hasOwn(outcome.alert?.labels ?? {}, 'constructor')).toBe(true);
    expect(JSON.stringify(outcome.alert)).not.toContain('s3cr3t');
  });
});
