import { useState } from 'react';
import { api } from './api';
import { ProblemMessage, useResource } from './components';
import type { EscalationPolicy, ScheduleDetail } from './paging-api';
import { Link } from './router';
import { SettingsCard } from './settings-card';

/** Rename a schedule, change its description or zone, or delete it after saying what goes with it. */
export function ScheduleSettings({ schedule, onSaved }: { schedule: ScheduleDetail; onSaved: () => Promise<void> }) {
  const [timeZone, setTimeZone] = useState(schedule.timeZone);
  return (
    <SettingsCard
      idPrefix="schedule-settings"
      what="Schedule"
      path={`/api/schedules/${schedule.id}`}
      listPath="/schedules"
      current={schedule}
      onSaved={onSaved}
      extraBody={{ timeZone }}
      consequences={<DeleteConsequences schedule={schedule} />}
    >
      <div>
        <label htmlFor="schedule-settings-zone">Time zone (IANA name)</label>
        <input id="schedule-settings-zone" required value={timeZone} onChange={(e) => setTimeZone(e.target.value)} />
      </div>
    </SettingsCard>
  );
}

/** What deleting takes with it, and which escalation policies would then page nobody at that level. */
function DeleteConsequences({ schedule }: { schedule: ScheduleDetail }) {
  const policies = useResource(
    () =>
      api<{ policies: EscalationPolicy[] }>('GET', `/api/escalation-policies?teamId=${schedule.teamId}`).then((body) =>
        body.policies.filter((policy) =>
          policy.levels.some((level) =>
            level.targets.some((target) => target.type === 'schedule' && target.id === schedule.id),
          ),
        ),
      ),
    `policies:${schedule.id}`,
  );
  const rotations = schedule.layers.length;
  return (
    <>
      <p>
        {rotations === 0 ? 'Every' : rotations === 1 ? 'Its rotation, every' : `Its ${rotations} rotations, every`}{' '}
        override and its calendar feeds go with it, and nobody is on call through it any more.
      </p>
      <ProblemMessage error={policies.error} />
      {policies.data !== undefined &&
        (policies.data.length === 0 ? (
          <p>No escalation policy pages this schedule.</p>
        ) : (
          <>
            <p>These escalation policies page this schedule; their levels that name it will reach nobody through it:</p>
            <ul data-testid="affected-policies">
              {policies.data.map((policy) => (
                <li key={policy.id}>
                  <Link href="/escalation-policies">{policy.name}</Link>
                </li>
              ))}
            </ul>
          </>
        ))}
    </>
  );
}
