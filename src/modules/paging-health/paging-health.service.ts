import type { Principal } from '../../core/principal.js';
import type { Database } from '../../db/client.js';
import { AppError } from '../../lib/errors.js';
import type { Channels } from '../notifications/channels.js';
import type { SchedulesService } from '../schedules/schedules.service.js';
import type { PagingHealthRepository } from './paging-health.repository.js';

export const PAGING_PROBLEM_KINDS = [
  'channel-not-configured',
  'on-call-without-contact-method',
  'schedule-gap',
  'no-escalation-policy',
  'missing-escalation-target',
] as const;
export type PagingProblemKind = (typeof PAGING_PROBLEM_KINDS)[number];

export interface PagingProblem {
  kind: PagingProblemKind;
  message: string;
  teamId: string | null;
  /** Where in the console it is fixed. */
  fixAt: string;
}

const DAY = 24 * 60 * 60 * 1000;
const GAP_WINDOW_DAYS = 14;

/** Uncovered stretches of [from, to) given possibly overlapping spans. */
function gapsOf(spans: Array<{ start: Date; end: Date }>, from: Date, to: Date): Array<{ start: Date; end: Date }> {
  const gaps: Array<{ start: Date; end: Date }> = [];
  let cursor = from.getTime();
  for (const span of [...spans].sort((a, b) => a.start.getTime() - b.start.getTime())) {
    if (span.start.getTime() > cursor) gaps.push({ start: new Date(cursor), end: span.start });
    cursor = Math.max(cursor, span.end.getTime());
  }
  if (cursor < to.getTime()) gaps.push({ start: new Date(cursor), end: to });
  return gaps;
}

/**
 * What would stop a page from reaching a person, for admins (every team) and team managers
 * (their teams): checked from the tables and the schedules as they are now.
 */
