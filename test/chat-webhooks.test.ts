import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from './helpers/app.js';
import { allowLoopbackReceivers, startReceiver, waitFor } from './helpers/paging.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * Mattermost (incoming webhook + interactive buttons) and Microsoft Teams (Workflows webhook +
 * Adaptive Card) end to end: alert → incident → the posts at a loopback receiver → a Mattermost
 * button press as Mattermost sends it → the incident is acknowledged and the post rewritten.
 */
const HOSTILE_TITLE = '<!channel> @here *db* [login](https://evil.example) down';
let t: TestApp;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let admin: { userId: string; apiKey: string };
let alice: { userId: string; apiKey: string };

beforeAll(async () => {
  receiver = await startReceiver();
  t = await createTestApp({
    incidents: {
      ...allowLoopbackReceivers,
      publicUrl: 'https://klaxon.example.com',
      minuteMs: 300,
      pollingIntervalSeconds: 0.5,
      reconcileIntervalMs: 1_000,
    },
  });
  await t.services.escalationEngine.start();
  admin = await t.createAdmin();
  alice = await t.createUser(admin.apiKey, 'alice@example.com');
  for (const [type, path] of [
    ['mattermost', '/mattermost'],
    ['msteams', '/teams'],
  ] as const) {
    const created = await t.request({
      method: 'POST',
      url: '/api/contact-methods',
      key: alice.apiKey,
      body: { type, address: receiver.url(path) },
    });
    expect(created.statusCode, created.body).toBe(201);
  }
  const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
  const team = (await as('POST', '/api/teams', { name: 'chat' })).json().id as string;
  await as('POST', `/api/teams/${team}/members`, { userId: alice.userId });
  await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
  await as('POST', '/api/escalation-policies', {
    teamId: team,
    name: 'alice',
    isDefault: true,
    levels: [{ delayMinutes: 5, targets: [{ type: 'user', id: alice.userId }] }],
  });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
});

const incidentOf = async (id: string) =>
  (await t.request({ method: 'GET', url: `/api/incidents/${id}`, key: admin.apiKey })).json();

describe('Mattermost and Microsoft Teams', () => {
  it('posts escaped cards; a Mattermost button acknowledges once and rewrites the post; Teams links only confirm', async () => {
    const integration = await createIntegration(t, admin.apiKey, { name: 'chat-source', type: 'generic' });
    const sent = await sendSigned(t, integration, { title: HOSTILE_TITLE, severity: 'critical' });
    expect(sent.statusCode, sent.body).toBe(202);
    const [mattermost] = await waitFor(() => receiver.on('/mattermost').length > 0 && receiver.on('/mattermost'));
    const [teams] = await waitFor(() => receiver.on('/teams').length > 0 && receiver.on('/teams'));
    const incidentId = (await t.request({ method: 'GET', url: '/api/incidents', key: admin.apiKey })).json()
      .incidents[0].id as string;

    // Nothing of the title reaches either chat as markup.
    for (const body of [mattermost?.body ?? '', teams?.body ?? '']) {
      expect(body).not.toMatch(/<!channel>|@here|https:\/\/evil|\]\(/);
    }

    const card = JSON.parse(teams?.body ?? '{}').attachments[0];
    expect(card.contentType).toBe('application/vnd.microsoft.card.adaptive');
    const openUrls = card.content.actions as Array<{ type: string; title: string; url: string }>;
    expect(openUrls.map((a) => [a.type, a.title])).toEqual([
      ['Action.OpenUrl', 'Acknowledge'],
      ['Action.OpenUrl', 'Resolve'],
      ['Action.OpenUrl', 'Open in Klaxon'],
    ]);
    // Opening the Teams link shows the confirmation page and changes nothing.
    const opened = await t.request({ method: 'GET', url: new URL(openUrls[0]?.url ?? '').pathname });
    expect(opened.statusCode).toBe(200);
    expect((await incidentOf(incidentId)).status).toBe('triggered');

    const post = JSON.parse(mattermost?.body ?? '{}');
    const [acknowledge, resolve] = post.attachments[0].actions as Array<{
      id: string;
      integration: { url: string; context: Record<string, string> };
    }>;
    expect(acknowledge?.id).toBe('acknowledge');
    expect(resolve?.id).toBe('resolve');
    expect(acknowledge?.integration.url).toBe('https://klaxon.example.com/api/providers/mattermost/actions');

    // What Mattermost POSTs when the button is pressed (integration request: user, channel, post, context).
    const press = (context: unknown) =>
      t.request({
        method: 'POST',
        url: '/api/providers/mattermost/actions',
        body: {
          user_id: 'rcgiyftm7jyrxnma1osd8zswby',
          user_name: 'alice',
          channel_id: 'j6o4hqk7ftg7pfb9zmhfdkdgpw',
          team_id: 'xd3rqu3i9bgpdgr7t6wu8kxjyh',
          post_id: 'xs8kdpxbq3g7zyqqpyfmt4gpqa',
          trigger_id: 'abc',
          type: '',
          data_source: '',
          context,
        },
      });
    // The MAC's last four characters replaced (by others than they were, should they be AAAA).
    const token = acknowledge?.integration.context.token ?? '';
    const forged = await press({ token: `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}` });
    expect(forged.statusCode).toBe(401);
    expect((await incidentOf(incidentId)).status).toBe('triggered');

    const pressed = await press(acknowledge?.integration.context);
    expect(pressed.statusCode, pressed.body).toBe(200);
    const answer = pressed.json();
    expect(answer.ephemeral_text).toBe('You acknowledged the incident.');
    const updated = answer.update.props.attachments[0];
    expect(updated.text).toContain('Status: **acknowledged**');
    expect(updated.actions.map((a: { id: string }) => a.id)).toEqual(['resolve']);
    expect(await incidentOf(incidentId)).toMatchObject({ status: 'acknowledged', acknowledgedBy: alice.userId });

    // A replayed press changes nothing and says why.
    const replayed = await press(acknowledge?.integration.context);
    expect(replayed.statusCode).toBe(200);
    expect(replayed.json()).toEqual({ ephemeral_text: 'This link was already used' });

    // The Resolve button of the rewritten post resolves.
    const resolved = await press(updated.actions[0].integration.context);
    expect(resolved.json().update.props.attachments[0].actions).toEqual([]);
    expect((await incidentOf(incidentId)).status).toBe('resolved');
  });
});
