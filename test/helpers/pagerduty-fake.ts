import { daysFromNow, startVendorApiFake } from './vendor-api-fake.js';

/**
 * PagerDuty REST API v2 on loopback. The fixtures follow the response bodies of the API
 * reference, https://developer.pagerduty.com/api-reference/ ("List users", "List teams",
 * "List members of a team", "List schedules", "Get a schedule", "List overrides", "List
 * escalation policies", "List services", "List maintenance windows"); pagination is classic
 * (`limit`, `offset`, `more`, https://developer.pagerduty.com/docs/pagination), and this fake
 * answers at most 2 items a page whatever the limit, as the API may answer fewer than asked.
 */
export const PAGERDUTY_TOKEN = 'y_NbAkKc66ryYTWUXYEu';

const ref = (id: string, type: string, summary: string) => ({
  id,
  type,
  summary,
  self: `https://api.pagerduty.com/x/${id}`,
});

const users = [
  {
    id: 'PXPGF42',
    type: 'user',
    name: 'Alice Ando',
    email: 'alice@example.com',
    time_zone: 'Europe/Berlin',
    role: 'admin',
  },
  {
    id: 'PAM4FGS',
    type: 'user',
    name: 'Bob Brandt',
    email: 'bob@example.com',
    time_zone: 'Europe/Berlin',
    role: 'user',
  },
  {
    id: 'PQ1CARO',
    type: 'user',
    name: 'Carol Chen',
    email: 'carol@example.com',
    time_zone: 'Asia/Tokyo',
    role: 'limited_user',
  },
];

const schedule = {
  id: 'PI7DH85',
  type: 'schedule',
  name: 'Payments Primary',
  time_zone: 'Europe/Berlin',
  description: 'Who answers for payments',
  teams: [ref('PQ9K7I8', 'team_reference', 'Payments')],
  // "Get a schedule": layers as the API lists them, the highest priority first.
  schedule_layers: [
    {
      id: 'PG68P1M',
      name: 'Weekend',
      start: '2026-01-02T18:00:00+01:00',
      end: null,
      rotation_virtual_start: '2026-01-02T18:00:00+01:00',
      rotation_turn_length_seconds: 604_800,
      users: [{ user: ref('PQ1CARO', 'user_reference', 'Carol Chen') }],
      restrictions: [
        { type: 'weekly_restriction', start_time_of_day: '18:00:00', duration_seconds: 223_200, start_day_of_week: 5 },
      ],
    },
    {
      id: 'PR9ODD1',
      name: 'Ninety minutes',
      start: '2026-01-01T00:00:00+01:00',
      end: null,
      rotation_virtual_start: '2026-01-01T00:00:00+01:00',
      rotation_turn_length_seconds: 5_400,
      users: [{ user: ref('PAM4FGS', 'user_reference', 'Bob Brandt') }],
      restrictions: [],
    },
    {
      id: 'PL0WEEK',
      name: 'Weekly',
      start: '2026-01-05T09:00:00+01:00',
      end: null,
      rotation_virtual_start: '2026-01-05T09:00:00+01:00',
      rotation_turn_length_seconds: 604_800,
      users: [
        { user: ref('PXPGF42', 'user_reference', 'Alice Ando') },
        { user: ref('PAM4FGS', 'user_reference', 'Bob Brandt') },
      ],
      restrictions: [{ type: 'daily_restriction', start_time_of_day: '08:00:00', duration_seconds: 32_400 }],
    },
  ],
};

const policies = [
  {
    id: 'PT20YPA',
    type: 'escalation_policy',
    name: 'Payments EP',
    description: 'Schedule, then Alice',
    num_loops: 2,
    teams: [ref('PQ9K7I8', 'team_reference', 'Payments')],
    escalation_rules: [
      {
        id: 'PANZZEQ',
        escalation_delay_in_minutes: 15,
        targets: [ref('PI7DH85', 'schedule_reference', 'Payments Primary')],
      },
      { id: 'PANZZEZ', escalation_delay_in_minutes: 10, targets: [ref('PXPGF42', 'user_reference', 'Alice Ando')] },
    ],
  },
  {
    id: 'PNOTEAM',
    type: 'escalation_policy',
    name: 'Night watch',
    description: null,
    num_loops: 0,
    teams: [],
    escalation_rules: [
      { id: 'PANZZNW', escalation_delay_in_minutes: 30, targets: [ref('PQ1CARO', 'user_reference', 'Carol Chen')] },
    ],
  },
];

const services = [
  {
    id: 'PSVC001',
    type: 'service',
    name: 'Checkout API',
    status: 'active',
    escalation_policy: ref('PT20YPA', 'escalation_policy_reference', 'Payments EP'),
    teams: [ref('PQ9K7I8', 'team_reference', 'Payments')],
    integrations: [ref('PINT001', 'generic_events_api_inbound_integration_reference', 'Events API v2')],
  },
  {
    id: 'PSVC002',
    type: 'service',
    name: 'Nightly Batch',
    status: 'active',
    escalation_policy: ref('PNOTEAM', 'escalation_policy_reference', 'Night watch'),
    teams: [],
    integrations: [],
  },
  {
    id: 'PSVC003',
    type: 'service',
    name: 'Legacy Billing',
    status: 'disabled',
    escalation_policy: ref('PT20YPA', 'escalation_policy_reference', 'Payments EP'),
    teams: [],
    integrations: [],
  },
];

function paged(key: string, items: unknown[]) {
  return (url: URL) => {
    const offset = Number(url.searchParams.get('offset') ?? 0);
    const limit = Math.min(Number(url.searchParams.get('limit') ?? 25), 2);
    return {
      [key]: items.slice(offset, offset + limit),
      limit,
      offset,
      more: offset + limit < items.length,
      total: null,
    };
  };
}

export function startPagerDutyFake() {
  const override = { start: daysFromNow(2), end: daysFromNow(3) };
  const maintenance = { start: daysFromNow(5), end: daysFromNow(5.1) };
  return startVendorApiFake({
    authorization: `Token token=${PAGERDUTY_TOKEN}`,
    unauthorized: { error: { message: 'Unauthorized', code: 2006 } },
    rateLimitOnce: '/users',
    routes: {
      '/users': paged('users', users),
      '/teams': paged('teams', [{ id: 'PQ9K7I8', type: 'team', name: 'Payments', description: 'Money in, money out' }]),
      '/teams/PQ9K7I8/members': paged('members', [
        { user: ref('PXPGF42', 'user_reference', 'Alice Ando'), role: 'manager' },
        { user: ref('PAM4FGS', 'user_reference', 'Bob Brandt'), role: 'responder' },
      ]),
      '/schedules': paged('schedules', [{ ...schedule, schedule_layers: undefined }]),
      '/schedules/PI7DH85': () => ({ schedule }),
      '/schedules/PI7DH85/overrides': () => ({
        overrides: [{ id: 'PEYSGVF', ...override, user: ref('PAM4FGS', 'user_reference', 'Bob Brandt') }],
      }),
      '/escalation_policies': paged('escalation_policies', policies),
      '/services': paged('services', services),
      '/maintenance_windows': (url) =>
        url.searchParams.get('filter') === 'future'
          ? {
              maintenance_windows: [
                {
                  id: 'PW98YIO',
                  type: 'maintenance_window',
                  description: 'Database upgrade',
                  start_time: maintenance.start,
                  end_time: maintenance.end,
                  services: [ref('PSVC001', 'service_reference', 'Checkout API')],
                },
              ],
              limit: 25,
              offset: 0,
              more: false,
            }
          : { maintenance_windows: [], limit: 25, offset: 0, more: false },
    },
  });
}
