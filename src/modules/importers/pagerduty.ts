import type { TeamRole } from '../../core/teams.js';
import {
  emptyBundle,
  type ImportBundle,
  type ImportLayer,
  type ImportTarget,
  type Restriction,
  turnFromSeconds,
} from './import-bundle.js';
import { dailyWindow, minutesOfDay, weeklyWindow } from './restrictions.js';
import { createVendorHttp, list, num, record, text, type VendorHttp } from './vendor-http.js';

/**
 * PagerDuty REST API v2 (https://developer.pagerduty.com/api-reference/): `Authorization: Token
 * token=…`, classic pagination (`limit`, `offset`, `more`). A read-only API key is enough.
 */
export function pagerDutyHttp(baseUrl: string, token: string): VendorHttp {
  return createVendorHttp({
    baseUrl,
    authorization: `Token token=${token}`,
    headers: { Accept: 'application/vnd.pagerduty+json;version=2' },
  });
}

const PAGE = 100;
/** How far ahead overrides are read. */
const OVERRIDE_HORIZON_DAYS = 180;

async function pages(http: VendorHttp, path: string, key: string, query: Record<string, string> = {}) {
  const items: Record<string, unknown>[] = [];
  for (let offset = 0; ; ) {
    const page = record(await http.get(path, { ...query, limit: PAGE, offset }));
    const batch = list(page[key]);
    items.push(...batch);
    if (page.more !== true || batch.length === 0) return items;
    // The server may answer fewer than asked: the next page starts after what came.
    offset += batch.length;
  }
}

const ids = (refs: unknown): string[] => list(refs).flatMap((ref) => text(ref.id) ?? []);

