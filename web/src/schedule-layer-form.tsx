import { type FormEvent, useState } from 'react';
import { api } from './api';
import { describeTurn, move, startOfHour, type TurnUnit, toLocalInput, WEEKDAYS, wallClock } from './calendar';
import { NameField, ProblemMessage, useAction } from './components';
import { personName, type Restriction, type ScheduleLayer } from './paging-api';
import type { TeamMember } from './teams-api';

interface Props {
  scheduleId: string;
  /** The schedule's zone: handover times and restriction windows are its wall-clock times. */
  timeZone: string;
  members: TeamMember[];
  nameOf: (userId: string) => string;
  /** The layer being corrected; absent: a new rotation. */
  layer?: ScheduleLayer;
  onDone: () => Promise<void>;
  onCancel?: () => void;
}

/**
 * Adds a rotation, or corrects one. Corrections become a new version from now (or a later moment)
 * and take over at the next handover, so the past timeline stays as it was (docs/schedules.md).
 */
export function LayerForm({ scheduleId, timeZone, members, nameOf, layer, onDone, onCancel }: Props) {
  const prefix = layer === undefined ? 'layer' : `layer-${layer.id}`;
  const zone = layer?.timeZone ?? timeZone;
  // Without an explicit handover the API hands over at the wall-clock time and weekday of the start.
  const [origin] = useState(() => (layer === undefined ? startOfHour(new Date()) : new Date(layer.startsAt)));
  const implied = wallClock(origin, zone);
  const initialEnd = layer?.endsAt ? toLocalInput(new Date(layer.endsAt)) : '';
  const [name, setName] = useState(layer?.name ?? 'Primary');
  const [participants, setParticipants] = useState<string[]>(layer?.participantIds ?? []);
  const [turnUnit, setTurnUnit] = useState<TurnUnit>(layer?.turnUnit ?? 'weeks');
  const [turnLength, setTurnLength] = useState(layer?.turnLength ?? 1);
  const [startsAt, setStartsAt] = useState(() => toLocalInput(origin));
  const [handoffTime, setHandoffTime] = useState(layer?.handoffTime ?? implied.time);
  const [handoffWeekday, setHandoffWeekday] = useState(layer?.handoffWeekday ?? implied.weekday);
  const [handoffTouched, setHandoffTouched] = useState(layer !== undefined);
  const [restrictions, setRestrictions] = useState<Restriction[]>(layer?.restrictions ?? []);
  const [effectiveFrom, setEffectiveFrom] = useState('');
  const [startIndex, setStartIndex] = useState('');
  const [endsAt, setEndsAt] = useState(initialEnd);
  const action = useAction();

  const toggle = (userId: string, on: boolean) =>
    setParticipants((current) => (on ? [...current, userId] : current.filter((id) => id !== userId)));
  const changeStart = (value: string) => {
    setStartsAt(value);
    // The handover follows the first turn's start until someone sets it on purpose.
    if (!handoffTouched && value !== '') {
      const clock = wallClock(new Date(value), zone);
      setHandoffTime(clock.time);
      setHandoffWeekday(clock.weekday);
    }
  };

  const rotation = {
    turnUnit,
    turnLength,
    handoffTime: turnUnit === 'hours' ? null : handoffTime,
    handoffWeekday: turnUnit === 'weeks' ? handoffWeekday : null,
    restrictions,
    participantIds: participants,
  };
  const body = () => {
    if (layer === undefined) {
      return { name, startsAt: new Date(startsAt).toISOString(), ...rotation };
    }
    const before = {
      turnUnit: layer.turnUnit,
      turnLength: layer.turnLength,
      handoffTime: layer.turnUnit === 'hours' ? null : (layer.handoffTime ?? implied.time),
      handoffWeekday: layer.turnUnit === 'weeks' ? (layer.handoffWeekday ?? implied.weekday) : null,
      restrictions: layer.restrictions,
      participantIds: layer.participantIds,
    };
    // Only a real rotation change makes a new version; a rename alone leaves the rotation be.
    const rotationChanged = JSON.stringify(before) !== JSON.stringify(rotation) || startIndex !== '';
    return {
      ...(name !== layer.name ? { name } : {}),
      ...(endsAt !== initialEnd ? { endsAt: endsAt === '' ? null : new Date(endsAt).toISOString() } : {}),
      ...(rotationChanged ? rotation : {}),
      ...(rotationChanged && effectiveFrom !== '' ? { effectiveFrom: new Date(effectiveFrom).toISOString() } : {}),
      ...(rotationChanged && startIndex !== '' ? { startIndex: Number(startIndex) } : {}),
    };
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      layer === undefined
        ? api('POST', `/api/schedules/${scheduleId}/layers`, body())
        : api('PATCH', `/api/schedules/${scheduleId}/layers/${layer.id}`, body()),
    );
    if (saved === undefined) return;
    if (layer === undefined) setParticipants([]);
    await onDone();
  };

  const title = layer === undefined ? 'Add a rotation' : `Correct “${layer.name}”`;
  return (
    <form onSubmit={submit} aria-labelledby={`${prefix}-title`} className={layer === undefined ? '' : 'editor'}>
      <h3 id={`${prefix}-title`}>{title}</h3>
      {layer !== undefined && (
        <p className="help">
          Changes to who takes turns and when take over at the next handover; past shifts stay as they were.
        </p>
      )}
      <fieldset>
        <legend>Who takes turns</legend>
        {members.length === 0 && <p className="muted small-text">The team has no members yet.</p>}
        {members.map((member) => (
          <div className="checkbox" key={member.userId}>
            <input
              id={`${prefix}-participant-${member.userId}`}
              type="checkbox"
              checked={participants.includes(member.userId)}
              onChange={(e) => toggle(member.userId, e.target.checked)}
            />
            <label htmlFor={`${prefix}-participant-${member.userId}`}>
              {personName(member)}
              {participants.includes(member.userId) && (
                <span className="muted"> (turn {participants.indexOf(member.userId) + 1})</span>
              )}
            </label>
          </div>
        ))}
      </fieldset>
      {participants.length > 1 && (
        <ol className="turn-order" aria-label="Turn order">
          {participants.map((userId, index) => (
            <li key={userId}>
              {nameOf(userId)}{' '}
              <button
                type="button"
                className="secondary small"
                disabled={index === 0}
                onClick={() => setParticipants(move(participants, index, -1))}
              >
                ↑<span className="visually-hidden"> {nameOf(userId)} earlier</span>
              </button>{' '}
              <button
                type="button"
                className="secondary small"
                disabled={index === participants.length - 1}
                onClick={() => setParticipants(move(participants, index, 1))}
              >
                ↓<span className="visually-hidden"> {nameOf(userId)} later</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <div className="form-grid">
        <NameField id={`${prefix}-name`} label="Rotation name" value={name} onChange={setName} />
        <div>
          <label htmlFor={`${prefix}-length`}>Turn length</label>
          <input
            id={`${prefix}-length`}
            type="number"
            min={1}
            required
            value={turnLength}
            onChange={(e) => setTurnLength(Number(e.target.value))}
          />
        </div>
        <div>
          <label htmlFor={`${prefix}-unit`}>Turn unit</label>
          <select id={`${prefix}-unit`} value={turnUnit} onChange={(e) => setTurnUnit(e.target.value as TurnUnit)}>
            <option value="hours">hours</option>
            <option value="days">days</option>
            <option value="weeks">weeks</option>
          </select>
        </div>
        {layer === undefined ? (
          <div>
            <label htmlFor={`${prefix}-start`}>First turn starts</label>
            <input
              id={`${prefix}-start`}
              type="datetime-local"
              required
              value={startsAt}
              onChange={(e) => changeStart(e.target.value)}
            />
          </div>
        ) : (
          <div>
            <label htmlFor={`${prefix}-effective`}>Changes apply from (empty: now)</label>
            <input
              id={`${prefix}-effective`}
              type="datetime-local"
              value={effectiveFrom}
              onChange={(e) => setEffectiveFrom(e.target.value)}
            />
          </div>
        )}
        {turnUnit !== 'hours' && (
          <div>
            <label htmlFor={`${prefix}-handoff`}>Handover time ({zone})</label>
            <input
              id={`${prefix}-handoff`}
              type="time"
              required
              value={handoffTime}
              onChange={(e) => {
                setHandoffTouched(true);
                setHandoffTime(e.target.value);
              }}
            />
          </div>
        )}
        {turnUnit === 'weeks' && (
          <div>
            <label htmlFor={`${prefix}-weekday`}>Handover day</label>
            <select
              id={`${prefix}-weekday`}
              value={handoffWeekday}
              onChange={(e) => {
                setHandoffTouched(true);
                setHandoffWeekday(Number(e.target.value));
              }}
            >
              {WEEKDAYS.map((day, index) => (
                <option key={day} value={index + 1}>
                  {day}
                </option>
              ))}
            </select>
          </div>
        )}
        {layer !== undefined && (
          <>
            <div>
              <label htmlFor={`${prefix}-first`}>Who takes the next turn</label>
              <select id={`${prefix}-first`} value={startIndex} onChange={(e) => setStartIndex(e.target.value)}>
                <option value="">the rotation carries on</option>
                {participants.map((userId, index) => (
                  <option key={userId} value={index}>
                    {nameOf(userId)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor={`${prefix}-ends`}>Rotation stops (optional)</label>
              <input
                id={`${prefix}-ends`}
                type="datetime-local"
                value={endsAt}
                onChange={(e) => setEndsAt(e.target.value)}
              />
            </div>
          </>
        )}
      </div>
      <p className="help">
        Hands over {describeTurn(turnUnit, turnLength)}
        {turnUnit === 'weeks' && ` on ${WEEKDAYS[handoffWeekday - 1]}`}
        {turnUnit !== 'hours' && ` at ${handoffTime} (${zone})`}.
      </p>
      <RestrictionsEditor prefix={prefix} value={restrictions} onChange={setRestrictions} timeZone={zone} />
      <ProblemMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="small" disabled={action.busy || participants.length === 0}>
          {layer === undefined ? 'Add rotation' : 'Save rotation'}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="secondary small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

/** Windows the rotation is on call in (business hours, nights…); none: around the clock. */
function RestrictionsEditor(props: {
  prefix: string;
  value: Restriction[];
  onChange: (value: Restriction[]) => void;
  timeZone: string;
}) {
  const { prefix, value, onChange } = props;
  const set = (index: number, next: Restriction) => onChange(value.map((r, i) => (i === index ? next : r)));
  const toggleDay = (index: number, restriction: Restriction, day: number, on: boolean) => {
    const days = restriction.days ?? [1, 2, 3, 4, 5, 6, 7];
    const next = on ? [...days, day].sort() : days.filter((d) => d !== day);
    // All seven days is the same as no list; an empty list is refused, so it keeps at least one.
    if (next.length === 0) return;
    const { days: _all, ...rest } = restriction;
    set(index, next.length === 7 ? rest : { ...rest, days: next });
  };
  return (
    <fieldset>
      <legend>On call only in these windows ({props.timeZone})</legend>
      {value.length === 0 && <p className="muted small-text">None: the rotation is on call around the clock.</p>}
      {value.map((restriction, index) => (
        // Windows have no id; their place in the list is what identifies them.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above
        <div key={index} className="restriction" data-testid="restriction">
          <label htmlFor={`${prefix}-window-${index}-start`}>Window {index + 1} starts</label>{' '}
          <input
            id={`${prefix}-window-${index}-start`}
            type="time"
            required
            value={restriction.start}
            onChange={(e) => set(index, { ...restriction, start: e.target.value })}
          />{' '}
          <label htmlFor={`${prefix}-window-${index}-end`}>and ends</label>{' '}
          <input
            id={`${prefix}-window-${index}-end`}
            type="time"
            required
            value={restriction.end}
            onChange={(e) => set(index, { ...restriction, end: e.target.value })}
          />
          <div className="weekdays">
            {WEEKDAYS.map((day, dayIndex) => (
              <span className="checkbox" key={day}>
                <input
                  id={`${prefix}-window-${index}-day-${dayIndex + 1}`}
                  type="checkbox"
                  checked={restriction.days === undefined || restriction.days.includes(dayIndex + 1)}
                  onChange={(e) => toggleDay(index, restriction, dayIndex + 1, e.target.checked)}
                />
                <label htmlFor={`${prefix}-window-${index}-day-${dayIndex + 1}`}>{day.slice(0, 3)}</label>
              </span>
            ))}
          </div>
          <button
            type="button"
            className="secondary small"
            onClick={() => onChange(value.filter((_, i) => i !== index))}
          >
            Remove window {index + 1}
          </button>
        </div>
      ))}
      <button
        type="button"
        className="secondary small"
        onClick={() => onChange([...value, { days: [1, 2, 3, 4, 5], start: '09:00', end: '17:00' }])}
      >
        Add a window
      </button>
    </fieldset>
  );
}
