import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthzRepository } from '../src/modules/authz/authz.repository.js';
import { createAuthz } from '../src/modules/authz/authz.service.js';
import { createNotificationsRepository } from '../src/modules/notifications/notifications.repository.js';
import { createSlackRepository, type SlackRepository } from '../src/modules/slack/slack.repository.js';
import { createSlackService } from '../src/modules/slack/slack.service.js';
import { createSlackApi } from '../src/modules/slack/slack-api.js';
import { createTestApp, type TestApp } from './helpers/app.js';
import { testDatabaseKind } from './helpers/database.js';
import { FAKE_SLACK, startFakeSlack } from './helpers/slack-fake.js';
import { createIntegration, sendSigned } from './helpers/webhooks.js';

/**
 * The incidents service tells the Slack app after every status change. That hook is on the hot
 * path: without Slack it must not exist at all, and with Slack it reads only what it rewrites.
 */
let slack: Awaited<ReturnType<typeof startFakeSlack>>;
beforeAll(async () => {
  slack = await startFakeSlack();
});
afterAll(() => slack?.close());

/** A team with a generic integration routed to it; `open(title)` opens an incident and returns its id. */
async function incidentsOf(t: TestApp) {
  const admin = await t.createAdmin();
  const as = (method: string, url: string, body?: unknown) => t.request({ method, url, key: admin.apiKey, body });
  const team = (await as('POST', '/api/teams', { name: 'hot-path' })).json().id as string;
  await as('POST', `/api/teams/${team}/members`, { userId: admin.userId });
  await as('POST', '/api/routing-rules', { name: 'all', teamId: team });
  const integration = await createIntegration(t, admin.apiKey, { name: 'hot-path', type: 'generic' });
  const open = async (title: string) => {
    expect((await sendSigned(t, integration, { title, dedupKey: title })).statusCode).toBe(202);
    const incidents = (await as('GET', '/api/incidents')).json().incidents as Array<{ id: string; title: string }>;
    const found = incidents.find((incident) => incident.title === title);
    if (found === undefined) throw new Error(`no incident ${title}`);
    return found.id;
  };
  return { as, team, open };
}

describe(`the incident change hook (${testDatabaseKind()})`, () => {
  it('without Slack, a status change never reaches the Slack app', async () => {
    const t = await createTestApp();
    try {
      let told = 0;
      t.services.slackService.incidentsChanged = async () => {
        told += 1;
      };
      const { as, open } = await incidentsOf(t);
      const id = await open('Disk almost full');
      expect((await as('POST', `/api/incidents/${id}/acknowledge`)).statusCode).toBe(200);
      expect((await as('POST', `/api/incidents/${id}/resolve`)).statusCode).toBe(200);
      expect(told).toBe(0);
    } finally {
      await t.close();
    }
  });

  it('with Slack, one query finds the stored messages of the batch; only those incidents are read', async () => {
    const t = await createTestApp({
      incidents: {
        slack: { botToken: FAKE_SLACK.botToken, signingSecret: FAKE_SLACK.signingSecret, apiUrl: slack.apiUrl },
      },
    });
    try {
      const { as, team, open } = await incidentsOf(t);
      expect((await as('PUT', `/api/teams/${team}/slack-channel`, { channelId: 'C0HOT00001' })).statusCode).toBe(200);
      const [posted, alsoPosted, quiet] = [await open('Posted'), await open('Also posted'), await open('Quiet')];
      for (const id of [posted, alsoPosted]) {
        expect(await t.services.slackService.postToTeamChannel(id, 'a test')).toMatchObject({ ts: expect.any(String) });
      }

      // The service as services.ts builds it, on a repository that counts its reads.
      const reads: Array<[string, string[]]> = [];
      const repository = createSlackRepository();
      const counted: SlackRepository = {
        ...repository,
        messagesOf: (executor, ids) => {
          reads.push(['messagesOf', ids]);
          return repository.messagesOf(executor, ids);
        },
        incidentViews: (executor, ids) => {
          reads.push(['incidentViews', ids]);
          return repository.incidentViews(executor, ids);
        },
      };
      const db = t.database.db;
      const service = createSlackService({
        db,
        repository: counted,
        api: createSlackApi({ botToken: FAKE_SLACK.botToken, apiUrl: slack.apiUrl }),
        authz: createAuthz({ db, repository: createAuthzRepository() }),
        auditService: t.services.auditService,
        notificationsRepository: createNotificationsRepository(),
        actAsPagedPerson: t.services.incidentsService.actAsPagedPerson,
        runStep: t.services.escalationEngine.runStep,
        resolver: t.services.schedulesService,
        publicUrl: 'http://klaxon.test',
      });

      const updates = () => slack.calls.filter((call) => call.method === 'chat.update').length;
      const before = updates();
      await service.incidentsChanged([posted, quiet, alsoPosted]);
      expect(reads).toEqual([
        ['messagesOf', [posted, quiet, alsoPosted]],
        ['incidentViews', [posted, alsoPosted]],
      ]);
      expect(updates()).toBe(before + 2);

      reads.length = 0;
      await service.incidentsChanged([quiet]);
      expect(reads).toEqual([['messagesOf', [quiet]]]);
      expect(updates()).toBe(before + 2);
    } finally {
      await t.close();
    }
  });
});
