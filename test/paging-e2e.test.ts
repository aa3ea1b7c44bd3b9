import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JOB_SCHEMA } from '../src/modules/escalation/due-job-worker.js';
import { STEP_QUEUE, stepJobId } from '../src/modules/escalation/escalation-jobs.js';
import { type AlertmanagerProcess, alertmanagerAvailable, startAlertmanager } from './helpers/alertmanager.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { linksIn, mailText, startSmtpServer, waitFor } from './helpers/paging.js';
import { alertmanagerConfig } from './helpers/paging-app.js';
import { reservePort } from './helpers/ports.js';
import { createIntegration } from './helpers/webhooks.js';

/**
 * The "done when", with every part real: a stock Prometheus Alertmanager sends an alert
 * to Klaxon's webhook; the team's schedule says Alice is on call; its two-level policy emails
 * her (a real SMTP server on loopback), then Bob when nobody acknowledges; the acknowledge link
 * in Bob's email, fetched as a browser would, acknowledges the incident and the paging stops.
 * A policy "minute" lasts MINUTE_MS here.
 */
const MINUTE_MS = 1_500;

let t: TestApp;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let alertmanager: AlertmanagerProcess | undefined;
let klaxonUrl = '';

beforeAll(async () => {
  smtp = await startSmtpServer();
  const { port, release } = await reservePort();
  klaxonUrl = `http://127.0.0.1:${port}`;
  t = await createTestApp({
    incidents: {
      smtpUrl: smtp.url,
      publicUrl: klaxonUrl,
      minuteMs: MINUTE_MS,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
    },
  });
  await release();
  await t.app.listen({ port, host: '127.0.0.1' });
  await t.services.escalationEngine.start();
});

afterAll(async () => {
  await alertmanager?.stop();
  await t?.close();
  await smtp?.close();
});

