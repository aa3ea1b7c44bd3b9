import { type FormEvent, useState } from 'react';
import { api } from '../api';
import { addDays, calendarDays, startOfDay } from '../calendar';
import { EmptyState, Loading, ProblemMessage, TableWrap, Time, useAction, useResource } from '../components';
import {
  loadMembers,
  loadTeams,
  type Override,
  personName,
  type ScheduleDetail,
  type Span,
  type Spans,
  type TeamMember,
  type UserSummary,
} from '../paging-api';
import { Link } from '../router';
import { OnCallNow } from './Schedules';

const RANGES = [7, 14, 28] as const;
/** Pale backgrounds that keep dark text above 4.5:1; a person keeps their colour across the page. */
const PALETTE = ['#cfe2ff', '#d1f0d8', '#ffe1b3', '#f3d1f4', '#c9eef0', '#fde2e1', '#e6e0ff', '#fff3b0'];

/** A Date as the value of an `<input type="datetime-local">` (local time, minutes). */
const toLocalInput = (date: Date) => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
};
const shortTime = (value: string | Date) =>
  new Date(value).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

export function ScheduleDetailPage({ id }: { id: string }) {
  const schedule = useResource(() => api<ScheduleDetail>('GET', `/api/schedules/${id}`), id);
  const teamId = schedule.data?.teamId ?? '';
  const members = useResource(() => (teamId === '' ? Promise.resolve([]) : loadMembers(teamId)), teamId);
  const teams = useResource(loadTeams, 'teams');
  const [days, setDays] = useState<(typeof RANGES)[number]>(7);
  const from = startOfDay(new Date());
  const to = addDays(from, days);
  const rangeKey = `${id}:${from.toISOString()}:${to.toISOString()}`;
  const spans = useResource(
    () => api<Spans>('GET', `/api/schedules/${id}/spans?from=${from.toISOString()}&to=${to.toISOString()}`),
    rangeKey,
    60_000,
  );
  const overrides = useResource(
    () =>
      api<{ overrides: Override[] }>(
        'GET',
        `/api/schedules/${id}/overrides?from=${new Date().toISOString()}&to=${to.toISOString()}`,
      ).then((body) => body.overrides),
    rangeKey,
  );
  const removeOverride = useAction();
  const [version, setVersion] = useState(0);
  const refresh = async () => {
    setVersion((current) => current + 1);
    await Promise.all([schedule.reload(), spans.reload(), overrides.reload()]);
  };

  if (schedule.data === undefined) {
    return (
      <section>
        <p>
          <Link href="/schedules">← Schedules</Link>
        </p>
        <ProblemMessage error={schedule.error} />
        {schedule.error === null && <Loading />}
      </section>
    );
  }
  const current = schedule.data;
  const users = new Map<string, UserSummary>([
    ...(members.data ?? []).map((m): [string, UserSummary] => [
      m.userId,
      { id: m.userId, email: m.email, name: m.name },
    ]),
    ...(spans.data?.users ?? []).map((u): [string, UserSummary] => [u.id, u]),
  ]);
  const nameOf = (userId: string) => personName(users.get(userId), 'a former member');
  const layerName = new Map(current.layers.map((layer) => [layer.id, layer.name]));
  const deleteOverride = async (override: Override) => {
    if (!window.confirm(`Delete the override for ${nameOf(override.userId)}?`)) return;
    await removeOverride.run(() => api('DELETE', `/api/schedules/${id}/overrides/${override.id}`));
    await refresh();
  };

  return (
    <section aria-labelledby="schedule-title">
      <p>
        <Link href="/schedules">← Schedules</Link>
      </p>
      <div className="page-head">
        <h1 id="schedule-title">{current.name}</h1>
        <span className="muted">
          {teams.data?.find((team) => team.id === current.teamId)?.name} · {current.timeZone}
        </span>
      </div>
      {current.description !== null && <p>{current.description}</p>}
      <div className="card">
        <h2>On call now</h2>
        <OnCallNow scheduleId={id} version={version} />
      </div>

      <div className="card">
        <div className="page-head">
          <h2 id="timeline-title">Timeline</h2>
          <div>
            <label htmlFor="timeline-range" className="inline-label">
              Show
            </label>
            <select
              id="timeline-range"
              value={days}
              onChange={(e) => setDays(Number(e.target.value) as (typeof RANGES)[number])}
            >
              {RANGES.map((range) => (
                <option key={range} value={range}>
                  {range} days
                </option>
              ))}
            </select>
          </div>
        </div>
        <p className="help">
          In your browser’s time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}). Hatched: an override.
        </p>
        <ProblemMessage error={spans.error} />
        {spans.data === undefined ? (
          spans.error === null && <Loading />
        ) : spans.data.spans.length === 0 ? (
          <EmptyState title="Nobody is on call in these days">
            <p>
              {current.canManage
                ? 'Add a rotation below (who takes turns, and how often), or an override for a one-off shift.'
                : 'Ask a team manager to add a rotation.'}
            </p>
          </EmptyState>
        ) : (
          <>
            <Calendar spans={spans.data.spans} from={from} days={days} nameOf={nameOf} />
            <TableWrap label="Shifts">
              <table className="shifts">
                <caption>Shifts</caption>
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Because of</th>
                  </tr>
                </thead>
                <tbody>
                  {spans.data.spans.map((span) => (
                    <tr key={`${span.userId}:${span.start}`} data-testid="shift">
                      <td>{nameOf(span.userId)}</td>
                      <td>{shortTime(span.start)}</td>
                      <td>{shortTime(span.end)}</td>
                      <td>
                        {span.overrideId !== null
                          ? 'override'
                          : span.layerId !== null
                            ? (layerName.get(span.layerId) ?? 'a layer')
                            : '—'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </div>

      <div className="grid-2">
        <div className="card">
          <h2>Rotations</h2>
          {current.layers.length === 0 ? (
            <p className="muted">No rotation yet.</p>
          ) : (
            <ol className="plain-list">
              {current.layers.map((layer) => (
                <li key={layer.id}>
                  <strong>{layer.name}</strong>: {layer.participantIds.map(nameOf).join(' → ')}
                  <span className="muted small-text">
                    {' '}
                    · every {layer.turnLength} {layer.turnUnit} from <Time value={layer.startsAt} />
                  </span>
                </li>
              ))}
            </ol>
          )}
          {current.canManage && <AddLayer scheduleId={id} members={members.data ?? []} onDone={refresh} />}
        </div>
        <div className="card">
          <h2>Overrides</h2>
          <ProblemMessage error={overrides.error ?? removeOverride.error} />
          {(overrides.data ?? []).length === 0 ? (
            <p className="muted">No overrides ahead.</p>
          ) : (
            <ul className="plain-list">
              {(overrides.data ?? []).map((override) => (
                <li key={override.id} data-testid="override">
                  <strong>{nameOf(override.userId)}</strong> {shortTime(override.startsAt)} –{' '}
                  {shortTime(override.endsAt)}
                  {override.note !== null && <span className="muted"> · {override.note}</span>}{' '}
                  {current.canManage && (
                    <button type="button" className="danger small" onClick={() => deleteOverride(override)}>
                      Delete<span className="visually-hidden"> override for {nameOf(override.userId)}</span>
                    </button>
                  )}
                </li>
              ))}
            </ul>
          )}
          {current.canManage && <AddOverride scheduleId={id} members={members.data ?? []} onDone={refresh} />}
        </div>
      </div>
    </section>
  );
}

/** One row per day, each a 24-hour bar with the spans laid on it. */
function Calendar(props: { spans: Span[]; from: Date; days: number; nameOf: (userId: string) => string }) {
  const colour = new Map<string, string>();
  for (const span of props.spans) {
    if (!colour.has(span.userId)) colour.set(span.userId, PALETTE[colour.size % PALETTE.length] ?? '#eaeef2');
  }
  const rows = calendarDays(props.spans, props.from, props.days);
  return (
    <div className="calendar" aria-hidden="true">
      <div className="calendar-row calendar-hours">
        <span className="calendar-day" />
        <div className="calendar-bar">
          {[0, 6, 12, 18].map((hour) => (
            <span key={hour} style={{ left: `${(hour / 24) * 100}%` }}>
              {String(hour).padStart(2, '0')}:00
            </span>
          ))}
        </div>
      </div>
      {rows.map(({ start, segments }) => (
        <div className="calendar-row" key={start.toISOString()}>
          <span className="calendar-day">
            <span>{start.toLocaleDateString(undefined, { weekday: 'short' })}</span>{' '}
            <span>{start.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })}</span>
          </span>
          <div className="calendar-bar">
            {segments.map(({ span, left, width }) => (
              <span
                key={`${span.userId}:${span.start}`}
                className={span.overrideId !== null ? 'segment override' : 'segment'}
                style={{ left: `${left}%`, width: `${width}%`, backgroundColor: colour.get(span.userId) }}
                title={`${props.nameOf(span.userId)}: ${shortTime(span.start)} – ${shortTime(span.end)}${span.overrideId !== null ? ' (override)' : ''}`}
              >
                {width > 12 ? props.nameOf(span.userId) : ''}
              </span>
            ))}
          </div>
        </div>
      ))}
      <ul className="legend">
        {[...colour].map(([userId, background]) => (
          <li key={userId}>
            <span className="swatch" style={{ background }} /> {props.nameOf(userId)}
          </li>
        ))}
      </ul>
    </div>
  );
}

function MemberSelect(props: { id: string; members: TeamMember[]; value: string; onChange: (value: string) => void }) {
  return (
    <select id={props.id} required value={props.value} onChange={(e) => props.onChange(e.target.value)}>
      <option value="">choose a team member</option>
      {props.members.map((member) => (
        <option key={member.userId} value={member.userId}>
          {personName(member)}
        </option>
      ))}
    </select>
  );
}

function AddLayer(props: { scheduleId: string; members: TeamMember[]; onDone: () => Promise<void> }) {
  const [name, setName] = useState('Primary');
  const [participants, setParticipants] = useState<string[]>([]);
  const [turnUnit, setTurnUnit] = useState<'hours' | 'days' | 'weeks'>('weeks');
  const [turnLength, setTurnLength] = useState(1);
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date()));
  const action = useAction();
  const toggle = (userId: string, on: boolean) =>
    setParticipants((current) => (on ? [...current, userId] : current.filter((id) => id !== userId)));
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await action.run(() =>
      api('POST', `/api/schedules/${props.scheduleId}/layers`, {
        name,
        startsAt: new Date(startsAt).toISOString(),
        turnUnit,
        turnLength,
        participantIds: participants,
      }),
    );
    if (made !== undefined) {
      setParticipants([]);
      await props.onDone();
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="add-layer-title">
      <h3 id="add-layer-title">Add a rotation</h3>
      <fieldset>
        <legend>Who takes turns (in the order you tick them)</legend>
        {props.members.length === 0 && <p className="muted small-text">The team has no members yet.</p>}
        {props.members.map((member) => (
          <div className="checkbox" key={member.userId}>
            <input
              id={`participant-${member.userId}`}
              type="checkbox"
              checked={participants.includes(member.userId)}
              onChange={(e) => toggle(member.userId, e.target.checked)}
            />
            <label htmlFor={`participant-${member.userId}`}>
              {personName(member)}
              {participants.includes(member.userId) && (
                <span className="muted"> (turn {participants.indexOf(member.userId) + 1})</span>
              )}
            </label>
          </div>
        ))}
      </fieldset>
      <div className="form-grid">
        <div>
          <label htmlFor="layer-name">Rotation name</label>
          <input id="layer-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="layer-length">Turn length</label>
          <input
            id="layer-length"
            type="number"
            min={1}
            required
            value={turnLength}
            onChange={(e) => setTurnLength(Number(e.target.value))}
          />
        </div>
        <div>
          <label htmlFor="layer-unit">Turn unit</label>
          <select
            id="layer-unit"
            value={turnUnit}
            onChange={(e) => setTurnUnit(e.target.value as 'hours' | 'days' | 'weeks')}
          >
            <option value="hours">hours</option>
            <option value="days">days</option>
            <option value="weeks">weeks</option>
          </select>
        </div>
        <div>
          <label htmlFor="layer-start">First turn starts</label>
          <input
            id="layer-start"
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
          />
        </div>
      </div>
      <ProblemMessage error={action.error} />
      <button type="submit" className="small" disabled={action.busy || participants.length === 0}>
        Add rotation
      </button>
    </form>
  );
}