export function createPagingHealthService(deps: {
  db: Database;
  repository: PagingHealthRepository;
  schedulesService: Pick<SchedulesService, 'spans' | 'whoIsOnCall'>;
  channels: Pick<Channels, 'canEmail'>;
  /** Whether the team's chat channel can be posted to (the Slack app is set up and the team has a channel). */
  teamChannelReady?: (teamId: string) => Promise<boolean>;
  now: () => Date;
}) {
  const { db, repository, now } = deps;

  return {
    /** Contact method channels and whether this server can deliver on them. */
    channels: () => [
      { type: 'email', configured: deps.channels.canEmail },
      { type: 'slack', configured: true },
      { type: 'webhook', configured: true },
    ],

    async check(viewer: Principal): Promise<{ checkedAt: Date; problems: PagingProblem[] }> {
      const scope = viewer.isPlatformAdmin ? 'all' : await repository.managedTeamIds(db, viewer.userId);
      if (scope !== 'all' && scope.length === 0) {
        throw new AppError('forbidden', 'Paging health is for platform admins and team managers');
      }
      const at = now();
      const teams = await repository.teams(db, scope);
      const teamIds = teams.map((team) => team.id);
      const teamName = new Map(teams.map((team) => [team.id, team.name]));
      const [policies, schedules, memberIds] = await Promise.all([
        repository.policies(db, teamIds),
        repository.schedules(db, teamIds),
        repository.memberIds(db, teamIds),
      ]);
      const problems: PagingProblem[] = [];

      // Email that cannot be sent, while people rely on it.
      const methods = await repository.contactMethods(db, scope === 'all' ? 'all' : memberIds);
      const emailUsers = new Set(methods.filter((m) => m.type === 'email').map((m) => m.userId));
      if (!deps.channels.canEmail && emailUsers.size > 0) {
        problems.push({
          kind: 'channel-not-configured',
          message: `Email is not configured on the server (SMTP_URL), yet ${emailUsers.size === 1 ? '1 person relies' : `${emailUsers.size} people rely`} on an email contact method`,
          teamId: null,
          fixAt: '/profile',
        });
      }

      // Teams nobody is paged for.
      for (const team of teams) {
        if (!policies.some((policy) => policy.teamId === team.id && policy.isDefault)) {
          problems.push({
            kind: 'no-escalation-policy',
            message: `${team.name} has no default escalation policy: its incidents page nobody`,
            teamId: team.id,
            fixAt: '/escalation-policies',
          });
        }
      }

      // Escalation levels that name a person or schedule that no longer exists.
      const targets = policies.flatMap((policy) => policy.levels.flatMap((level) => level.targets));
      const [knownUsers, knownSchedules] = await Promise.all([
        repository.existingIds(
          db,
          'user',
          targets.filter((t) => t.type === 'user').map((t) => t.id),
        ),
        repository.existingIds(
          db,
          'schedule',
          targets.filter((t) => t.type === 'schedule').map((t) => t.id),
        ),
      ]);
      for (const policy of policies) {
        policy.levels.forEach((level, index) => {
          // Team and team-channel targets name the policy's own team, which exists while the policy does.
          const missing = level.targets.filter(
            (t) =>
              (t.type === 'user' || t.type === 'schedule') &&
              !(t.type === 'user' ? knownUsers : knownSchedules).has(t.id),
          );
          if (missing.length === 0) return;
          problems.push({
            kind: 'missing-escalation-target',
            message: `Level ${index + 1} of the escalation policy ${policy.name} (${teamName.get(policy.teamId)}) names a deleted ${missing.map((t) => t.type).join(' and ')}`,
            teamId: policy.teamId,
            fixAt: '/escalation-policies',
          });
        });
      }

      // Levels that post to the team's chat channel while it cannot be posted to.
      for (const policy of policies) {
        const posts = policy.levels.some((level) => level.targets.some((t) => t.type === 'team_channel'));
        if (!posts || (await deps.teamChannelReady?.(policy.teamId)) === true) continue;
        problems.push({
          kind: 'channel-not-configured',
          message: `The escalation policy ${policy.name} (${teamName.get(policy.teamId)}) posts to the team's chat channel, but the Slack app (SLACK_BOT_TOKEN) or the team's Slack channel is not set up`,
          teamId: policy.teamId,
          fixAt: `/teams/${policy.teamId}`,
        });
      }

      // Schedules: gaps in the next 14 days, and who is on call now without a way to be reached.
      const reachable = new Set(methods.map((m) => m.userId));
      const until = new Date(at.getTime() + GAP_WINDOW_DAYS * DAY);
      const unreachable = new Map<string, string>();
      for (const schedule of schedules) {
        const { spans } = await deps.schedulesService.spans(viewer, schedule.id, { from: at, to: until });
        const gaps = gapsOf(spans, at, until);
        if (gaps.length > 0) {
          const first = gaps[0] as { start: Date; end: Date };
          problems.push({
            kind: 'schedule-gap',
            message: `${schedule.name} (${teamName.get(schedule.teamId)}) has nobody on call for ${gaps.length === 1 ? 'a stretch' : `${gaps.length} stretches`} in the next ${GAP_WINDOW_DAYS} days, the first from ${first.start.toISOString()} to ${first.end.toISOString()}`,
            teamId: schedule.teamId,
            fixAt: `/schedules/${schedule.id}`,
          });
        }
        for (const userId of await deps.schedulesService.whoIsOnCall(schedule.id, at)) {
          if (!reachable.has(userId)) unreachable.set(userId, schedule.id);
        }
      }
      const people = await repository.people(db, [...unreachable.keys()]);
      for (const person of people) {
        const schedule = schedules.find((s) => s.id === unreachable.get(person.id));
        problems.push({
          kind: 'on-call-without-contact-method',
          message: `${person.name ?? person.email} is on call for ${schedule?.name ?? 'a schedule'} but has no contact method`,
          teamId: schedule?.teamId ?? null,
          fixAt: `/people/${person.id}`,
        });
      }
      return { checkedAt: at, problems };
    },
  };
}

export type PagingHealthService = ReturnType<typeof createPagingHealthService>;
