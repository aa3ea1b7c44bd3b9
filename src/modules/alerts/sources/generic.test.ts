import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { genericNormalizer } from './generic.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';
import { stableHash } from './stable-hash.js';

const normalize = (payload: unknown) => genericNormalizer.normalize(payload);
const backupKey = stableHash('Nightly backup failed', 'backup-cron@db-1', { env: 'prod', service: 'postgres' });

describe('generic normalizer', () => {
  it.each<[string, NormalizedAlert]>([
    [
      'firing.json',
      {
        dedupKey: backupKey,
        title: 'Nightly backup failed',
        description: 'pg_dump exited with status 1 on db-1',
        severity: 'error',
        status: 'firing',
        source: 'backup-cron@db-1',
        labels: { service: 'postgres', env: 'prod' },
        links: [{ href: 'https://ci.example.com/jobs/4211', text: 'Job log' }],
        occurredAt: new Date('2026-03-01T01:00:05.000Z'),
      },
    ],
    [
      'resolved.json',
      {
        dedupKey: backupKey,
        title: 'Nightly backup failed',
        description: null,
        severity: 'warning',
        status: 'resolved',
        source: 'backup-cron@db-1',
        labels: { env: 'prod', service: 'postgres' },
        links: [],
        occurredAt: new Date('2026-03-01T03:10:00.000Z'),
      },
    ],
    [
      'minimal.json',
      {
        dedupKey: stableHash('Something happened', null, {}),
        title: 'Something happened',
        description: null,
        severity: 'warning',
        status: 'firing',
        source: null,
        labels: {},
        links: [],
        occurredAt: null,
      },
    ],
  ])('%s normalizes to the expected alert', (file, expected) => {
    expect(normalize(loadFixture('generic', file))).toEqual([expected]);
  });

  it('firing then resolved (labels in another order) share the fallback dedup key', () => {
    const [firing] = normalize(loadFixture('generic', 'firing.json'));
    const [resolved] = normalize(loadFixture('generic', 'resolved.json'));
    expect(firing?.dedupKey).toBe(resolved?.dedupKey);
    expect([firing?.status, resolved?.status]).toEqual(['firing', 'resolved']);
  });

  it('uses the given dedupKey, and another title gives another fallback key', () => {
    expect(normalize({ title: 'x', dedupKey: 'db-backup' })[0]?.dedupKey).toBe('db-backup');
    expect(normalize({ title: 'x' })[0]?.dedupKey).not.toBe(normalize({ title: 'y' })[0]?.dedupKey);
    expect(normalize({ title: 'x', source: 'a' })[0]?.dedupKey).not.toBe(normalize({ title: 'x' })[0]?.dedupKey);
  });

  it.each(['critical', 'error', 'warning', 'info'] as const)('keeps severity %s', (severity) => {
    expect(normalize({ title: 'x', severity })[0]?.severity).toBe(severity);
  });

  it.each<[string, unknown, string[]]>([
    ['missing title', { description: 'x' }, ['title']],
    ['empty title', { title: '  ' }, ['title']],
    ['title over 500 chars', { title: 'x'.repeat(501) }, ['title']],
    ['title of the wrong type', { title: 42 }, ['title']],
    ['unknown severity', { title: 'x', severity: 'page' }, ['severity']],
    ['unknown status', { title: 'x', status: 'acknowledged' }, ['status']],
    ['labels not strings', { title: 'x', labels: { a: 1 } }, ['labels.a']],
    ['labels an array', { title: 'x', labels: ['a'] }, ['labels']],
    ['link without href', { title: 'x', links: [{ text: 'no href' }] }, ['links.0.href']],
    ['link not http(s)', { title: 'x', links: [{ href: 'javascript:alert(1)' }] }, ['links.0.href']],
    ['occurredAt without offset', { title: 'x', occurredAt: '2026-03-01T02:00:05' }, ['occurredAt']],
    ['occurredAt not a date', { title: 'x', occurredAt: 'yesterday' }, ['occurredAt']],
    ['an unknown field (strict)', { title: 'x', priority: 'P1' }, ['']],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });
});
