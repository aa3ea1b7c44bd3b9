import { type FormEvent, useState } from 'react';
import { api } from './api';
import { ProblemMessage, useAction, useResource } from './components';
import type { EscalationPolicy, ScheduleDetail } from './paging-api';
import { Link, navigate } from './router';

/** Rename a schedule, change its description or zone, or delete it after saying what goes with it. */
export function ScheduleSettings({ schedule, onSaved }: { schedule: ScheduleDetail; onSaved: () => Promise<void> }) {
  const [name, setName] = useState(schedule.name);
  const [description, setDescription] = useState(schedule.description ?? '');
  const [timeZone, setTimeZone] = useState(schedule.timeZone);
  const [showDelete, setShowDelete] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState('');
  const action = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      api<ScheduleDetail>('PATCH', `/api/schedules/${schedule.id}`, {
        name,
        description: description.trim() === '' ? null : description,
        timeZone,
      }),
    );
    if (saved !== undefined) await onSaved();
  };
  const remove = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(async () => {
      await api('DELETE', `/api/schedules/${schedule.id}`);
      return true;
    });
    if (done) navigate('/schedules');
  };
  return (
    <div className="card">
      <form onSubmit={save} aria-labelledby="schedule-settings-title">
        <h2 id="schedule-settings-title">Settings</h2>
        <ProblemMessage error={action.error} />
        <div className="form-grid">
          <div>
            <label htmlFor="schedule-settings-name">Name</label>
            <input
              id="schedule-settings-name"
              required
              maxLength={100}
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="schedule-settings-description">Description</label>
            <input
              id="schedule-settings-description"
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          <div>
            <label htmlFor="schedule-settings-zone">Time zone (IANA name)</label>
            <input
              id="schedule-settings-zone"
              required
              value={timeZone}
              onChange={(e) => setTimeZone(e.target.value)}
            />
          </div>
        </div>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Save
          </button>
          {!showDelete && (
            <button type="button" className="danger" onClick={() => setShowDelete(true)}>
              Delete schedule…
            </button>
          )}
        </div>
      </form>
      {showDelete && (
        <form onSubmit={remove} className="warning" aria-labelledby="schedule-delete-title">
          <h3 id="schedule-delete-title">Delete {schedule.name}?</h3>
          <DeleteConsequences schedule={schedule} />
          <p>
            Type <strong>{schedule.name}</strong> to confirm.
          </p>
          <label htmlFor="confirm-schedule-delete">Schedule name</label>
          <input
            id="confirm-schedule-delete"
            value={confirmDelete}
            onChange={(e) => setConfirmDelete(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={confirmDelete !== schedule.name || action.busy}>
              Delete permanently
            </button>
            <button type="button" className="secondary" onClick={() => setShowDelete(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
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
