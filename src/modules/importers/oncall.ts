import type { IntegrationType } from '../../core/integrations.js';
import { instantOf, zoneOf } from '../schedules/local-time.js';
import {
  emptyBundle,
  type ImportBundle,
  type ImportLayer,
  type ImportPolicy,
  type ImportTarget,
  type Restriction,
} from './import-bundle.js';
import { dailyWindow } from './restrictions.js';
import { createVendorHttp, list, num, record, text, type VendorHttp } from './vendor-http.js';

/**
 * Grafana OnCall public API v1 (https://grafana.com/docs/oncall/latest/oncall-api-reference/):
 * `Authorization: <token>`, pages followed by their absolute `next` URL. The base URL is the
 * OnCall API URL shown in OnCall's settings (the `/api/v1/…` paths are relative to it).
 */
export function oncallHttp(baseUrl: string, token: string): VendorHttp {
  return createVendorHttp({ baseUrl, authorization: token });
}

async function pages(http: VendorHttp, path: string) {
  const items: Record<string, unknown>[] = [];
  for (let next: string | null = path; next !== null; ) {
    const page = record(await http.get(next));
    items.push(...list(page.results));
    next = text(page.next);
  }
  return items;
}

const INTEGRATION_TYPES: Record<string, IntegrationType> = {
  alertmanager: 'alertmanager',
  grafana_alerting: 'grafana',
  grafana: 'grafana',
  datadog: 'datadog',
  newrelic: 'newrelic',
  webhook: 'generic',
  formatted_webhook: 'generic',
};
const TURN_UNITS = { hourly: 'hours', daily: 'days', weekly: 'weeks' } as const;
const BY_DAY: Record<string, number> = { MO: 1, TU: 2, WE: 3, TH: 4, FR: 5, SA: 6, SU: 7 };
/** OnCall's "repeat escalation from the beginning" repeats at most 5 times. */
const ONCALL_REPEATS = 5;

/** OnCall shift starts are local date-times (no offset) in the shift's or schedule's zone. */
function localStart(value: string, timeZone: string): { at: Date; minuteOfDay: number } | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(value);
  if (match === null) return null;
  if (/(Z|[+-]\d{2}:?\d{2})$/.test(value)) {
    const at = new Date(value);
    return { at, minuteOfDay: at.getUTCHours() * 60 + at.getUTCMinutes() };
  }
  const epochDay = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) / 86_400_000;
  const minuteOfDay = Number(match[4]) * 60 + Number(match[5]);
  return { at: new Date(instantOf(epochDay, minuteOfDay, zoneOf(timeZone))), minuteOfDay };
}

