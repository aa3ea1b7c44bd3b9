import { and, asc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../src/db/client.js';
import { notificationAttempts, notifications } from '../src/db/schema/index.js';
import { createServices, type Services } from '../src/services.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { waitFor } from './helpers/paging.js';
import { freePort } from './helpers/ports.js';
import { FAKE_SLACK, startFakeSlack } from './helpers/slack-fake.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * A level's `team_channel` target is a durable notification: recorded with the step, sent by the
 * notification sender, retried with the channels' backoff when Slack fails, and sent by the next
 * process when the one that ran the step died before posting.
 */
const CHANNEL = 'C0OPS00001';

let slack: Awaited<ReturnType<typeof startFakeSlack>>;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack?.close());

const slackOptions = (apiUrl: string) => ({
  botToken: FAKE_SLACK.botToken,
  signingSecret: FAKE_SLACK.signingSecret,
  apiUrl,
});
const incidentsOptions = (apiUrl: string) => ({
  minuteMs: 60_000,
  pollingIntervalSeconds: 0.5,
  reconcileIntervalMs: 1_000,
  notificationRetryDelaySeconds: 1,
  slack: slackOptions(apiUrl),
});

/** A team whose default policy posts to its Slack channel, and a generic integration routed to it. */
async function teamPostingToItsChannel(t: TestApp, name: string) {
  const admin = await t.createAdmin();
  const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
  const team = (await as('POST', '/api/teams', { name })).json().id as string;
  expect((await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: CHANNEL })).statusCode).toBe(200);
  await as('POST', '/api/routing-rules', { name, teamId: team });
  const policy = await as('POST', '/api/escalation-policies', {
    teamId: team,
    name,
    isDefault: true,
    levels: [{ delayMinutes: 30, targets: [{ type: 'team_channel', id: team }] }],
  });
  expect(policy.statusCode, policy.body).toBe(201);
  const integration = await createIntegration(t, admin.apiKey, { name, type: 'generic' });
  const fire = async (title: string) => {
    const sent = await sendSigned(t, integration, { title, dedupKey: title, severity: 'critical' });
    expect(sent.statusCode, sent.body).toBe(202);
    const incidents = (await as('GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
    const incident = incidents.find((i) => i.title === title);
    if (incident === undefined) throw new Error(`no incident for ${title}`);
    return incident.id;
  };
  const timeline = async (incidentId: string) =>
    ((await as('GET', `/api/incidents/${incidentId}`)).json().timeline as Array<{ kind: string; message: string }>).map(
      (entry) => `${entry.kind}: ${entry.message}`,
    );
  return { fire, timeline };
}

const postsAbout = (title: string) => slack.messages.filter((m) => m.channel === CHANNEL && m.text.includes(title));

/** The team channel notification of an incident, with its attempts, as stored. */
async function channelNotification(db: Database, incidentId: string) {
  const rows = await db
    .select()
    .from(notifications)
    .where(and(eq(notifications.incidentId, incidentId), eq(notifications.contactMethodType, 'team_channel')));
  const attempts =
    rows.length === 0
      ? []
      : await db
          .select()
          .from(notificationAttempts)
          .where(
            inArray(
              notificationAttempts.notificationId,
              rows.map((row) => row.id),
            ),
          )
          .orderBy(asc(notificationAttempts.attempt));
  return { rows, attempts: attempts.map((a) => `${a.attempt}: ${a.outcome} ${a.detail ?? ''}`.trim()) };
}

describe(`team channel posts are durable (${testDatabaseKind()})`, () => {
  it('Slack failing once (HTTP 500, then rate limited) is retried with backoff: the post arrives', async () => {
    const t = await createTestApp({ incidents: incidentsOptions(slack.apiUrl) });
    try {
      await t.services.escalationEngine.start();
      const { fire, timeline } = await teamPostingToItsChannel(t, 'ops');

      slack.failNext();
      const down = await fire('Queue backlog growing');
      await waitFor(() => postsAbout('Queue backlog growing')[0], 20_000, 'the post after a 500');
      // The attempt is recorded once Slack has answered.
      const afterDown = await waitFor(async () => {
        const found = await channelNotification(t.database.db, down);
        return found.rows[0]?.status === 'sent' ? found : undefined;
      });
      expect(afterDown.rows).toHaveLength(1);
      expect(afterDown.attempts).toEqual([
        '1: transient_failure Slack: http_5xx',
        expect.stringMatching(/^2: sent ts /),
      ]);
      await waitFor(async () =>
        (await timeline(down)).includes("notification_sent: Posted to the team's chat channel"),
      );

      slack.rateLimitNext(1);
      const limited = await fire('Cache hit ratio low');
      const afterLimit = await waitFor(async () => {
        const found = await channelNotification(t.database.db, limited);
        return found.rows[0]?.status === 'sent' ? found : undefined;
      }, 20_000);
      expect(postsAbout('Cache hit ratio low')).toHaveLength(1);
      expect(afterLimit.attempts).toEqual([
        '1: transient_failure Slack: ratelimited',
        expect.stringMatching(/^2: sent ts /),
      ]);
      // Posted once each, and the step said where it went.
      expect(postsAbout('Queue backlog growing')).toHaveLength(1);
      expect(await timeline(limited)).toContain("escalated: Escalated to level 1: the team's chat channel");
    } finally {
      await t.close();
    }
  });

  it('a process that committed the step and died before posting: the next process posts', async () => {
    // The first process reaches Slack nowhere (a closed port) and never starts its job workers:
    // it commits the step and is gone before any post leaves.
    const deadSlack = `http://127.0.0.1:${await freePort()}/api`;
    const t = await createTestApp({ incidents: incidentsOptions(deadSlack) });
    let restarted: Services | undefined;
    try {
      const { fire, timeline } = await teamPostingToItsChannel(t, 'payments');
      const incidentId = await fire('Checkout errors');
      expect(await t.services.escalationEngine.runStep({ incidentId, level: 0, repetition: 0 })).toBe('ran');
      expect(postsAbout('Checkout errors')).toEqual([]);
      const pending = await channelNotification(t.database.db, incidentId);
      expect(pending.rows.map((row) => row.status)).toEqual(['pending']);

      // The next process on the same database, with Slack reachable, finds it and posts it.
      restarted = createServices({
        database: t.database,
        masterKey: t.masterKey,
        incidents: incidentsOptions(slack.apiUrl),
      });
      await restarted.escalationEngine.start();
      await waitFor(() => postsAbout('Checkout errors')[0], 20_000, 'the post by the next process');
      await waitFor(async () =>
        (await timeline(incidentId)).includes("notification_sent: Posted to the team's chat channel"),
      );
      const sent = await channelNotification(t.database.db, incidentId);
      expect(sent.rows.map((row) => row.status)).toEqual(['sent']);
      expect(sent.attempts).toEqual([expect.stringMatching(/^1: sent ts /)]);
      expect(postsAbout('Checkout errors')).toHaveLength(1);
    } finally {
      await restarted?.escalationEngine.stop();
      await t.close();
    }
  });
});