export async function readPagerDuty(http: VendorHttp, now: Date): Promise<ImportBundle> {
  const bundle = emptyBundle('pagerduty');
  const unmapped = (kind: string, item: Record<string, unknown>, reason: string) =>
    bundle.unmapped.push({
      kind,
      externalId: text(item.id) ?? '',
      name: text(item.name) ?? text(item.summary) ?? '',
      reason,
    });

  for (const user of await pages(http, '/users', 'users')) {
    const id = text(user.id);
    const email = text(user.email);
    if (id === null || email === null) {
      unmapped('user', user, 'no email address');
      continue;
    }
    bundle.users.push({ externalId: id, email, name: text(user.name) });
  }

  for (const team of await pages(http, '/teams', 'teams')) {
    const id = text(team.id);
    if (id === null) continue;
    const members = await pages(http, `/teams/${encodeURIComponent(id)}/members`, 'members');
    bundle.teams.push({
      externalId: id,
      name: text(team.name) ?? id,
      description: text(team.description),
      members: members.flatMap((member) => {
        const userId = text(record(member.user).id);
        const role: TeamRole = member.role === 'manager' ? 'manager' : 'member';
        return userId === null ? [] : [{ userId, role }];
      }),
    });
  }

  const until = new Date(now.getTime() + OVERRIDE_HORIZON_DAYS * 86_400_000);
  for (const listed of await pages(http, '/schedules', 'schedules')) {
    const id = text(listed.id);
    if (id === null) continue;
    const schedule = record(record(await http.get(`/schedules/${encodeURIComponent(id)}`)).schedule);
    const name = text(schedule.name) ?? id;
    const layers: ImportLayer[] = [];
    // PagerDuty lists layers highest priority first; Klaxon numbers them from the lowest.
    for (const layer of list(schedule.schedule_layers).reverse()) {
      const layerName = `${name} / ${text(layer.name) ?? text(layer.id) ?? 'layer'}`;
      const end = text(layer.end);
      if (end !== null && Date.parse(end) <= now.getTime()) continue;
      const turn = turnFromSeconds(num(layer.rotation_turn_length_seconds) ?? 0);
      const startsAt = text(layer.rotation_virtual_start) ?? text(layer.start);
      if (turn === null || startsAt === null) {
        unmapped('schedule layer', { id: layer.id, name: layerName }, 'turn length is not whole hours, days or weeks');
        continue;
      }
      const restrictions: Restriction[] = [];
      for (const restriction of list(layer.restrictions)) {
        const start = minutesOfDay(text(restriction.start_time_of_day) ?? '');
        const minutes = Math.floor((num(restriction.duration_seconds) ?? 0) / 60);
        const day = num(restriction.start_day_of_week);
        if (start !== null && restriction.type === 'daily_restriction')
          restrictions.push(...dailyWindow(start, minutes));
        else if (start !== null && restriction.type === 'weekly_restriction' && day !== null && day >= 1 && day <= 7)
          restrictions.push(...weeklyWindow(day, start, minutes));
        else
          unmapped(
            'schedule restriction',
            { id: layer.id, name: layerName },
            `restriction of type ${String(restriction.type)}`,
          );
      }
      layers.push({
        externalId: text(layer.id) ?? layerName,
        name: layerName.slice(0, 100),
        timeZone: null,
        startsAt: new Date(startsAt),
        endsAt: end === null ? null : new Date(end),
        ...turn,
        restrictions,
        participantIds: list(layer.users).flatMap((entry) => text(record(entry.user).id) ?? []),
      });
    }
    const overrides = list(
      record(
        await http.get(`/schedules/${encodeURIComponent(id)}/overrides`, {
          since: now.toISOString(),
          until: until.toISOString(),
        }),
      ).overrides,
    );
    bundle.schedules.push({
      externalId: id,
      name,
      description: text(schedule.description),
      timeZone: text(schedule.time_zone) ?? 'UTC',
      teamId: ids(schedule.teams)[0] ?? null,
      layers,
      overrides: overrides.flatMap((override) => {
        const userId = text(record(override.user).id);
        const start = text(override.start);
        const end = text(override.end);
        if (userId === null || start === null || end === null) return [];
        return [
          {
            externalId: text(override.id) ?? `${id}:${start}`,
            userId,
            startsAt: new Date(start),
            endsAt: new Date(end),
          },
        ];
      }),
    });
  }

  for (const policy of await pages(http, '/escalation_policies', 'escalation_policies')) {
    const id = text(policy.id);
    if (id === null) continue;
    const levels = list(policy.escalation_rules).map((rule) => ({
      delayMinutes: num(rule.escalation_delay_in_minutes) ?? 0,
      targets: list(rule.targets).flatMap((target): ImportTarget[] => {
        const targetId = text(target.id);
        if (targetId === null) return [];
        if (target.type === 'user_reference' || target.type === 'user') return [{ type: 'user', id: targetId }];
        if (target.type === 'schedule_reference' || target.type === 'schedule')
          return [{ type: 'schedule', id: targetId }];
        unmapped('escalation target', policy, `target of type ${String(target.type)}`);
        return [];
      }),
    }));
    const loops = num(policy.num_loops) ?? 0;
    if (loops > 10) unmapped('escalation policy', policy, `repeats ${loops} times; Klaxon repeats at most 10`);
    bundle.policies.push({
      externalId: id,
      name: text(policy.name) ?? id,
      description: text(policy.description),
      teamId: ids(policy.teams)[0] ?? null,
      repeatCount: Math.min(loops, 10),
      levels,
    });
  }

  for (const service of await pages(http, '/services', 'services')) {
    const id = text(service.id);
    if (id === null) continue;
    if (service.status === 'disabled') {
      unmapped('service', service, 'disabled in PagerDuty');
      continue;
    }
    const policyId = text(record(service.escalation_policy).id);
    const policyTeam = bundle.policies.find((policy) => policy.externalId === policyId)?.teamId ?? null;
    bundle.services.push({
      externalId: id,
      name: text(service.name) ?? id,
      // Senders keep PagerDuty's Events API v2: Klaxon answers it at /v2/enqueue.
      type: 'generic',
      teamId: ids(service.teams)[0] ?? policyTeam,
      policyId,
    });
  }

  for (const filter of ['ongoing', 'future']) {
    for (const window of await pages(http, '/maintenance_windows', 'maintenance_windows', { filter })) {
      const id = text(window.id);
      const start = text(window.start_time);
      const end = text(window.end_time);
      if (id === null || start === null || end === null) continue;
      bundle.maintenance.push({
        externalId: id,
        name: text(window.description) ?? `PagerDuty maintenance ${id}`,
        startsAt: new Date(start),
        endsAt: new Date(end),
        serviceIds: ids(window.services),
      });
    }
  }
  return bundle;
}
