import type { EscalationTarget } from '../../core/escalation-policies.js';
import type { Executor, Transaction } from '../../db/client.js';
import type { IncidentRow } from '../../db/schema/index.js';
import type { EscalationScheduler, EscalationStep } from '../incidents/incidents.service.js';
import { notificationRows } from '../notifications/notification-planner.js';
import type { NewNotification } from '../notifications/notifications.repository.js';
import { createEscalationRepository, type StepCursor, type StepTimelineEntry } from './escalation.repository.js';
import type { EscalationEngineOptions } from './escalation-engine.js';

export type EscalationStepsDeps = Pick<
  EscalationEngineOptions,
  | 'database'
  | 'policiesRepository'
  | 'notificationsRepository'
  | 'teamsRepository'
  | 'resolver'
  | 'authz'
  | 'minuteMs'
  | 'now'
  | 'teamChannel'
> & {
  /** Where a step's notifications and the next step are enqueued, after its commit. */
  scheduler: Pick<EscalationScheduler, 'due'>;
};

const matches = (incident: IncidentRow | undefined, step: EscalationStep): incident is IncidentRow =>
  incident !== undefined &&
  incident.status === 'triggered' &&
  incident.escalationLevel === step.level &&
  incident.escalationRepetition === step.repetition;

/**
 * The escalation steps: one level of one round notifies its targets (planned per person's
 * notification rules) and moves the incident's cursor to the next level, the next round, or the
 * end, in one statement that applies only if the incident is still as the step found it.
 */
