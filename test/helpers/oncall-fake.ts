import { daysFromNow, startVendorApiFake } from './vendor-api-fake.js';

/**
 * Grafana OnCall public API v1 on loopback. The fixtures follow the objects of the API reference,
 * https://grafana.com/docs/oncall/latest/oncall-api-reference/ (users, teams, schedules,
 * on_call_shifts, escalation_chains, escalation_policies, integrations): `Authorization: <token>`,
 * list answers `{count, next, previous, results}` where `next` is the absolute URL of the next
 * page (users here come two to a page).
 */
export const ONCALL_TOKEN = 'c3a5d8bb1ff0b1ab5a5d0e5b7b5f4a3e';

const users = [
  {
    id: 'U4DNY931HHJS5',
    email: 'dana@example.com',
    username: 'dana',
    role: 'admin',
    timezone: 'Europe/London',
    teams: ['TI73TDU19W48J'],
  },
  {
    id: 'U6RV9WPSL6DFW',
    email: 'erin@example.com',
    username: 'erin',
    role: 'user',
    timezone: 'Europe/London',
    teams: ['TI73TDU19W48J'],
  },
  { id: 'UFRANK0000001', email: 'frank@example.com', username: 'frank', role: 'user', timezone: 'UTC', teams: [] },
];

const list = (results: unknown[], next: string | null = null) => ({
  count: results.length,
  next,
  previous: null,
  results,
});

export function startOnCallFake() {
  const override = { start: daysFromNow(1).slice(0, 19), end: daysFromNow(1) };
  const maintenance = { start: daysFromNow(0), end: daysFromNow(0.1) };
  return startVendorApiFake({
    authorization: ONCALL_TOKEN,
    unauthorized: { detail: 'Invalid token.' },
    rateLimitOnce: '/api/v1/schedules/',
    routes: {
      '/api/v1/users/': (url, base) =>
        url.searchParams.get('page') === '2'
          ? list(users.slice(2))
          : { ...list(users.slice(0, 2), `${base}/api/v1/users/?page=2`), count: 3 },
      '/api/v1/teams/': () => list([{ id: 'TI73TDU19W48J', name: 'SRE', email: 'sre@example.com', avatar_url: null }]),
      '/api/v1/schedules/': () =>
        list([
          {
            id: 'SBM7DV7BKFUYU',
            team_id: 'TI73TDU19W48J',
            type: 'calendar',
            name: 'SRE Primary',
            time_zone: 'Europe/London',
            on_call_now: ['U4DNY931HHJS5'],
            shifts: ['OH3V5FYQEYJ6M', 'O9WTH7CKM3KZW', 'OPAIR00000001'],
          },
          {
            id: 'SWEB000000001',
            team_id: 'TI73TDU19W48J',
            type: 'web',
            name: 'SRE Secondary',
            time_zone: 'UTC',
            shifts: [],
          },
          {
            id: 'SICAL00000001',
            team_id: null,
            type: 'ical',
            name: 'Holidays',
            ical_url_primary: 'https://example.com/h.ics',
          },
        ]),
      '/api/v1/on_call_shifts/': () =>
        list([
          {
            id: 'OH3V5FYQEYJ6M',
            team_id: 'TI73TDU19W48J',
            schedule: 'SBM7DV7BKFUYU',
            name: 'Weekly',
            type: 'rolling_users',
            time_zone: 'Europe/London',
            level: 1,
            start: '2026-11-30T09:00:00',
            duration: 604_800,
            frequency: 'weekly',
            interval: 1,
            by_day: null,
            week_start: 'MO',
            rolling_users: [['U4DNY931HHJS5'], ['U6RV9WPSL6DFW']],
            start_rotation_from_user_index: 0,
            until: null,
          },
          {
            id: 'O9WTH7CKM3KZW',
            team_id: 'TI73TDU19W48J',
            schedule: 'SBM7DV7BKFUYU',
            name: 'Cover',
            type: 'override',
            time_zone: 'UTC',
            level: 99,
            start: override.start,
            duration: 14_400,
            users: ['UFRANK0000001'],
          },
          {
            id: 'OPAIR00000001',
            team_id: 'TI73TDU19W48J',
            schedule: 'SBM7DV7BKFUYU',
            name: 'Pairs',
            type: 'rolling_users',
            time_zone: 'UTC',
            level: 2,
            start: '2026-11-30T00:00:00',
            duration: 86_400,
            frequency: 'daily',
            interval: 1,
            rolling_users: [['U4DNY931HHJS5', 'U6RV9WPSL6DFW']],
          },
        ]),
      '/api/v1/escalation_chains/': () => list([{ id: 'FWDL7M6N6I9HE', team_id: 'TI73TDU19W48J', name: 'SRE chain' }]),
      '/api/v1/escalation_policies/': () =>
        list([
          {
            id: 'E1',
            escalation_chain_id: 'FWDL7M6N6I9HE',
            position: 0,
            type: 'notify_on_call_from_schedule',
            important: false,
            notify_on_call_from_schedule: 'SBM7DV7BKFUYU',
          },
          { id: 'E2', escalation_chain_id: 'FWDL7M6N6I9HE', position: 1, type: 'wait', duration: 600 },
          {
            id: 'E3',
            escalation_chain_id: 'FWDL7M6N6I9HE',
            position: 2,
            type: 'notify_persons',
            important: true,
            persons_to_notify: ['U4DNY931HHJS5'],
          },
          {
            id: 'E4',
            escalation_chain_id: 'FWDL7M6N6I9HE',
            position: 3,
            type: 'trigger_webhook',
            action_to_trigger: 'KGEFG74LU1D8L',
          },
          { id: 'E5', escalation_chain_id: 'FWDL7M6N6I9HE', position: 4, type: 'repeat_escalation' },
        ]),
      '/api/v1/integrations/': () =>
        list([
          {
            id: 'CFRPV98RPR1U8',
            name: 'Prod Alertmanager',
            team_id: 'TI73TDU19W48J',
            type: 'alertmanager',
            link: 'https://oncall.example.com/integrations/v1/alertmanager/abc/',
            default_route: { id: 'RVBE4RKQSCGJ2', escalation_chain_id: 'FWDL7M6N6I9HE' },
            maintenance_mode: 'maintenance',
            maintenance_started_at: maintenance.start,
            maintenance_end_at: maintenance.end,
          },
          {
            id: 'CZABBIX000001',
            name: 'Zabbix',
            team_id: 'TI73TDU19W48J',
            type: 'zabbix',
            default_route: null,
            maintenance_mode: null,
          },
        ]),
    },
  });
}
