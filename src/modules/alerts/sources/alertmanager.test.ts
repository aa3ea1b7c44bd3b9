import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { alertmanagerNormalizer } from './alertmanager.js';
import { mapSeverityWord } from './common.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';
import { stableHash } from './stable-hash.js';

const normalize = (payload: unknown) => alertmanagerNormalizer.normalize(payload);

const capturedLabels = {
  alertname: 'HighErrorRate',
  instance: 'api-1:9100',
  job: 'api',
  service: 'checkout',
  severity: 'critical',
  annotation_description: '5xx rate is 12% over 5m',
  annotation_runbook_url: 'https://runbooks.example.com/high-error-rate',
  annotation_summary: 'High 5xx rate on checkout',
};
const capturedLinks = [
  { href: 'http://prometheus.example.com:9090/graph?g0.expr=job%3Aerrors%3Arate5m+%3E+0.05', text: 'Source' },
  { href: 'http://alertmanager.example.com:9093', text: 'Alertmanager' },
];
const zulipGenerator =
  'http://cobalt:9090/graph?g0.expr=avg+by%28host%29+%28sensors_temp_input%7Bfeature%3D~%22core_%5B0-9%5D%2B%22%7D%29+%3E+15&g0.tab=1';

function zulipAlert(fingerprint: string, temperature: string): NormalizedAlert {
  return {
    dedupKey: fingerprint,
    title: 'High CPU core temperature',
    description: `CPU core temperature is ${temperature}`,
    severity: 'critical',
    status: 'firing',
    source: 'ops-zulip',
    labels: {
      alertname: 'High CPU Temperature',
      host: 'andromeda',
      severity: 'critical',
      annotation_description: `CPU core temperature is ${temperature}`,
      annotation_topic: 'andromeda',
      annotation_summary: 'High CPU core temperature',
    },
    links: [
      { href: zulipGenerator, text: 'Source' },
      { href: 'http://ops1:9093', text: 'Alertmanager' },
    ],
    occurredAt: new Date('2020-02-06T00:17:58.432Z'),
  };
}

describe('alertmanager normalizer', () => {
  it.each<[string, NormalizedAlert[]]>([
    [
      'captured-firing.json',
      [
        {
          dedupKey: '740546f95acace17',
          title: 'High 5xx rate on checkout',
          description: '5xx rate is 12% over 5m',
          severity: 'critical',
          status: 'firing',
          source: 'api-1:9100',
          labels: capturedLabels,
          links: capturedLinks,
          occurredAt: new Date('2026-11-21T21:48:19.000Z'),
        },
      ],
    ],
    [
      'captured-resolved.json',
      [
        {
          dedupKey: '740546f95acace17',
          title: 'High 5xx rate on checkout',
          description: '5xx rate is 12% over 5m',
          severity: 'critical',
          status: 'resolved',
          source: 'api-1:9100',
          labels: capturedLabels,
          links: capturedLinks,
          occurredAt: new Date('2026-11-21T21:48:26.000Z'),
        },
      ],
    ],
    [
      'zulip-two-alerts-firing.json',
      [zulipAlert('a1bc48475b20e73d', '34.75C'), zulipAlert('c2ea85182f28cbd9', '17.625C')],
    ],
  ])('%s normalizes to the expected alerts', (file, expected) => {
    expect(normalize(loadFixture('alertmanager', file))).toEqual(expected);
  });

  it('a real firing→resolved cycle keeps the dedup key (the fingerprint)', () => {
    const [firing] = normalize(loadFixture('alertmanager', 'captured-firing.json'));
    const [resolved] = normalize(loadFixture('alertmanager', 'captured-resolved.json'));
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect([firing?.status, resolved?.status]).toEqual(['firing', 'resolved']);
  });

  it('without a fingerprint, falls back to a hash of the sorted labels, the same on resolve', () => {
    const alert = (status: string, labels: Record<string, string>) => ({
      alerts: [{ status, labels, startsAt: '2024-01-01T00:00:00Z', endsAt: '2024-01-01T00:05:00Z' }],
    });
    const [firing] = normalize(alert('firing', { b: '2', alertname: 'X' }));
    const [resolved] = normalize(alert('resolved', { alertname: 'X', b: '2' }));
    expect(firing?.dedupKey).toBe(stableHash({ alertname: 'X', b: '2' }));
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect(resolved?.occurredAt).toEqual(new Date('2024-01-01T00:05:00Z'));
    expect(firing?.occurredAt).toEqual(new Date('2024-01-01T00:00:00Z'));
  });

  it('title falls back to alertname, source to job then receiver; zero endsAt on resolve uses startsAt', () => {
    const [alert] = normalize({
      receiver: 'team-x',
      alerts: [
        {
          status: 'resolved',
          labels: { alertname: 'Down', job: 'node' },
          startsAt: '2024-01-01T00:00:00Z',
          endsAt: '0001-01-01T00:00:00Z',
        },
      ],
    });
    expect(alert).toMatchObject({ title: 'Down', source: 'node', description: null, severity: 'warning' });
    expect(alert?.occurredAt).toEqual(new Date('2024-01-01T00:00:00Z'));
    expect(normalize({ receiver: 'team-x', alerts: [{ status: 'firing', labels: {} }] })[0]).toMatchObject({
      title: 'Alertmanager alert',
      source: 'team-x',
      occurredAt: null,
      links: [],
    });
  });

  it('an empty alerts list gives no alerts', () => {
    expect(normalize({ version: '4', alerts: [] })).toEqual([]);
  });

  it.each<[string, unknown, string[]]>([
    ['alerts missing', { version: '4', status: 'firing' }, ['alerts']],
    ['alerts not an array', { alerts: { status: 'firing' } }, ['alerts']],
    ['alert status missing', { alerts: [{ labels: {} }] }, ['alerts.0.status']],
    ['alert status unknown', { alerts: [{ status: 'pending', labels: {} }] }, ['alerts.0.status']],
    ['labels missing', { alerts: [{ status: 'firing' }] }, ['alerts.0.labels']],
    ['a label not a string', { alerts: [{ status: 'firing', labels: { severity: 3 } }] }, ['alerts.0.labels.severity']],
    [
      'startsAt not a timestamp',
      { alerts: [{ status: 'firing', labels: {}, startsAt: 'soon' }] },
      ['alerts.0.startsAt'],
    ],
    [
      'fingerprint of the wrong type',
      { alerts: [{ status: 'firing', labels: {}, fingerprint: 1 }] },
      ['alerts.0.fingerprint'],
    ],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });

  it('tolerates fields it does not know', () => {
    const payload = loadFixture('alertmanager', 'captured-firing.json') as Record<string, unknown>;
    expect(normalize({ ...payload, somethingNew: { x: 1 } })).toHaveLength(1);
  });
});

describe('severity label mapping', () => {
  it.each([
    ['critical', 'critical'],
    ['CRITICAL', 'critical'],
    ['page', 'critical'],
    ['P1', 'critical'],
    ['error', 'error'],
    ['high', 'error'],
    ['Major', 'error'],
    ['warning', 'warning'],
    ['warn', 'warning'],
    ['medium', 'warning'],
    ['info', 'info'],
    ['low', 'info'],
    ['none', 'info'],
    [' info ', 'info'],
    ['sev-unknown', 'warning'],
    ['', 'warning'],
    [undefined, 'warning'],
  ])('%s → %s', (word, severity) => {
    expect(mapSeverityWord(word)).toBe(severity);
    const [alert] = normalize({
      alerts: [{ status: 'firing', labels: word === undefined ? {} : { severity: word } }],
    });
    expect(alert?.severity).toBe(severity);
  });
});
