import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';
import { newrelicNormalizer, newrelicSeverity, newrelicStatus } from './newrelic.js';

const normalize = (payload: unknown) => newrelicNormalizer.normalize(payload);

function expected(
  id: string,
  url: string,
  title: string,
  priority: string,
  severity: NormalizedAlert['severity'],
  status: NormalizedAlert['status'],
  entity: string,
  condition: string,
  workflow: string,
  occurredAt: number,
): NormalizedAlert {
  return {
    dedupKey: id,
    title,
    description: `Policy: Golden Signals\nCondition: ${condition}\nImpacted entities: ${entity}\nIncidents: 1`,
    severity,
    status,
    source: entity,
    labels: {
      priority,
      policy: 'Golden Signals',
      condition,
      entities: entity,
      workflow,
      sources: 'newrelic',
    },
    links: [{ href: url, text: 'New Relic issue' }],
    occurredAt: new Date(occurredAt),
  };
}

describe('newrelic normalizer', () => {
  it.each<[string, NormalizedAlert]>([
    [
      'zulip-created.json',
      expected(
        '208c5e92-f250-40be-b7c2-50508c268c15',
        'https://radar-api.service.newrelic.com/accounts/1/issues/0ea2df1c-adab-45d2-aae0-042b609d2322?notifier=SLACK',
        "MAIN-APP-UBUNTU query result is > 2.0 for 1 minutes on 'High CPU'",
        'CRITICAL',
        'critical',
        'firing',
        'MAIN-APP-UBUNTU',
        'High CPU',
        'DBA Team workflow',
        1713767789495,
      ),
    ],
    [
      'zulip-activated.json',
      expected(
        'c5faa7e6-7b54-402d-af79-f99601e0278c',
        'https://radar-api.service.newrelic.com/accounts/4420147/issues/c5faa7e6-7b54-402d-af79-f99601e0278c?notifier=WEBHOOK',
        "zulip_app query result is > 1.0 for 1 minutes on 'Zulip Server Low Storage'",
        'CRITICAL',
        'critical',
        'firing',
        'zulip_app',
        'Zulip Server Low Storage',
        'testWorkflow',
        1713769708699,
      ),
    ],
    [
      'zulip-acknowledged-user-action.json',
      expected(
        '13bbcdca-f0b6-470d-b0be-b34583c58869',
        'https://radar-api.service.newrelic.com/accounts/4420147/issues/13bbcdca-f0b6-470d-b0be-b34583c58869?notifier=WEBHOOK',
        "PIETER-UBUNTU query result is > 1.0 for 5 minutes on 'Storage on Host Exceeded Threshold'",
        'HIGH',
        'error',
        'firing',
        'PIETER-UBUNTU',
        'Storage on Host Exceeded Threshold',
        'issue workflow',
        1713770077412,
      ),
    ],
    [
      'zulip-closed.json',
      expected(
        '95a9344a-2590-48ce-8d83-07e28b6d22c6',
        'https://radar-api.service.newrelic.com/accounts/1/issues/0ea2df1c-adab-45d2-aae0-042b609d2322?notifier=SLACK',
        "main_app-UBUNTU query result is > 2.0 for 1 minutes on 'High CPU'",
        'CRITICAL',
        'critical',
        'resolved',
        'main_app-UBUNTU',
        'High CPU',
        'DBA Team workflow',
        1713766657383,
      ),
    ],
  ])('%s normalizes to the expected alert', (file, alert) => {
    expect(normalize(loadFixture('newrelic', file))).toEqual([alert]);
  });

  it('CREATED → ACTIVATED → ACKNOWLEDGED → CLOSED of one issue keeps the issue id as dedup key', () => {
    const created = loadFixture('newrelic', 'zulip-created.json') as Record<string, unknown>;
    const states = ['CREATED', 'ACTIVATED', 'ACKNOWLEDGED', 'CLOSED'];
    const alerts = states.map((state) => normalize({ ...created, state })[0]);
    expect(new Set(alerts.map((a) => a?.dedupKey))).toEqual(new Set(['208c5e92-f250-40be-b7c2-50508c268c15']));
    expect(alerts.map((a) => a?.status)).toEqual(['firing', 'firing', 'acknowledged', 'resolved']);
  });

  it('accepts the issue id as issueId, and falls back to the condition name for a missing title', () => {
    const [alert] = normalize({ issueId: 'abc', state: 'ACTIVATED', title: null, alertConditionNames: ['High CPU'] });
    expect(alert).toMatchObject({ dedupKey: 'abc', title: 'High CPU', severity: 'warning', links: [] });
  });

  it.each([
    ['CRITICAL', 'critical'],
    ['HIGH', 'error'],
    ['MEDIUM', 'warning'],
    ['LOW', 'info'],
    ['low', 'info'],
    ['SOMETHING', 'warning'],
    [null, 'warning'],
  ])('priority %s → %s', (priority, severity) => {
    expect(newrelicSeverity(priority)).toBe(severity);
  });

  it.each([
    ['CREATED', null, 'firing'],
    ['ACTIVATED', 'STATE_CHANGE', 'firing'],
    ['ACTIVATED', 'USER_ACTION', 'firing'],
    ['ACKNOWLEDGED', null, 'acknowledged'],
    ['ACTIVATED', 'ACKNOWLEDGED', 'acknowledged'],
    ['CLOSED', 'INCIDENT_CLOSED', 'resolved'],
    ['closed', null, 'resolved'],
  ])('state %s / trigger %s → %s', (state, trigger, status) => {
    expect(newrelicStatus(state, trigger)).toBe(status);
  });

  it.each<[string, unknown, string[]]>([
    ['no issue id', { state: 'ACTIVATED', title: 'x' }, ['id']],
    ['state missing', { id: 'a', title: 'x' }, ['state']],
    ['id of the wrong type', { id: 7, state: 'ACTIVATED' }, ['id']],
    ['impactedEntities not an array', { id: 'a', state: 'CLOSED', impactedEntities: 'host' }, ['impactedEntities']],
    ['createdAt an object', { id: 'a', state: 'CLOSED', createdAt: {} }, ['createdAt']],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });
});
