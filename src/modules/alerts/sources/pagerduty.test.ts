import { describe, expect, it } from 'vitest';
import type { NormalizedAlert } from '../normalized-alert.js';
import { loadFixture, zodIssuePaths } from './load-fixture.js';
import { pagerdutyNormalizer } from './pagerduty.js';

const normalize = (payload: unknown) => pagerdutyNormalizer.normalize(payload);

function pig208(
  id: string,
  title: string,
  number: number,
  status: NormalizedAlert['status'],
  occurredAt: string,
): NormalizedAlert {
  return {
    dedupKey: id,
    title,
    description: null,
    severity: 'critical',
    status,
    source: 'pig208',
    labels: { urgency: 'high', service: 'pig208', escalation_policy: 'Default', incident_number: String(number) },
    links: [
      { href: `https://pig208.pagerduty.com/incidents/${id}`, text: 'PagerDuty incident' },
      { href: 'https://pig208.pagerduty.com/services/PA2P440', text: 'PagerDuty service' },
    ],
    occurredAt: new Date(occurredAt),
  };
}

describe('pagerduty normalizer', () => {
  it.each<[string, NormalizedAlert[]]>([
    ['zulip-incident-triggered.json', [pig208('PFQZPSY', 'Test Incident 3', 9, 'firing', '2021-06-04T13:35:29.781Z')]],
    [
      'zulip-incident-acknowledged.json',
      [pig208('PQ1K5C8', 'Test Incident', 10, 'acknowledged', '2021-06-04T13:55:30.394Z')],
    ],
    ['zulip-incident-resolved.json', [pig208('PCPZE64', 'Test Incident', 6, 'resolved', '2021-06-04T13:16:53.816Z')]],
    [
      'docs-incident-priority-updated.json',
      [
        {
          dedupKey: 'PGR0VU2',
          title: 'A little bump in the road',
          description: null,
          severity: 'critical',
          status: 'firing',
          source: 'API Service',
          labels: {
            urgency: 'high',
            priority: 'P1',
            service: 'API Service',
            escalation_policy: 'Default',
            incident_number: '2',
            incident_key: 'd3640fbd41094207a1c11e58e46b1662',
          },
          links: [
            { href: 'https://acme.pagerduty.com/incidents/PGR0VU2', text: 'PagerDuty incident' },
            { href: 'https://acme.pagerduty.com/services/PF9KMXH', text: 'PagerDuty service' },
          ],
          occurredAt: new Date('2020-10-02T18:45:22.169Z'),
        },
      ],
    ],
    ['zulip-incident-annotated.json', []],
    ['docs-service-updated.json', []],
  ])('%s normalizes to the expected alerts', (file, alerts) => {
    expect(normalize(loadFixture('pagerduty', file))).toEqual(alerts);
  });

  it('triggered → acknowledged → resolved of one incident keeps the incident id as dedup key', () => {
    const triggered = loadFixture('pagerduty', 'zulip-incident-triggered.json') as {
      event: { data: Record<string, unknown> } & Record<string, unknown>;
    };
    const as = (eventType: string, status: string) =>
      normalize({ event: { ...triggered.event, event_type: eventType, data: { ...triggered.event.data, status } } })[0];
    const cycle = [
      as('incident.triggered', 'triggered'),
      as('incident.acknowledged', 'acknowledged'),
      as('incident.resolved', 'resolved'),
    ];
    expect(cycle.map((a) => a?.dedupKey)).toEqual(['PFQZPSY', 'PFQZPSY', 'PFQZPSY']);
    expect(cycle.map((a) => a?.status)).toEqual(['firing', 'acknowledged', 'resolved']);
  });

  it.each([
    ['incident.triggered', 'triggered', 'firing'],
    ['incident.reopened', 'triggered', 'firing'],
    ['incident.unacknowledged', 'triggered', 'firing'],
    ['incident.acknowledged', 'acknowledged', 'acknowledged'],
    ['incident.resolved', 'resolved', 'resolved'],
    ['incident.escalated', 'triggered', 'firing'],
    ['incident.escalated', 'acknowledged', 'acknowledged'],
    ['incident.priority_updated', 'resolved', 'resolved'],
    ['incident.delegated', 'triggered', 'firing'],
  ])('%s with incident status %s → %s', (eventType, incidentStatus, status) => {
    const payload = { event: { event_type: eventType, data: { id: 'P1', type: 'incident', status: incidentStatus } } };
    expect(normalize(payload)[0]?.status).toBe(status);
  });

  it.each([
    ['incident.annotated', { type: 'incident_note', incident: { id: 'P1' } }],
    ['incident.responder.added', { type: 'incident_responder' }],
    ['incident.status_update_published', { type: 'incident_status_update' }],
    ['service.created', { type: 'service', id: 'S1' }],
    ['pagey.ping', {}],
  ])('%s gives no alerts', (eventType, data) => {
    expect(normalize({ event: { id: 'e', event_type: eventType, data } })).toEqual([]);
  });

  it.each([
    [{ summary: 'P1' }, 'high', 'critical'],
    [{ summary: 'P2' }, 'high', 'error'],
    [{ summary: 'P3' }, 'high', 'warning'],
    [{ summary: 'P4' }, 'high', 'info'],
    [{ summary: 'P5' }, 'low', 'info'],
    [{ summary: 'SEV-custom' }, 'high', 'critical'],
    [null, 'high', 'critical'],
    [null, 'low', 'warning'],
  ])('priority %j with urgency %s → %s', (priority, urgency, severity) => {
    const payload = {
      event: { event_type: 'incident.triggered', data: { id: 'P1', type: 'incident', priority, urgency } },
    };
    expect(normalize(payload)[0]?.severity).toBe(severity);
  });

  it.each<[string, unknown, string[]]>([
    ['event missing', { data: {} }, ['event']],
    ['event_type missing', { event: { data: {} } }, ['event.event_type']],
    ['data missing', { event: { event_type: 'incident.triggered' } }, ['event.data']],
    ['data not an object', { event: { event_type: 'incident.triggered', data: 'x' } }, ['event.data']],
    [
      'incident id missing',
      { event: { event_type: 'incident.triggered', data: { type: 'incident' } } },
      ['event.data.id'],
    ],
    [
      'incident title of the wrong type',
      { event: { event_type: 'incident.resolved', data: { id: 'P', type: 'incident', title: 5 } } },
      ['event.data.title'],
    ],
    [
      'occurred_at not a timestamp',
      { event: { event_type: 'x', occurred_at: 'now', data: {} } },
      ['event.occurred_at'],
    ],
  ])('rejects %s with a ZodError naming the field', (_name, payload, paths) => {
    expect(zodIssuePaths(() => normalize(payload))).toEqual(paths);
  });
});