describe.runIf(alertmanagerAvailable)(`paging from a real Alertmanager alert (${testDatabaseKind()})`, () => {
  it('pages the on-call person, escalates to level 2 without an acknowledgement, and the email link stops it', async () => {
    const admin = await t.createAdmin();
    const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
    const alice = await t.createUser(admin.apiKey, 'alice@example.com');
    const bob = await t.createUser(admin.apiKey, 'bob@example.com');
    for (const who of [alice, bob]) {
      const method = await t.request({
        method: 'POST',
        url: '/api/contact-methods',
        key: who.apiKey,
        body: { type: 'email', address: who === alice ? 'alice@example.com' : 'bob@example.com' },
      });
      expect(method.statusCode, method.body).toBe(201);
    }

    // The team, its schedule (Alice on call, week-long turns since last week) and routing.
    const team = (await as('POST', '/api/teams', { name: 'sre' })).json().id as string;
    for (const who of [alice, bob]) await as('POST', `/api/teams/${team}/members`, { userId: who.userId });
    const schedule = await as('POST', '/api/schedules', { teamId: team, name: 'primary', timeZone: 'UTC' });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const layer = await as('POST', `/api/schedules/${schedule.json().id}/layers`, {
      name: 'weekly',
      startsAt: new Date(Date.now() - 7 * 86_400_000).toISOString(),
      turnUnit: 'weeks',
      turnLength: 1,
      participantIds: [alice.userId],
    });
    expect(layer.statusCode, layer.body).toBe(201);
    const rule = await as('POST', '/api/routing-rules', {
      name: 'sre',
      teamId: team,
      matchers: [{ field: 'labels.team', op: 'equals', value: 'sre' }],
    });
    expect(rule.statusCode, rule.body).toBe(201);
    // Level 1: whoever is on call; level 2, one "minute" later: Bob; the whole policy twice, its
    // second round an hour of "minutes" (90 s) after Bob, so Bob's acknowledgement comes first
    // however loaded the machine (round 2's page would be right, not a fault, if it came later).
    const policy = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'sre default',
      isDefault: true,
      repeatCount: 1,
      levels: [
        { delayMinutes: 1, targets: [{ type: 'schedule', id: schedule.json().id }] },
        { delayMinutes: 60, targets: [{ type: 'user', id: bob.userId }] },
      ],
    });
    expect(policy.statusCode, policy.body).toBe(201);

    const webhook = await createIntegration(t, admin.apiKey, { name: 'prometheus', type: 'alertmanager' });
    alertmanager = await startAlertmanager(
      alertmanagerConfig(klaxonUrl, webhook.webhookSecret, { groupBy: ['alertname'], sendResolved: true }),
    );
    const posted = await alertmanager.postAlerts([
      {
        labels: { alertname: 'ApiDown', severity: 'critical', team: 'sre', instance: 'api-1' },
        annotations: { summary: 'API is down on api-1' },
      },
    ]);
    expect(posted.ok).toBe(true);

    const incident = await waitFor(
      async () => (await as('GET', '/api/incidents')).json().incidents[0] as { id: string; title: string } | undefined,
      60_000,
      'the incident',
    );
    expect(incident.title).toBe('API is down on api-1');

    const mailsTo = (address: string) => smtp.mails.filter((m) => m.to.includes(address));
    const [toAlice] = await waitFor(() => mailsTo('alice@example.com').length > 0 && mailsTo('alice@example.com'));
    expect(mailText(toAlice?.raw ?? '')).toContain('Escalation level 1, round 1');

    // Nobody acknowledges: after level 1's delay, level 2 pages Bob (after Alice: the timeline
    // below shows it was no sooner than the delay).
    const [toBob] = await waitFor(
      () => mailsTo('bob@example.com').length > 0 && mailsTo('bob@example.com'),
      undefined,
      "Bob's email",
    );
    expect(smtp.mails.indexOf(toBob as (typeof smtp.mails)[number])).toBeGreaterThan(
      smtp.mails.indexOf(toAlice as (typeof smtp.mails)[number]),
    );
    const bobText = mailText(toBob?.raw ?? '');
    expect(bobText).toContain('Escalation level 2, round 1');
    expect(bobText).toContain(`Open in Klaxon: ${klaxonUrl}/incidents/${incident.id}`);
    expect(mailsTo('alice@example.com')).toHaveLength(1);

    // The email says "Acknowledge: <link>": following it shows a confirmation page whose form
    // posts back; the POST acknowledges (as a browser submitting that form does).
    const acknowledgeUrl = linksIn(toBob?.raw ?? '').acknowledge;
    expect(acknowledgeUrl?.startsWith(`${klaxonUrl}/api/incidents/actions/`)).toBe(true);
    const opened = await fetch(acknowledgeUrl as string);
    expect(opened.status).toBe(200);
    expect(await opened.text()).toContain('<form method="post">');
    const clicked = await fetch(acknowledgeUrl as string, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: '',
    });
    expect(clicked.status).toBe(200);
    expect(clicked.headers.get('content-type')).toMatch(/text\/html/);

    const detail = (await as('GET', `/api/incidents/${incident.id}`)).json();
    expect(detail.status).toBe('acknowledged');
    expect(detail.acknowledgedBy).toBe(bob.userId);
    expect(detail.alerts.map((a: { status: string }) => a.status)).toEqual(['acknowledged']);

    // Round 2 would page Alice again after Bob: the acknowledgement cancelled its step, so it
    // can never run, and nothing more was sent.
    const roundTwo = stepJobId({ incidentId: incident.id, level: 0, repetition: 1 });
    const { rows } = await t.database.executeSql(`SELECT state FROM ${JOB_SCHEMA}.job WHERE name = $1 AND id = $2`, [
      STEP_QUEUE,
      roundTwo,
    ]);
    expect(rows).toEqual([{ state: 'cancelled' }]);
    expect(smtp.mails).toHaveLength(2);
    const timeline = (await as('GET', `/api/incidents/${incident.id}`)).json().timeline as Array<{
      kind: string;
      createdAt: string;
    }>;
    const kinds = timeline.map((e) => e.kind);
    const escalations = timeline.filter((e) => e.kind === 'escalated').map((e) => Date.parse(e.createdAt));
    expect(escalations).toHaveLength(2);
    // Level 2 ran no sooner than level 1's delay after level 1.
    expect(Math.abs((escalations[1] ?? 0) - (escalations[0] ?? 0))).toBeGreaterThanOrEqual(MINUTE_MS);
    expect(kinds.filter((k) => k === 'notification_sent')).toHaveLength(2);
    expect(kinds).toContain('acknowledged');
    // A second click on the same link is refused: links work once.
    expect((await fetch(acknowledgeUrl as string, { method: 'POST' })).status).toBe(410);
  });
});