export function createEscalationSteps(options: EscalationStepsDeps) {
  const { database, policiesRepository, notificationsRepository, scheduler } = options;
  const db = database.db;
  const escalationRepository = createEscalationRepository();
  const now = options.now ?? (() => new Date());
  const minuteMs = options.minuteMs ?? 60_000;

  /**
   * Targets of one level, resolved outside the transaction (a schedule lookup may query the
   * database), with the names the timeline shows: "Bob Builder (on call for storage primary)".
   * Only what still belongs to the incident's team is paged: a user target or an on-call person
   * who has left the team, or a schedule that is not the team's, is skipped and recorded (the
   * policy was checked when saved; this covers what changed since). A team target pages the
   * members of the incident's own team only.
   */
  async function resolveTargets(teamId: string, level: { targets: EscalationTarget[] }, at: Date) {
    // Membership and names of the people named in the level in one statement (authz reads both).
    const direct = await options.authz.partitionReferences(db, teamId, {
      userIds: level.targets.filter((target) => target.type === 'user').map((target) => target.id),
      scheduleIds: level.targets.filter((target) => target.type === 'schedule').map((target) => target.id),
    });
    const onCall: string[] = [];
    const emptySchedules: string[] = [];
    const viaSchedule = new Map<string, string>();
    if (level.targets.some((target) => target.type === 'team' && target.id === teamId)) {
      onCall.push(...(await options.teamsRepository.listMembers(db, teamId)).map((member) => member.userId));
    }
    for (const scheduleId of direct.scheduleIds) {
      const people = await options.resolver.whoIsOnCall(scheduleId, at);
      if (people.length === 0) emptySchedules.push(scheduleId);
      for (const userId of people) if (!viaSchedule.has(userId)) viaSchedule.set(userId, scheduleId);
      onCall.push(...people);
    }
    const viaSchedules = await options.authz.partitionReferences(db, teamId, { userIds: onCall, scheduleIds: [] });
    const people = new Map([...direct.names, ...viaSchedules.names]);
    const scheduleNames = await policiesRepository.scheduleNamesByIds(db, [
      ...new Set([...viaSchedule.values(), ...emptySchedules]),
    ]);
    const nameOf = (userId: string) => {
      const name = people.get(userId) ?? 'someone';
      const schedule = viaSchedule.get(userId);
      return schedule === undefined ? name : `${name} (on call for ${scheduleNames.get(schedule) ?? 'a schedule'})`;
    };
    return {
      userIds: [...new Set([...direct.userIds, ...viaSchedules.userIds])],
      emptySchedules,
      emptyScheduleNames: emptySchedules.map((id) => scheduleNames.get(id) ?? 'a deleted schedule'),
      nameOf,
      skipped: {
        userIds: [...new Set([...direct.strangerUserIds, ...viaSchedules.strangerUserIds])],
        scheduleIds: direct.foreignScheduleIds,
      },
    };
  }

  /**
   * Runs one step: plans it from a snapshot of the incident (its notifications, timeline and next
   * cursor), then applies the plan in one statement that moves the cursor only if the incident is
   * still as planned from (triggered, at this step, same first round and urgency), writing the
   * notifications and timeline only then: atomic, so exactly once in effect, without BEGIN,
   * a locking read and COMMIT. `alsoInTransaction` writes what must commit with the step and
   * only if it runs (the audit entry of a person's "escalate now"); the statement then runs in
   * a transaction with it.
   */
  async function runStep(
    step: EscalationStep,
    alsoInTransaction?: (tx: Transaction) => Promise<void>,
  ): Promise<'ran' | 'stale'> {
    // The incident and its policy in one statement (each round trip is what a storm queues behind).
    const found = await escalationRepository.findIncidentWithPolicy(db, step.incidentId);
    const incident = found?.incident;
    if (!matches(incident, step)) return 'stale';
    const policy = found?.policy ?? undefined;
    const level = policy?.levels[step.level];
    const targets = level === undefined ? undefined : await resolveTargets(incident.teamId, level, now());
    // The team's own chat channel only (a policy cannot post to another team's channel), and only
    // with a chat app to post through.
    const postsToChannel =
      options.teamChannel !== undefined &&
      level?.targets.some((t) => t.type === 'team_channel' && t.id === incident.teamId) === true;
    const people =
      targets === undefined || targets.userIds.length === 0
        ? undefined
        : await notificationsRepository.listContactMethodsAndRules(db, targets.userIds);

    const at = now();
    const entry = (kind: StepTimelineEntry['kind'], message: string, metadata: Record<string, unknown> = {}) => ({
      kind,
      message,
      metadata: { level: step.level, repetition: step.repetition, ...metadata },
    });
    const timeline: StepTimelineEntry[] = [];
    const notifications: NewNotification[] = [];
    let cursor: StepCursor;
    if (policy === undefined) {
      timeline.push(entry('no_escalation_policy', 'The escalation policy was deleted: escalation stops'));
      cursor = {
        assigneeUserId: null,
        escalationLevel: null,
        escalationRepetition: step.repetition,
        nextEscalationAt: null,
      };
    } else {
      const label = `level ${step.level + 1}${policy.repeatCount > 0 ? ` (round ${step.repetition + 1})` : ''}`;
      let delayMinutes = 0;
      let assignee: string | null = null;
      if (level !== undefined && targets !== undefined) {
        const { skipped } = targets;
        if (skipped.userIds.length > 0 || skipped.scheduleIds.length > 0) {
          timeline.push(
            entry(
              'target_skipped',
              `Skipped at ${label}: ${skipped.userIds.length} person(s) and ${skipped.scheduleIds.length} schedule(s) no longer of the team`,
              { userIds: skipped.userIds, scheduleIds: skipped.scheduleIds },
            ),
          );
        }
        if (targets.emptySchedules.length > 0) {
          timeline.push(
            entry('nobody_on_call', `Nobody on call for ${listOf(targets.emptyScheduleNames)} at ${label}`, {
              scheduleIds: targets.emptySchedules,
            }),
          );
        }
        if (postsToChannel) {
          // A notification like a person's: sent by the notification sender after commit, retried
          // with backoff, re-enqueued by the reconciliation after a crash.
          notifications.push({
            incidentId: incident.id,
            userId: null,
            contactMethodId: null,
            teamId: incident.teamId,
            contactMethodType: 'team_channel',
            level: step.level,
            repetition: step.repetition,
            ruleDelayMinutes: 0,
            scheduledAt: at,
            createdAt: at,
          });
          timeline.push(entry('escalated', `Escalated to ${label}: the team's chat channel`, { teamChannel: true }));
          delayMinutes = level.delayMinutes;
        }
        if (people === undefined) {
          if (!postsToChannel) {
            timeline.push(entry('nobody_on_call', `Nobody to notify at ${label}: moving on at once`));
          }
        } else {
          const planned = notificationRows(
            people.methods,
            people.rules,
            {
              incidentId: incident.id,
              level: step.level,
              repetition: step.repetition,
              userIds: targets.userIds,
              urgency: incident.urgency,
            },
            at,
            minuteMs,
          );
          notifications.push(...planned.rows);
          timeline.push(
            entry('escalated', `Escalated to ${label}: ${listOf(targets.userIds.map(targets.nameOf))}`, {
              userIds: targets.userIds,
            }),
          );
          if (planned.unreachable.length > 0) {
            timeline.push(
              entry(
                'no_contact_method',
                `No contact method, so not notified: ${listOf(planned.unreachable.map(targets.nameOf))}`,
                {
                  userIds: planned.unreachable,
                },
              ),
            );
          }
          assignee = targets.userIds[0] ?? null;
          delayMinutes = level.delayMinutes;
        }
      }
      const lastLevel = step.level + 1 >= policy.levels.length;
      const next = !lastLevel
        ? { level: step.level + 1, repetition: step.repetition }
        : step.repetition - incident.escalationFirstRound < policy.repeatCount
          ? { level: 0, repetition: step.repetition + 1 }
          : undefined;
      if (next === undefined) {
        timeline.push(entry('escalation_exhausted', 'Every level has been notified: no further escalation'));
      }
      cursor = {
        assigneeUserId: assignee,
        escalationLevel: next?.level ?? null,
        escalationRepetition: next?.repetition ?? step.repetition,
        nextEscalationAt: next === undefined ? null : new Date(at.getTime() + delayMinutes * minuteMs),
      };
    }

    const apply = (executor: Executor) =>
      escalationRepository.applyStep(executor, incident, step, { cursor, notifications, timeline, at });
    const applied =
      alsoInTransaction === undefined
        ? await apply(db)
        : await db.transaction(async (tx) => {
            const done = await apply(tx);
            if (done !== undefined) await alsoInTransaction(tx);
            return done;
          });
    // Someone acknowledged, resolved, re-triggered or raised its urgency since the snapshot.
    if (applied === undefined) return 'stale';
    const next = cursor.escalationLevel === null ? [] : [{ ...incident, ...cursor }];
    await scheduler.due({ notifications: applied.notifications, steps: next });
    return 'ran';
  }

  return { resolveTargets, runStep };
}

/** "Ann", "Ann and Bob", "Ann, Bob and Cy": names in a sentence. */
function listOf(names: string[]): string {
  if (names.length <= 1) return names[0] ?? 'nobody';
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}
