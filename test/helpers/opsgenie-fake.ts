import { daysFromNow, startVendorApiFake } from './vendor-api-fake.js';

/**
 * Opsgenie REST API v2 on loopback. The fixtures follow the response bodies of the API
 * reference (https://docs.opsgenie.com/docs/api-overview: user-api, team-api, schedule-api with
 * `expand=rotation`, schedule-override-api, escalation-api, integration-api, maintenance-api):
 * `Authorization: GenieKey <key>`, answers `{data, took, requestId}`, lists linked by
 * `paging.next` (users here come two to a page).
 */
export const OPSGENIE_KEY = 'eb243592-faa2-4ba2-a551q-1afdf565c889';

const envelope = (data: unknown, paging?: Record<string, string>) => ({
  data,
  ...(paging === undefined ? {} : { paging }),
  took: 0.01,
  requestId: '9ae63dd7-ed00-4c81-86f0-c4ffd33142c9',
});

const users = [
  {
    id: 'b5b92115-bfe7-43eb-8c2a-e467f2e5ddc4',
    username: 'gina@example.com',
    fullName: 'Gina Gold',
    role: { id: 'Admin', name: 'Admin' },
  },
  {
    id: 'e07c63f0-dd8c-4ad4-983e-4ee7dc600463',
    username: 'hank@example.com',
    fullName: 'Hank Hill',
    role: { id: 'User', name: 'User' },
  },
  {
    id: '6e1c5a87-2f9b-4bf2-b1a1-0c3b1f2f0a11',
    username: 'ivy@example.com',
    fullName: 'Ivy Iris',
    role: { id: 'User', name: 'User' },
  },
];
const [gina, hank, ivy] = users.map((user) => ({ type: 'user', id: user.id, username: user.username }));
const team = { id: '90098alp9-f0e3-41d3-a060-0ea895ef', name: 'Platform', description: 'Runs the platform' };

export function startOpsgenieFake() {
  const override = { startDate: daysFromNow(1), endDate: daysFromNow(1.5) };
  const maintenance = { startDate: daysFromNow(3), endDate: daysFromNow(3.2) };
  return startVendorApiFake({
    authorization: `GenieKey ${OPSGENIE_KEY}`,
    unauthorized: { message: 'Could not authenticate', took: 0, requestId: 'x' },
    rateLimitOnce: '/v2/teams',
    routes: {
      '/v2/users': (url, base) =>
        url.searchParams.get('offset') === '2'
          ? envelope(users.slice(2), { first: `${base}/v2/users?limit=2&offset=0` })
          : envelope(users.slice(0, 2), { next: `${base}/v2/users?limit=2&offset=2` }),
      '/v2/teams': () => envelope([team]),
      [`/v2/teams/${team.id}`]: () =>
        envelope({
          ...team,
          members: [
            { user: gina, role: 'admin' },
            { user: hank, role: 'user' },
          ],
        }),
      '/v2/schedules': () =>
        envelope([
          {
            id: 'd875alp4-9b4e-4219-a803-0c26936d18de',
            name: 'Platform On-Call',
            description: '',
            timezone: 'America/New_York',
            enabled: true,
            ownerTeam: { id: team.id, name: team.name },
            rotations: [
              {
                id: 'a47alp93-0541-4aa2-a522-0bbd7a10ab2e',
                name: 'Business hours',
                startDate: '2026-11-30T14:00:00Z',
                type: 'weekly',
                length: 1,
                participants: [gina, hank],
                timeRestriction: {
                  type: 'weekday-and-time-of-day',
                  restrictions: [
                    { startDay: 'monday', startHour: 9, startMin: 0, endDay: 'friday', endHour: 17, endMin: 0 },
                  ],
                },
              },
              {
                id: 'b1c2alp3-0541-4aa2-a522-0bbd7a10ab2f',
                name: 'Escalation team',
                startDate: '2026-11-30T14:00:00Z',
                type: 'daily',
                length: 1,
                participants: [{ type: 'team', id: team.id, name: team.name }],
              },
            ],
          },
        ]),
      '/v2/schedules/d875alp4-9b4e-4219-a803-0c26936d18de/overrides': () =>
        envelope([{ alias: 'ovr-1', user: ivy, ...override, rotations: [] }]),
      '/v2/escalations': () =>
        envelope([
          {
            id: '9a6alpf6-8d4d-4da7-8c81-c2a34d22c1bc',
            name: 'Platform Escalation',
            description: 'Schedule, then Gina',
            ownerTeam: { id: team.id, name: team.name },
            rules: [
              {
                condition: 'if-not-acked',
                notifyType: 'default',
                delay: { timeAmount: 0, timeUnit: 'minutes' },
                recipient: { type: 'schedule', id: 'd875alp4-9b4e-4219-a803-0c26936d18de', name: 'Platform On-Call' },
              },
              {
                condition: 'if-not-acked',
                notifyType: 'default',
                delay: { timeAmount: 10, timeUnit: 'minutes' },
                recipient: gina,
              },
              {
                condition: 'if-not-closed',
                notifyType: 'default',
                delay: { timeAmount: 30, timeUnit: 'minutes' },
                recipient: hank,
              },
            ],
            repeat: { waitInterval: 10, count: 1, resetRecipientStates: false, closeAlertAfterAll: false },
          },
        ]),
      '/v2/integrations': () =>
        envelope([
          {
            id: '055082dc-9e2a-4d8c-94e6-4f7ab6ee2e2e',
            name: 'Prometheus Prod',
            enabled: true,
            type: 'Prometheus',
            teamId: team.id,
          },
          {
            id: '3b8cbd55-1a51-4d67-9a6e-4c7e44a0c0a1',
            name: 'Email Ingest',
            enabled: true,
            type: 'Email',
            teamId: team.id,
          },
        ]),
      '/v2/maintenance': () =>
        envelope([
          {
            id: '8418d193-2dab-4490-b331-8c02cdd196b7',
            status: 'planned',
            description: 'Cluster upgrade',
            time: { type: 'schedule', ...maintenance },
          },
        ]),
      '/v2/maintenance/8418d193-2dab-4490-b331-8c02cdd196b7': () =>
        envelope({
          id: '8418d193-2dab-4490-b331-8c02cdd196b7',
          status: 'planned',
          description: 'Cluster upgrade',
          time: { type: 'schedule', ...maintenance },
          rules: [
            { state: 'disabled', entity: { id: '055082dc-9e2a-4d8c-94e6-4f7ab6ee2e2e', type: 'integration' } },
            { state: 'disabled', entity: { id: '9a6alpf6-8d4d-4da7-8c81-c2a34d22c1bc', type: 'policy' } },
          ],
        }),
    },
  });
}
