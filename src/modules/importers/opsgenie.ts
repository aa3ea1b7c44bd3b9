import type { IntegrationType } from '../../core/integrations.js';
import type { TeamRole } from '../../core/teams.js';
import {
  emptyBundle,
  type ImportBundle,
  type ImportLayer,
  type ImportTarget,
  type Restriction,
} from './import-bundle.js';
import { dailyWindow, ISO_WEEKDAYS, weeklyWindow } from './restrictions.js';
import { createVendorHttp, list, num, record, text, type VendorHttp } from './vendor-http.js';

/**
 * Opsgenie REST API v2 (https://docs.opsgenie.com/docs/api-overview): `Authorization: GenieKey
 * …`, pages linked by `paging.next`, 429 when over the rate limit. The base URL is
 * https://api.opsgenie.com (or https://api.eu.opsgenie.com).
 */
export function opsgenieHttp(baseUrl: string, token: string): VendorHttp {
  return createVendorHttp({ baseUrl, authorization: `GenieKey ${token}` });
}

async function pages(http: VendorHttp, path: string, query: Record<string, string | number> = {}) {
  const items: Record<string, unknown>[] = [];
  let page = record(await http.get(path, query));
  for (;;) {
    items.push(...list(page.data));
    const next = text(record(page.paging).next);
    if (next === null) return items;
    page = record(await http.get(next));
  }
}

const INTEGRATION_TYPES: Record<string, IntegrationType> = {
  API: 'generic',
  Webhook: 'generic',
  Prometheus: 'alertmanager',
  Grafana: 'grafana',
  Datadog: 'datadog',
  NewRelic: 'newrelic',
  NewRelicV2: 'newrelic',
};
const TURN_UNITS = { hourly: 'hours', daily: 'days', weekly: 'weeks' } as const;
const MINUTES = { minutes: 1, hours: 60, days: 1440 } as const;

function minuteOf(value: Record<string, unknown>, prefix: 'start' | 'end'): number {
  return (num(value[`${prefix}Hour`]) ?? 0) * 60 + (num(value[`${prefix}Min`]) ?? 0);
}

/** Opsgenie time restrictions as Klaxon windows, or null when they cannot be read. */
function restrictionsOf(timeRestriction: Record<string, unknown>): Restriction[] | null {
  if (timeRestriction.type === 'time-of-day') {
    const window = record(timeRestriction.restriction);
    const start = minuteOf(window, 'start');
    const length = (minuteOf(window, 'end') - start + 1440) % 1440 || 1440;
    return dailyWindow(start, length);
  }
  if (timeRestriction.type === 'weekday-and-time-of-day') {
    return list(timeRestriction.restrictions).flatMap((window) => {
      const startDay = ISO_WEEKDAYS[String(window.startDay)];
      const endDay = ISO_WEEKDAYS[String(window.endDay)];
      if (startDay === undefined || endDay === undefined) return [];
      const start = (startDay - 1) * 1440 + minuteOf(window, 'start');
      const end = (endDay - 1) * 1440 + minuteOf(window, 'end');
      const length = (end - start + 10_080) % 10_080 || 10_080;
      return weeklyWindow(startDay, minuteOf(window, 'start'), length);
    });
  }
  return null;
}

