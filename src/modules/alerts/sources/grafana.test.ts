import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { grafanaNormalizer } from './grafana.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';

const normalize = (payload: unknown) => grafanaNormalizer.normalize(payload);

const v11Silence =
  'https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DMemory+%28copy%29&matcher=debug%3Dtrue&matcher=grafana_folder%3Ddevice&orgId=1';
const v11ValueString =
  "[ var='A' labels={instance=node_exporter:9100, job=node} value=2.473545728e+09 ], [ var='B' labels={instance=node_exporter:9100, job=node} value=0 ], [ var='C' labels={} value=1 ], [ var='minute' labels={} value=9 ]";

function docsAlert(zone: string, kind: string, fingerprint: string, rule: string, startsAt: string): NormalizedAlert {
  const alertname = `High ${kind} usage`;
  return {
    dedupKey: fingerprint,
    title: `This alert was triggered for zone ${zone}`,
    description: `The system has high ${kind} usage`,
    severity: 'warning',
    status: 'firing',
    source: 'My Super Webhook',
    labels: {
      alertname,
      team: 'blue',
      zone,
      annotation_description: `The system has high ${kind} usage`,
      annotation_runbook_url: 'https://myrunbook.com/runbook/1234',
      annotation_summary: `This alert was triggered for zone ${zone}`,
    },
    links: [
      { href: `https://play.grafana.org/alerting/${rule}/edit`, text: 'Alert rule' },
      {
        href: `https://play.grafana.org/alerting/silence/new?alertmanager=grafana&matchers=alertname%3D${zone === 'us-1' ? 'T2' : 'T1'}%2Cteam%3Dblue%2Czone%3D${zone}`,
        text: 'Silence',
      },
    ],
    occurredAt: new Date(startsAt),
  };
}

describe('grafana normalizer', () => {
  it.each<[string, NormalizedAlert[]]>([
    [
      'docs-two-alerts-firing.json',
      [
        docsAlert('us-1', 'memory', 'c6eadffa33fcdf37', '1afz29v7z', '2021-10-12T07:51:03.157Z'),
        docsAlert('eu-1', 'CPU', 'bc97ff14869b13e3', 'd1rdpdv7k', '2021-10-12T07:56:03.157Z'),
      ],
    ],
    [
      'zulip-v11-values-firing.json',
      [
        {
          dedupKey: 'e6349a25f5ef0e9e',
          title: 'High memory usage',
          description: `Values: ${v11ValueString}`,
          severity: 'warning',
          status: 'firing',
          source: 'Debug webhook',
          labels: {
            alertname: 'Memory (copy)',
            debug: 'true',
            grafana_folder: 'device',
            annotation_summary: 'High memory usage',
          },
          links: [
            {
              href: 'https://play.grafana.org/alerting/grafana/dd2f0260-3cfc-4c65-a4c4-f3f632c551f4/view?orgId=1',
              text: 'Alert rule',
            },
            { href: 'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1', text: 'Dashboard' },
            {
              href: 'https://play.grafana.org/d/ece9fb32-7f71-4be9-bd94-2f23608ae5b9?orgId=1&viewPanel=2',
              text: 'Panel',
            },
            { href: v11Silence, text: 'Silence' },
            { href: 'https://grafana.com/assets/img/blog/mixed_styles.png', text: 'Image' },
          ],
          occurredAt: new Date('2024-03-01T02:09:00.000Z'),
        },
      ],
    ],
    [
      'zulip-v9-resolved.json',
      [
        {
          dedupKey: 'd8a21484c9c25a60',
          title: 'This is a summary field, failure on <no value>',
          description:
            "This is a description\n\nValues: [ var='B0' metric='Value' labels={__name__=rabbitmq_queues, deploy=prod, instance=otherhost.example.com, job=rabbitmq} value=24 ]",
          severity: 'warning',
          status: 'resolved',
          source: 'Webhook test',
          labels: {
            alertname: 'Test alert',
            test: 'true',
            annotation_description: 'This is a description',
            annotation_runbook_url: 'https://example.com/',
            annotation_summary: 'This is a summary field, failure on <no value>',
          },
          links: [
            { href: 'https://grafana.example.com/alerting/grafana/zTjxv_C7k/view', text: 'Alert rule' },
            {
              href: 'https://grafana.example.com/alerting/silence/new?alertmanager=grafana&matcher=alertname%3DTest+alert&matcher=test%3Dtrue',
              text: 'Silence',
            },
          ],
          occurredAt: new Date('2022-06-17T00:51:24.067Z'),
        },
      ],
    ],
  ])('%s normalizes to the expected alerts', (file, expected) => {
    expect(normalize(loadFixture('grafana', file))).toEqual(expected);
  });

  it('firing→resolved of the same alert (state alerting→ok) keeps the fingerprint as dedup key', () => {
    const firingPayload = loadFixture('grafana', 'zulip-v11-values-firing.json') as {
      alerts: Array<Record<string, unknown>>;
    };
    const resolvedPayload = {
      ...firingPayload,
      status: 'resolved',
      state: 'ok',
      alerts: firingPayload.alerts.map((a) => ({ ...a, status: 'resolved', endsAt: '2024-03-01T02:19:00Z' })),
    };
    const [firing] = normalize(firingPayload);
    const [resolved] = normalize(resolvedPayload);
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect(resolved?.status).toBe('resolved');
    expect(resolved?.occurredAt).toEqual(new Date('2024-03-01T02:19:00Z'));
  });

  it('maps labels.severity and falls back to the payload title', () => {
    const [alert] = normalize({ title: '[FIRING:1] X', alerts: [{ status: 'firing', labels: { severity: 'P1' } }] });
    expect(alert).toMatchObject({ severity: 'critical', title: '[FIRING:1] X' });
  });

  it.each<[string, unknown, string[]]>([
    ['alerts missing', { version: '1', state: 'alerting' }, ['alerts']],
    ['alerts not an array', { alerts: 'firing' }, ['alerts']],
    ['alert status unknown', { alerts: [{ status: 'alerting', labels: {} }] }, ['alerts.0.status']],
    [
      'values string instead of valueString',
      { alerts: [{ status: 'firing', labels: {}, valueString: 3 }] },
      ['alerts.0.valueString'],
    ],
    [
      'dashboardURL of the wrong type',
      { alerts: [{ status: 'firing', labels: {}, dashboardURL: {} }] },
      ['alerts.0.dashboardURL'],
    ],
    ['endsAt not a timestamp', { alerts: [{ status: 'resolved', labels: {}, endsAt: 'later' }] }, ['alerts.0.endsAt']],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });
});
