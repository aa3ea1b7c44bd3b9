import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { bareTitle, datadogNormalizer, parseDatadogTags, transitionFromTitle } from './datadog.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';
import { stableHash } from './stable-hash.js';

const normalize = (payload: unknown) => datadogNormalizer.normalize(payload);

const recommendedLabels = { env: 'prod', host: 'web-1', monitor: '', role: 'computing-node', service: 'web' };
const defaultBody = (loadFixture('datadog', 'default-template-triggered.json') as { body: string }).body
  .replace(/^%%%\n/, '')
  .replace(/\n%%%$/, '');

describe('datadog normalizer', () => {
  it.each<[string, NormalizedAlert]>([
    [
      'recommended-template-triggered.json',
      {
        dedupKey: '7716548234055549999',
        title: '[P2] [Triggered on {host:web-1}] High CPU on web tier',
        description: 'CPU usage is above 90% on web-1.\n\n@webhook-klaxon',
        severity: 'error',
        status: 'firing',
        source: 'web-1',
        labels: recommendedLabels,
        links: [
          { href: 'https://app.datadoghq.com/event/jump_to?event_id=7716548234011234567', text: 'Datadog event' },
          {
            href: 'https://p.datadoghq.com/snapshot/view/dd-snapshots-prod/org_11023/2026-09-27/example.png',
            text: 'Snapshot',
          },
        ],
        occurredAt: new Date(1790504100000),
      },
    ],
    [
      'recommended-template-recovered.json',
      {
        dedupKey: '7716548234055549999',
        title: '[P2] [Recovered on {host:web-1}] High CPU on web tier',
        description: 'CPU usage is back under 90% on web-1.\n\n@webhook-klaxon',
        severity: 'error',
        status: 'resolved',
        source: 'web-1',
        labels: recommendedLabels,
        links: [
          { href: 'https://app.datadoghq.com/event/jump_to?event_id=7716548234099876543', text: 'Datadog event' },
        ],
        occurredAt: new Date(1790507700000),
      },
    ],
    [
      'default-template-triggered.json',
      {
        dedupKey: stableHash('datadog', '352347', 'High tracking'),
        title: '[Triggered] High tracking',
        description: defaultBody,
        severity: 'warning',
        status: 'firing',
        source: null,
        labels: {},
        links: [],
        occurredAt: new Date(1759343824000),
      },
    ],
    [
      'inres-default-plus-custom-triggered.json',
      {
        dedupKey: '06ade3da0286048d242ea8e46f521c93',
        title: '[Triggered] High tracking',
        description: defaultBody,
        severity: 'critical',
        status: 'firing',
        source: null,
        labels: {},
        links: [],
        occurredAt: new Date(1759343824000),
      },
    ],
  ])('%s normalizes to the expected alert', (file, expected) => {
    expect(normalize(loadFixture('datadog', file))).toEqual([expected]);
  });

  it('Triggered → Recovered of the recommended template keeps the dedup key ($ALERT_CYCLE_KEY)', () => {
    const [firing] = normalize(loadFixture('datadog', 'recommended-template-triggered.json'));
    const [resolved] = normalize(loadFixture('datadog', 'recommended-template-recovered.json'));
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect([firing?.status, resolved?.status]).toEqual(['firing', 'resolved']);
  });

  it('Triggered → Recovered with the default template (no alert keys) keeps the title-based key', () => {
    const triggered = loadFixture('datadog', 'default-template-triggered.json') as Record<string, unknown>;
    const [firing] = normalize(triggered);
    const [resolved] = normalize({ ...triggered, title: '[Recovered] High tracking', id: '8306082202796099999' });
    expect(resolved?.dedupKey).toBe(firing?.dedupKey);
    expect(resolved?.status).toBe('resolved');
  });

  it('dedup key order: alert_cycle_key, then aggregate, then alert_id; unexpanded $VARS count as absent', () => {
    const base = { title: 'x' };
    expect(normalize({ ...base, alert_cycle_key: 'c', aggregate: 'a', alert_id: '1' })[0]?.dedupKey).toBe('c');
    expect(normalize({ ...base, alert_cycle_key: '$ALERT_CYCLE_KEY', aggregate: 'a', alert_id: 1 })[0]?.dedupKey).toBe(
      'a',
    );
    expect(normalize({ ...base, alert_cycle_key: '', aggregate: '', alert_id: 1234 })[0]?.dedupKey).toBe('1234');
  });

  it.each([
    ['Triggered', 'firing'],
    ['Re-Triggered', 'firing'],
    ['Warn', 'firing'],
    ['Re-Warn', 'firing'],
    ['No Data', 'firing'],
    ['Re-No Data', 'firing'],
    ['Renotify', 'firing'],
    ['Re-Notify', 'firing'],
    ['Recovered', 'resolved'],
    ['recovered', 'resolved'],
    ['$ALERT_TRANSITION', 'firing'],
  ])('$ALERT_TRANSITION %s → %s', (transition, status) => {
    expect(normalize({ title: 'x', alert_transition: transition })[0]?.status).toBe(status);
  });

  it.each([
    ['[Triggered] CPU', 'Triggered'],
    ['[P1] [Re-Triggered on {host:a}] CPU', 'Re-Triggered'],
    ['[Recovered on {host:a}] CPU', 'Recovered'],
    ['[No Data] CPU', 'No Data'],
    ['CPU [prod]', null],
  ])('transition from the title %s → %s', (title, transition) => {
    expect(transitionFromTitle(title)).toBe(transition);
  });

  it('the bare title keeps the scope but drops priority and transition', () => {
    expect(bareTitle('[P1] [Triggered on {host:a}] CPU')).toBe('[{host:a}] CPU');
    expect(bareTitle('[Recovered on {host:a}] CPU')).toBe('[{host:a}] CPU');
  });

  it.each([
    [{ alert_priority: 'P1' }, 'critical'],
    [{ alert_priority: 'P2' }, 'error'],
    [{ alert_priority: 'P3' }, 'warning'],
    [{ alert_priority: 'P4' }, 'info'],
    [{ alert_priority: 'P5' }, 'info'],
    [{ alert_priority: 'P4', alert_type: 'error' }, 'info'],
    [{ alert_type: 'error' }, 'error'],
    [{ alert_type: 'warning' }, 'warning'],
    [{ alert_type: 'info' }, 'info'],
    [{ alert_type: 'success' }, 'info'],
    [{ priority: 'low' }, 'info'],
    [{ priority: 'normal' }, 'warning'],
    [{ alert_priority: '$ALERT_PRIORITY' }, 'warning'],
    [{}, 'warning'],
    [{ title: '[P1] [Triggered] x' }, 'critical'],
  ])('severity of %j → %s', (fields, severity) => {
    expect(normalize({ title: 'x', ...fields })[0]?.severity).toBe(severity);
  });

  it('$TAGS: key:value → label, bare tag → "", value keeps later colons, blanks skipped', () => {
    expect(parseDatadogTags('env:prod, monitor ,, url:http://x:80, role:')).toEqual({
      env: 'prod',
      monitor: '',
      url: 'http://x:80',
      role: '',
    });
  });

  it('$DATE in seconds is accepted too', () => {
    expect(normalize({ title: 'x', date: 1790504100 })[0]?.occurredAt).toEqual(new Date(1790504100000));
  });

  it.each<[string, unknown, string[]]>([
    ['title missing', { body: 'x', date: '1' }, ['title']],
    ['title of the wrong type', { title: 12 }, ['title']],
    ['tags as an array', { title: 'x', tags: ['env:prod'] }, ['tags']],
    ['org not an object', { title: 'x', org: 'acme' }, ['org']],
    ['alert_cycle_key an object', { title: 'x', alert_cycle_key: { a: 1 } }, ['alert_cycle_key']],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });
});