export async function readOpsgenie(http: VendorHttp, now: Date): Promise<ImportBundle> {
  const bundle = emptyBundle('opsgenie');
  const unmapped = (kind: string, externalId: string, name: string, reason: string) =>
    bundle.unmapped.push({ kind, externalId, name, reason });

  for (const user of await pages(http, 'v2/users', { limit: 100 })) {
    const id = text(user.id);
    const email = text(user.username);
    if (id !== null && email !== null) bundle.users.push({ externalId: id, email, name: text(user.fullName) });
  }
  for (const team of await pages(http, 'v2/teams')) {
    const id = text(team.id);
    if (id === null) continue;
    const detail = record(record(await http.get(`v2/teams/${encodeURIComponent(id)}`)).data);
    bundle.teams.push({
      externalId: id,
      name: text(team.name) ?? id,
      description: text(team.description),
      members: list(detail.members).flatMap((member) => {
        const userId = text(record(member.user).id);
        const role: TeamRole = member.role === 'admin' ? 'manager' : 'member';
        return userId === null ? [] : [{ userId, role }];
      }),
    });
  }

  for (const schedule of await pages(http, 'v2/schedules', { expand: 'rotation' })) {
    const id = text(schedule.id);
    if (id === null) continue;
    const name = text(schedule.name) ?? id;
    if (schedule.enabled === false) {
      unmapped('schedule', id, name, 'disabled in Opsgenie');
      continue;
    }
    const layers: ImportLayer[] = [];
    for (const rotation of list(schedule.rotations)) {
      const rotationId = text(rotation.id) ?? `${id}:${layers.length}`;
      const rotationName = `${name} / ${text(rotation.name) ?? 'rotation'}`.slice(0, 100);
      const endDate = text(rotation.endDate);
      if (endDate !== null && Date.parse(endDate) <= now.getTime()) continue;
      const unit = TURN_UNITS[String(rotation.type) as keyof typeof TURN_UNITS];
      const startDate = text(rotation.startDate);
      if (unit === undefined || startDate === null) {
        unmapped('rotation', rotationId, rotationName, `rotation of type ${String(rotation.type)}`);
        continue;
      }
      const participants: string[] = [];
      for (const participant of list(rotation.participants)) {
        const participantId = text(participant.id);
        if (participant.type === 'user' && participantId !== null) participants.push(participantId);
        else
          unmapped(
            'rotation participant',
            participantId ?? '',
            rotationName,
            `a ${String(participant.type)} participant; Klaxon rotates people`,
          );
      }
      let restrictions: Restriction[] = [];
      if (rotation.timeRestriction !== undefined && rotation.timeRestriction !== null) {
        const mapped = restrictionsOf(record(rotation.timeRestriction));
        if (mapped === null)
          unmapped('time restriction', rotationId, rotationName, 'a time restriction of an unknown kind');
        else restrictions = mapped;
      }
      layers.push({
        externalId: rotationId,
        name: rotationName,
        timeZone: null,
        startsAt: new Date(startDate),
        endsAt: endDate === null ? null : new Date(endDate),
        turnUnit: unit,
        turnLength: Math.max(1, num(rotation.length) ?? 1),
        restrictions,
        participantIds: participants,
      });
    }
    const overrides = await pages(http, `v2/schedules/${encodeURIComponent(id)}/overrides`);
    bundle.schedules.push({
      externalId: id,
      name,
      description: text(schedule.description),
      timeZone: text(schedule.timezone) ?? 'UTC',
      teamId: text(record(schedule.ownerTeam).id),
      // Opsgenie lists rotations by their order, later ones taking precedence.
      layers,
      overrides: overrides.flatMap((override) => {
        const user = record(override.user);
        const userId = text(user.id);
        const start = text(override.startDate);
        const end = text(override.endDate);
        const alias = text(override.alias);
        if (userId === null || start === null || end === null || alias === null || user.type !== 'user') {
          unmapped('schedule override', alias ?? '', name, 'covers with something other than one user');
          return [];
        }
        return [{ externalId: `${id}:${alias}`, userId, startsAt: new Date(start), endsAt: new Date(end) }];
      }),
    });
  }

  for (const escalation of await pages(http, 'v2/escalations')) {
    const id = text(escalation.id);
    if (id === null) continue;
    const name = text(escalation.name) ?? id;
    // Opsgenie delays count from the alert's creation; Klaxon's from the level before.
    const timed = new Map<number, ImportTarget[]>();
    for (const rule of list(escalation.rules)) {
      const recipient = record(rule.recipient);
      const recipientId = text(recipient.id);
      const delay = record(rule.delay);
      const minutes = (num(delay.timeAmount) ?? 0) * (MINUTES[String(delay.timeUnit) as keyof typeof MINUTES] ?? 1);
      if (rule.condition !== undefined && rule.condition !== 'if-not-acked') {
        unmapped(
          'escalation rule',
          id,
          name,
          `condition ${String(rule.condition)}; Klaxon escalates until acknowledged`,
        );
        continue;
      }
      if (rule.notifyType !== undefined && rule.notifyType !== 'default') {
        unmapped(
          'escalation rule',
          id,
          name,
          `notifies the ${String(rule.notifyType)} recipient; Klaxon notifies who is on call`,
        );
        continue;
      }
      const type =
        recipient.type === 'user' || recipient.type === 'schedule' || recipient.type === 'team' ? recipient.type : null;
      if (type === null || recipientId === null) {
        unmapped('escalation rule', id, name, `recipient of type ${String(recipient.type)}`);
        continue;
      }
      timed.set(minutes, [...(timed.get(minutes) ?? []), { type, id: recipientId }]);
    }
    const delays = [...timed.keys()].sort((a, b) => a - b);
    if ((delays[0] ?? 0) > 0)
      unmapped(
        'escalation policy',
        id,
        name,
        `first notifies after ${delays[0]} minutes; Klaxon's first level notifies at once`,
      );
    const repeat = record(escalation.repeat);
    bundle.policies.push({
      externalId: id,
      name,
      description: text(escalation.description),
      teamId: text(record(escalation.ownerTeam).id),
      repeatCount: Math.min(num(repeat.count) ?? 0, 10),
      levels: delays.map((delay, index) => ({
        delayMinutes: (delays[index + 1] ?? delay) - delay,
        targets: timed.get(delay) ?? [],
      })),
    });
  }

  for (const integration of await pages(http, 'v2/integrations')) {
    const id = text(integration.id);
    if (id === null) continue;
    const name = text(integration.name) ?? id;
    const type = INTEGRATION_TYPES[String(integration.type)];
    if (type === undefined) {
      unmapped(
        'integration',
        id,
        name,
        `integration of type ${String(integration.type)}; Klaxon receives webhooks of its own types only`,
      );
      continue;
    }
    if (integration.enabled === false) {
      unmapped('integration', id, name, 'disabled in Opsgenie');
      continue;
    }
    bundle.services.push({ externalId: id, name, type, teamId: text(integration.teamId), policyId: null });
  }

  for (const listed of await pages(http, 'v2/maintenance', { type: 'non-expired' })) {
    const id = text(listed.id);
    if (id === null) continue;
    const detail = record(record(await http.get(`v2/maintenance/${encodeURIComponent(id)}`)).data);
    const time = record(detail.time);
    const name = text(detail.description) ?? `Opsgenie maintenance ${id}`;
    const start = text(time.startDate);
    const end = text(time.endDate);
    if (start === null || end === null) {
      unmapped('maintenance', id, name, `time of type ${String(time.type)}; Klaxon windows have an end`);
      continue;
    }
    const serviceIds: string[] = [];
    for (const rule of list(detail.rules)) {
      const entity = record(rule.entity);
      if (entity.type === 'integration' && text(entity.id) !== null) serviceIds.push(String(entity.id));
      else unmapped('maintenance rule', id, name, `covers a ${String(entity.type)}; Klaxon windows cover integrations`);
    }
    bundle.maintenance.push({ externalId: id, name, startsAt: new Date(start), endsAt: new Date(end), serviceIds });
  }
  return bundle;
}