function AddOverride(props: { scheduleId: string; members: TeamMember[]; onDone: () => Promise<void> }) {
  const [userId, setUserId] = useState('');
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date()));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(Date.now() + 8 * 60 * 60 * 1000)));
  const [note, setNote] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await action.run(() =>
      api('POST', `/api/schedules/${props.scheduleId}/overrides`, {
        userId,
        startsAt: new Date(startsAt).toISOString(),
        endsAt: new Date(endsAt).toISOString(),
        ...(note === '' ? {} : { note }),
      }),
    );
    if (made !== undefined) {
      setNote('');
      await props.onDone();
    }
  };
  return (
    <form onSubmit={submit} aria-labelledby="add-override-title">
      <h3 id="add-override-title">Add an override</h3>
      <p className="help">Someone covers a stretch of time, above every rotation.</p>
      <div className="form-grid">
        <div>
          <label htmlFor="override-user">Who covers</label>
          <MemberSelect id="override-user" members={props.members} value={userId} onChange={setUserId} />
        </div>
        <div>
          <label htmlFor="override-start">From</label>
          <input
            id="override-start"
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="override-end">Until</label>
          <input
            id="override-end"
            type="datetime-local"
            required
            value={endsAt}
            onChange={(e) => setEndsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor="override-note">Note (optional)</label>
          <input id="override-note" maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      <ProblemMessage error={action.error} />
      <button type="submit" className="small" disabled={action.busy || userId === ''}>
        Add override
      </button>
    </form>
  );
}
