import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AlertmanagerProcess, alertmanagerAvailable } from './helpers/alertmanager.js';
import type { TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import type { startFakeTwilio } from './helpers/fake-twilio.js';
import { waitFor } from './helpers/paging.js';
import { alertmanagerForTeam, startPagingApp } from './helpers/paging-app.js';
import { FAKE_SLACK, type SlackPosted, startFakeSlack } from './helpers/slack-fake.js';

/**
 * The Slack app with every part real but Slack and Twilio: a stock Alertmanager sends an alert,
 * the incident is posted to the team's Slack channel and DMed to the linked on-call person, a
 * signed "Acknowledge" press acknowledges it and the message is rewritten in place; an SMS reply
 * rewrites it too. Forged, stale, replayed, unlinked and other-team presses change nothing.
 */
const CHANNEL = 'C0SRE00001';
const ALICE_PHONE = '+14155550101';

let t: TestApp;
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
let twilio: Awaited<ReturnType<typeof startFakeTwilio>>;
let alertmanager: AlertmanagerProcess | undefined;
let klaxonUrl = '';

beforeAll(async () => {
  slack = await startFakeSlack({
    users: { 'alice@example.com': 'U0ALICE001', 'carol@example.com': 'U0CAROL001' },
  });
  ({ t, twilio, klaxonUrl } = await startPagingApp({
    allowedCountries: ['1'],
    slack: { botToken: FAKE_SLACK.botToken, signingSecret: FAKE_SLACK.signingSecret, apiUrl: slack.apiUrl },
  }));
});

afterAll(async () => {
  await alertmanager?.stop();
  await t?.close();
  await slack?.close();
  await twilio?.close();
});

/** The action ids of the buttons a message shows now. */
const buttonsOf = (message: SlackPosted | undefined) =>
  (message?.blocks ?? [])
    .flatMap((block) => (block as { elements?: Array<{ action_id?: string }> }).elements ?? [])
    .map((element) => element.action_id)
    .filter((id) => id !== undefined);
const ephemerals = () => slack.calls.filter((call) => call.method === 'chat.postEphemeral');

describe(`the Slack app (${testDatabaseKind()})`, () => {
  let admin: { userId: string; apiKey: string };
  let alice: { userId: string; apiKey: string };
  let carol: { userId: string; apiKey: string };
  let team = '';
  const as = (method: string, url: string, body?: unknown, key = admin.apiKey) => t.request({ method, url, key, body });

  it("links people by email, and lets the team's managers set its channel", async () => {
    admin = await t.createAdmin();
    alice = await t.createUser(admin.apiKey, 'alice@example.com');
    carol = await t.createUser(admin.apiKey, 'carol@example.com');
    const dave = await t.createUser(admin.apiKey, 'dave@example.com');
    team = (await as('POST', '/api/teams', { name: 'sre' })).json().id;
    const other = (await as('POST', '/api/teams', { name: 'web' })).json().id;
    await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
    await as('POST', `/api/teams/${other}/members`, { userId: carol.userId });

    expect((await as('GET', '/api/slack/link', undefined, alice.apiKey)).json()).toEqual({
      configured: true,
      linked: false,
      slackUserId: null,
    });
    const linked = await as('POST', '/api/slack/link', undefined, alice.apiKey);
    expect(linked.statusCode, linked.body).toBe(200);
    expect(linked.json()).toEqual({ configured: true, linked: true, slackUserId: 'U0ALICE001' });
    expect((await as('POST', '/api/slack/link', undefined, carol.apiKey)).statusCode).toBe(200);
    const nobody = await as('POST', '/api/slack/link', undefined, dave.apiKey);
    expect(nobody.statusCode).toBe(404);
    expect(nobody.json().type).toMatch(/slack-user-not-found$/);
    const lookup = slack.calls.find((call) => call.method === 'users.lookupByEmail');
    expect(lookup?.body).toEqual({ email: 'alice@example.com' });

    // Linking added a `slack` contact method that DMs the account.
    const methods = (await as('GET', '/api/contact-methods', undefined, alice.apiKey)).json().contactMethods;
    expect(methods).toEqual([expect.objectContaining({ type: 'slack', address: 'U0ALICE001' })]);
    // Linking again keeps that contact method and the notification rules that use it.
    const rule = await as(
      'POST',
      '/api/notification-rules',
      { contactMethodId: methods[0].id, delayMinutes: 0 },
      alice.apiKey,
    );
    expect(rule.statusCode, rule.body).toBe(201);
    expect((await as('POST', '/api/slack/link', undefined, alice.apiKey)).statusCode).toBe(200);
    const relinked = (await as('GET', '/api/contact-methods', undefined, alice.apiKey)).json().contactMethods;
    expect(relinked.map((method: { id: string }) => method.id)).toEqual([methods[0].id]);
    const rules = (await as('GET', '/api/notification-rules', undefined, alice.apiKey)).json().rules;
    expect(rules.map((row: { id: string }) => row.id)).toContain(rule.json().id);
    // Without rules every contact method is used at once, as the tests below expect.
    const removed = await as('DELETE', `/api/notification-rules/${rule.json().id}`, undefined, alice.apiKey);
    expect(removed.statusCode).toBe(204);

    // Members may read the team's channel but not set it; other teams do not see it.
    expect((await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: CHANNEL }, alice.apiKey)).statusCode).toBe(
      403,
    );
    expect((await as('GET', `/api/teams/${team}/slack-channel`, undefined, carol.apiKey)).statusCode).toBe(404);
    expect((await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: '#general' })).statusCode).toBe(400);
    const set = await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: CHANNEL });
    expect(set.statusCode, set.body).toBe(200);
    expect((await as('GET', `/api/teams/${team}/slack-channel`, undefined, alice.apiKey)).json()).toEqual({
      configured: true,
      channelId: CHANNEL,
    });
  });

  it('refuses an escalation policy that posts to another team’s channel', async () => {
    const other = (await as('GET', '/api/teams')).json().teams.find((x: { name: string }) => x.name === 'web').id;
    const refused = await as('POST', '/api/escalation-policies', {
      teamId: team,
      name: 'foreign',
      levels: [{ delayMinutes: 5, targets: [{ type: 'team_channel', id: other }] }],
    });
    expect(refused.statusCode).toBe(400);
  });

  it.runIf(alertmanagerAvailable)(
    'an Alertmanager alert is posted to the channel and DMed; a signed Acknowledge acknowledges and updates in place',
    async () => {
      const policy = await as('POST', '/api/escalation-policies', {
        teamId: team,
        name: 'sre default',
        isDefault: true,
        levels: [
          {
            delayMinutes: 30,
            targets: [
              { type: 'team_channel', id: team },
              { type: 'user', id: alice.userId },
            ],
          },
          { delayMinutes: 30, targets: [{ type: 'user', id: alice.userId }] },
        ],
      });
      expect(policy.statusCode, policy.body).toBe(201);
      alertmanager = await alertmanagerForTeam(t, admin.apiKey, klaxonUrl, { id: team, name: 'sre' }, ['alertname']);
      const posted = await alertmanager.postAlerts([
        {
          labels: { alertname: 'ApiDown', team: 'sre', severity: 'critical' },
          annotations: { summary: 'API <!channel> down' },
        },
      ]);
      expect(posted.ok).toBe(true);

      const inChannel = await waitFor(() => slack.messages.find((m) => m.channel === CHANNEL), 20_000, 'channel post');
      const dm = await waitFor(() => slack.messages.find((m) => m.channel === 'D0ALICE001'), 20_000, 'the DM');
      const incident = (await as('GET', '/api/incidents')).json().incidents[0] as { id: string; number: number };
      expect(inChannel.text).toContain(`#${incident.number}`);
      // Alert text cannot mention the channel.
      expect(JSON.stringify(inChannel.blocks)).not.toContain('<!channel>');
      expect(buttonsOf(inChannel)).toEqual(['klaxon_acknowledge', 'klaxon_resolve', 'klaxon_escalate']);
      expect(buttonsOf(dm)).toEqual(['klaxon_acknowledge', 'klaxon_resolve', 'klaxon_escalate']);
      const status = async () => (await as('GET', `/api/incidents/${incident.id}`)).json().status;
      const interactions = `${klaxonUrl}/api/providers/slack/interactions`;
      const ack = (slackUser: string) => slack.interactionForm(slackUser, inChannel, 'klaxon_acknowledge', incident.id);

      // Forged, unsigned and stale requests are 403 and change nothing.
      const forged = await slack.signedPost(interactions, ack('U0ALICE001'), { signature: `v0=${'0'.repeat(64)}` });
      expect(forged.status).toBe(403);
      const unsigned = await fetch(interactions, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(ack('U0ALICE001')).toString(),
      });
      expect(unsigned.status).toBe(403);
      const stale = await slack.signedPost(interactions, ack('U0ALICE001'), {
        timestamp: Math.floor(Date.now() / 1000) - 6 * 60,
      });
      expect(stale.status).toBe(403);
      expect(await status()).toBe('triggered');

      // An unlinked Slack user is told how to link; another team's member cannot act.
      expect((await slack.signedPost(interactions, ack('U0NOBODY01'))).status).toBe(200);
      expect(ephemerals().at(-1)?.body).toMatchObject({ user: 'U0NOBODY01', channel: CHANNEL });
      expect(String(ephemerals().at(-1)?.body.text)).toContain('Link Slack');
      expect((await slack.signedPost(interactions, ack('U0CAROL001'))).status).toBe(200);
      expect(ephemerals().at(-1)?.body).toMatchObject({ user: 'U0CAROL001' });
      expect(await status()).toBe('triggered');

      // Alice escalates to level 2 now: audited in the step's transaction, as her action.
      const escalate = slack.interactionForm('U0ALICE001', inChannel, 'klaxon_escalate', incident.id);
      expect((await slack.signedPost(interactions, escalate)).status).toBe(200);
      expect(String(ephemerals().at(-1)?.body.text)).toContain('Escalated to the next level');
      const audit = (await as('GET', '/api/audit-logs?action=incident.escalated')).json().entries;
      expect(audit).toEqual([
        expect.objectContaining({
          userId: alice.userId,
          resourceId: incident.id,
          metadata: expect.objectContaining({ how: 'from Slack' }),
        }),
      ]);
      expect((await as('GET', `/api/incidents/${incident.id}`)).json().escalationLevel).toBeNull();
      const dms = () => slack.messages.filter((m) => m.channel === 'D0ALICE001');
      await waitFor(() => dms().length === 2, 10_000, 'the level 2 DM');

      // Alice acknowledges: the incident is hers, and both messages are rewritten in place.
      const form = ack('U0ALICE001');
      const timestamp = Math.floor(Date.now() / 1000);
      const pressed = await slack.signedPost(interactions, form, { timestamp });
      expect(pressed.status).toBe(200);
      expect((await as('GET', `/api/incidents/${incident.id}`)).json()).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: alice.userId,
      });
      await waitFor(() => buttonsOf(inChannel).join() === 'klaxon_resolve', 10_000, 'the channel message update');
      await waitFor(() => dms().every((m) => buttonsOf(m).join() === 'klaxon_resolve'), 10_000, 'the DM updates');
      expect(inChannel.text).toContain('(acknowledged)');
      const updates = slack.calls.filter((call) => call.method === 'chat.update');
      expect(updates.map((call) => call.body.ts)).toEqual(expect.arrayContaining([inChannel.ts, dm.ts]));

      // The same request again (a replay inside the 5 minutes) is not handled a second time.
      const before = slack.calls.length;
      expect((await slack.signedPost(interactions, form, { timestamp })).status).toBe(200);
      expect(slack.calls.length).toBe(before);
      // A fresh press of Acknowledge is answered, and changes nothing more.
      expect((await slack.signedPost(interactions, ack('U0ALICE001'))).status).toBe(200);
      expect(String(ephemerals().at(-1)?.body.text)).toContain('already acknowledged');

      // Resolve from the DM: the incident is resolved and the buttons are gone.
      const resolve = slack.interactionForm('U0ALICE001', dm, 'klaxon_resolve', incident.id);
      expect((await slack.signedPost(interactions, resolve)).status).toBe(200);
      expect(await status()).toBe('resolved');
      await waitFor(() => buttonsOf(inChannel).length === 0, 10_000, 'the resolved message');
    },
    90_000,
  );

  it.runIf(alertmanagerAvailable)(
    'an SMS reply "ack" rewrites the Slack message, through a rate limit',
    async () => {
      const sms = await as('POST', '/api/contact-methods', { type: 'sms', address: ALICE_PHONE }, alice.apiKey);
      expect(sms.statusCode, sms.body).toBe(201);
      const code = /code is (\d{6})/.exec(twilio.resources.at(-1)?.body ?? '')?.[1] ?? '';
      const verified = await as('POST', `/api/contact-methods/${sms.json().id}/verify`, { code }, alice.apiKey);
      expect(verified.statusCode, verified.body).toBe(200);

      const count = slack.messages.length;
      await alertmanager?.postAlerts([
        { labels: { alertname: 'DiskFull', team: 'sre', severity: 'warning' }, annotations: { summary: 'Disk full' } },
      ]);
      const page = await waitFor(
        () => twilio.resources.find((r) => r.kind === 'sms' && r.body.includes('Disk full')),
        60_000,
        'the SMS page',
      );
      const inChannel = await waitFor(
        () => slack.messages.slice(count).find((m) => m.channel === CHANNEL),
        60_000,
        'the channel post',
      );
      expect(page.to).toBe(ALICE_PHONE);

      // Slack rate limits the next call: the update waits for Retry-After and still lands.
      slack.rateLimitNext(1);
      const acked = await twilio.reply(klaxonUrl, ALICE_PHONE, 'ack');
      expect(acked.status).toBe(200);
      expect(await acked.text()).toContain('Acknowledged');
      await waitFor(() => inChannel.text.includes('(acknowledged)'), 15_000, 'the update after the SMS reply');
      expect(buttonsOf(inChannel)).toEqual(['klaxon_resolve']);
    },
    90_000,
  );

  it('answers /klaxon oncall [team] with who is on call, for linked people of the team only', async () => {
    const schedule = await as('POST', '/api/schedules', { teamId: team, name: 'primary', timeZone: 'UTC' });
    expect(schedule.statusCode, schedule.body).toBe(201);
    const layer = await as('POST', `/api/schedules/${schedule.json().id}/layers`, {
      name: 'all week',
      startsAt: '2025-01-06T00:00:00Z',
      turnUnit: 'days',
      turnLength: 7,
      participantIds: [alice.userId],
    });
    expect(layer.statusCode, layer.body).toBe(201);
    const commands = `${klaxonUrl}/api/providers/slack/commands`;
    const command = (user: string, text: string) => ({
      token: 'verification-token-not-used',
      team_id: 'T0FAKE',
      channel_id: CHANNEL,
      user_id: user,
      command: '/klaxon',
      text,
      response_url: 'https://hooks.slack.com/commands/T0FAKE/1/abc',
      trigger_id: '13345224609.738474920.8088930838d88f008e0',
    });
    const answer = await slack.signedPost(commands, command('U0ALICE001', 'oncall sre'));
    expect(answer.status).toBe(200);
    const body = await answer.json();
    expect(body.response_type).toBe('ephemeral');
    expect(body.text).toContain('primary');
    expect(body.text).toContain('alice');
    const stranger = await (await slack.signedPost(commands, command('U0CAROL001', 'oncall sre'))).json();
    expect(stranger.text).toContain('No team named');
    const unlinked = await (await slack.signedPost(commands, command('U0NOBODY01', 'oncall'))).json();
    expect(unlinked.text).toContain('Link Slack');
    const forged = await slack.signedPost(commands, command('U0ALICE001', 'oncall'), { signature: 'v0=00' });
    expect(forged.status).toBe(403);
  });

  it.runIf(alertmanagerAvailable)(
    'paging health flags a level that posts to a channel the team no longer has',
    async () => {
      const before = (await as('GET', '/api/paging-health')).json().problems;
      expect(before.filter((p: { kind: string }) => p.kind === 'channel-not-configured')).toEqual([]);
      expect((await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: null })).statusCode).toBe(200);
      const after = (await as('GET', '/api/paging-health')).json().problems;
      expect(after).toContainEqual(
        expect.objectContaining({ kind: 'channel-not-configured', teamId: team, fixAt: `/teams/${team}` }),
      );
    },
  );

  it('unlinks, removing the DM contact method', async () => {
    expect((await as('DELETE', '/api/slack/link', undefined, alice.apiKey)).statusCode).toBe(204);
    expect((await as('GET', '/api/slack/link', undefined, alice.apiKey)).json().linked).toBe(false);
    const methods = (await as('GET', '/api/contact-methods', undefined, alice.apiKey)).json().contactMethods;
    expect(methods.filter((m: { type: string }) => m.type === 'slack')).toEqual([]);
  });
});