export async function readOnCall(http: VendorHttp, now: Date): Promise<ImportBundle> {
  const bundle = emptyBundle('oncall');
  const unmapped = (kind: string, externalId: string, name: string, reason: string) =>
    bundle.unmapped.push({ kind, externalId, name, reason });

  const users = await pages(http, 'api/v1/users/');
  for (const user of users) {
    const id = text(user.id);
    const email = text(user.email);
    if (id === null || email === null) continue;
    bundle.users.push({ externalId: id, email, name: text(user.name) ?? text(user.username) });
  }
  for (const team of await pages(http, 'api/v1/teams/')) {
    const id = text(team.id);
    if (id === null) continue;
    bundle.teams.push({
      externalId: id,
      name: text(team.name) ?? id,
      description: null,
      // OnCall lists each user's teams on the user, not members on the team.
      members: users.flatMap((user) => {
        const userId = text(user.id);
        const teams = Array.isArray(user.teams) ? user.teams : [];
        return userId !== null && teams.includes(id) ? [{ userId, role: 'member' as const }] : [];
      }),
    });
  }

  const shifts = new Map<string, Record<string, unknown>>();
  for (const shift of await pages(http, 'api/v1/on_call_shifts/')) {
    const id = text(shift.id);
    if (id !== null) shifts.set(id, shift);
  }
  for (const schedule of await pages(http, 'api/v1/schedules/')) {
    const id = text(schedule.id);
    if (id === null) continue;
    const name = text(schedule.name) ?? id;
    if (schedule.type === 'ical') {
      unmapped('schedule', id, name, 'an iCal schedule: its shifts live in the external calendar, not in OnCall');
      continue;
    }
    if (schedule.type === 'web') {
      unmapped(
        'schedule',
        id,
        name,
        'a web schedule: its rotations are edited in the web UI and the public API does not return them',
      );
      continue;
    }
    const timeZone = text(schedule.time_zone) ?? 'UTC';
    const layers: Array<ImportLayer & { level: number }> = [];
    const overrides: ImportBundle['schedules'][number]['overrides'] = [];
    const shiftIds = Array.isArray(schedule.shifts)
      ? schedule.shifts.filter((s): s is string => typeof s === 'string')
      : [];
    for (const shiftId of shiftIds) {
      const shift = shifts.get(shiftId);
      if (shift === undefined) continue;
      const shiftName = `${name} / ${text(shift.name) ?? shiftId}`.slice(0, 100);
      const start = localStart(text(shift.start) ?? '', text(shift.time_zone) ?? timeZone);
      const duration = Math.floor((num(shift.duration) ?? 0) / 60);
      const until = text(shift.until);
      if (start === null) continue;
      if (shift.type === 'override' || shift.type === 'single_event') {
        const userIds = Array.isArray(shift.users) ? shift.users : [];
        const endsAt = new Date(start.at.getTime() + duration * 60_000);
        if (endsAt <= now) continue;
        if (userIds.length === 1 && typeof userIds[0] === 'string')
          overrides.push({ externalId: shiftId, userId: userIds[0], startsAt: start.at, endsAt });
        else
          unmapped(
            'shift',
            shiftId,
            shiftName,
            'a one-off shift for several people at once; Klaxon overrides cover one person',
          );
        continue;
      }
      const unit = TURN_UNITS[String(shift.frequency) as keyof typeof TURN_UNITS];
      if (unit === undefined) {
        unmapped(
          'shift',
          shiftId,
          shiftName,
          `repeats ${String(shift.frequency ?? 'never')}; Klaxon rotates hourly, daily or weekly`,
        );
        continue;
      }
      const groups: unknown[][] =
        shift.type === 'rolling_users'
          ? (Array.isArray(shift.rolling_users) ? shift.rolling_users : []).map((group) =>
              Array.isArray(group) ? group : [],
            )
          : [Array.isArray(shift.users) ? shift.users : []];
      if (groups.some((group) => group.length !== 1)) {
        unmapped(
          'shift',
          shiftId,
          shiftName,
          'several people on call together in one turn; a Klaxon layer has one person per turn',
        );
        continue;
      }
      const turnLength = Math.max(1, num(shift.interval) ?? 1);
      const turnMinutes = turnLength * { hours: 60, days: 1440, weeks: 10_080 }[unit];
      let restrictions: Restriction[] = [];
      const byDay = (Array.isArray(shift.by_day) ? shift.by_day : []).flatMap((day) => BY_DAY[String(day)] ?? []);
      if (duration < turnMinutes && unit !== 'hours') {
        const windows = dailyWindow(start.minuteOfDay, duration);
        restrictions = windows.map((window) => (byDay.length > 0 ? { ...window, days: byDay } : window));
      } else if (byDay.length > 0) {
        restrictions = [{ days: byDay, start: '00:00', end: '00:00' }];
      }
      if (duration < turnMinutes && unit === 'hours') {
        unmapped('shift', shiftId, shiftName, 'an hourly rotation that covers only part of each turn');
        continue;
      }
      const offset = num(shift.start_rotation_from_user_index) ?? 0;
      const order = groups.map((group) => String(group[0]));
      layers.push({
        level: num(shift.level) ?? 0,
        externalId: shiftId,
        name: shiftName,
        timeZone: text(shift.time_zone),
        startsAt: start.at,
        endsAt: until === null ? null : (localStart(until, text(shift.time_zone) ?? timeZone)?.at ?? null),
        turnUnit: unit,
        turnLength,
        restrictions,
        participantIds: [...order.slice(offset), ...order.slice(0, offset)],
      });
    }
    layers.sort((a, b) => a.level - b.level);
    bundle.schedules.push({
      externalId: id,
      name,
      description: null,
      timeZone,
      teamId: text(schedule.team_id),
      layers: layers.map(({ level: _level, ...layer }) => layer),
      overrides,
    });
  }

  const steps = await pages(http, 'api/v1/escalation_policies/');
  for (const chain of await pages(http, 'api/v1/escalation_chains/')) {
    const id = text(chain.id);
    if (id === null) continue;
    const name = text(chain.name) ?? id;
    const policy: ImportPolicy = {
      externalId: id,
      name,
      description: null,
      teamId: text(chain.team_id),
      repeatCount: 0,
      levels: [],
    };
    const own = steps
      .filter((step) => step.escalation_chain_id === id)
      .sort((a, b) => (num(a.position) ?? 0) - (num(b.position) ?? 0));
    for (const step of own) {
      const last = policy.levels[policy.levels.length - 1];
      const targets: ImportTarget[] = [];
      switch (step.type) {
        case 'wait':
          if (last === undefined)
            unmapped('escalation step', text(step.id) ?? '', name, 'a wait before anyone is notified');
          else last.delayMinutes += Math.round((num(step.duration) ?? 0) / 60);
          continue;
        case 'notify_persons':
          for (const user of Array.isArray(step.persons_to_notify) ? step.persons_to_notify : [])
            targets.push({ type: 'user', id: String(user) });
          break;
        case 'notify_on_call_from_schedule': {
          const schedule = text(step.notify_on_call_from_schedule);
          if (schedule !== null) targets.push({ type: 'schedule', id: schedule });
          break;
        }
        case 'notify_team_members': {
          const team = text(step.notify_to_team_members) ?? text(step.team_to_notify);
          if (team !== null) targets.push({ type: 'team', id: team });
          break;
        }
        case 'repeat_escalation':
          policy.repeatCount = ONCALL_REPEATS;
          continue;
        default:
          unmapped('escalation step', text(step.id) ?? '', name, `step of type ${String(step.type)}`);
          continue;
      }
      // Steps with no wait between them notify at the same moment: one Klaxon level.
      if (last !== undefined && last.delayMinutes === 0) last.targets.push(...targets);
      else policy.levels.push({ delayMinutes: 0, targets });
    }
    bundle.policies.push(policy);
  }

  for (const integration of await pages(http, 'api/v1/integrations/')) {
    const id = text(integration.id);
    if (id === null) continue;
    const name = text(integration.name) ?? id;
    const vendorType = String(integration.type);
    const type = INTEGRATION_TYPES[vendorType];
    if (type === undefined) {
      unmapped(
        'integration',
        id,
        name,
        `integration of type ${vendorType}; Klaxon has no such webhook type (use generic)`,
      );
      continue;
    }
    bundle.services.push({
      externalId: id,
      name,
      type,
      teamId: text(integration.team_id),
      policyId: text(record(integration.default_route).escalation_chain_id),
    });
    const endsAt = text(integration.maintenance_end_at);
    if (integration.maintenance_mode === 'maintenance' && endsAt !== null) {
      bundle.maintenance.push({
        externalId: id,
        name: `${name} maintenance`,
        startsAt: new Date(text(integration.maintenance_started_at) ?? now.toISOString()),
        endsAt: new Date(endsAt),
        serviceIds: [id],
      });
    }
  }
  return bundle;
}
