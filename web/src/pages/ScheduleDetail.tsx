import { useState } from 'react';
import { api, type Me } from '../api';
import { addDays, calendarDays, describeTurn, shiftOf, startOfDay } from '../calendar';
import { EmptyState, Loading, ProblemMessage, TableWrap, Time, useAction, useResource } from '../components';
import {
  type Override,
  personName,
  type ScheduleDetail,
  type ScheduleLayer,
  type Spans,
  type UserSummary,
} from '../paging-api';
import { Link } from '../router';
import { LayerForm } from '../schedule-layer-form';
import { type OverrideDraft, OverrideForm } from '../schedule-override-form';
import { ScheduleSettings } from '../schedule-settings';
import { loadMembers, loadTeams } from '../teams-api';
import { OnCallNow } from './Schedules';

type TimelineSpan = Spans['spans'][number];

/** Whether a shift can still be taken or covered: an override of a shift that has ended would change nothing. */
const shiftIsOpen = (span: TimelineSpan) => new Date(shiftOf(span).end).getTime() > Date.now();

const RANGES = [7, 14, 28] as const;
/** Pale backgrounds that keep dark text above 4.5:1; a person keeps their colour across the page. */
const PALETTE = ['#cfe2ff', '#d1f0d8', '#ffe1b3', '#f3d1f4', '#c9eef0', '#fde2e1', '#e6e0ff', '#fff3b0'];

const shortTime = (value: string | Date) =>
  new Date(value).toLocaleString(undefined, {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    hour: '2-digit',
    minute: '2-digit',
  });

export function ScheduleDetailPage({ id, me }: { id: string; me: Me }) {
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
  const remove = useAction();
  const [version, setVersion] = useState(0);
  const [editingLayer, setEditingLayer] = useState<string | null>(null);
  const [editingOverride, setEditingOverride] = useState<string | null>(null);
  const [selected, setSelected] = useState<TimelineSpan | null>(null);
  // A new draft (and key) each time a shift is taken or covered, so the form starts from it.
  const [draft, setDraft] = useState<{ key: number; value: OverrideDraft } | null>(null);
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
  const memberList = members.data ?? [];
  const users = new Map<string, UserSummary>([
    ...memberList.map((m): [string, UserSummary] => [m.userId, { id: m.userId, email: m.email, name: m.name }]),
    ...(spans.data?.users ?? []).map((u): [string, UserSummary] => [u.id, u]),
  ]);
  const nameOf = (userId: string) => personName(users.get(userId), 'a former member');
  const layerName = new Map(current.layers.map((layer) => [layer.id, layer.name]));
  const iAmMember = memberList.some((member) => member.userId === me.id);
  const cause = (span: TimelineSpan) =>
    span.overrideId !== null ? 'override' : span.layerId !== null ? (layerName.get(span.layerId) ?? 'a layer') : '—';

  const deleteOverride = async (override: Override) => {
    if (
      !window.confirm(
        `Delete the override for ${nameOf(override.userId)}? Whoever the rotations name is on call again.`,
      )
    )
      return;
    await remove.run(() => api('DELETE', `/api/schedules/${id}/overrides/${override.id}`));
    await refresh();
  };
  const deleteLayer = async (layer: ScheduleLayer) => {
    const question = `Delete the rotation “${layer.name}”? It disappears from the timeline, past shifts included. To stop it but keep its history, correct it and set when it stops.`;
    if (!window.confirm(question)) return;
    await remove.run(() => api('DELETE', `/api/schedules/${id}/layers/${layer.id}`));
    await refresh();
  };
  const cover = (span: TimelineSpan, userId: string) => {
    const shift = shiftOf(span);
    setDraft((previous) => ({
      key: (previous?.key ?? 0) + 1,
      value: { userId, startsAt: shift.start, endsAt: shift.end, note: null, focus: userId === '' ? 'who' : 'submit' },
    }));
  };
  const overridesDone = async () => {
    setDraft(null);
    setSelected(null);
    setEditingOverride(null);
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
          {current.canManage && ' Pick a shift (on the timeline or in the table) to take it or have someone cover it.'}
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
            <Calendar
              spans={spans.data.spans}
              from={from}
              days={days}
              nameOf={nameOf}
              selected={selected}
              onSelect={current.canManage ? setSelected : undefined}
            />
            {current.canManage && selected !== null && (
              <div className="card selected-shift" data-testid="selected-shift" aria-live="polite">
                <p>
                  <strong>{nameOf(selected.userId)}</strong> ({cause(selected)}) {shortTime(shiftOf(selected).start)} –{' '}
                  {shortTime(shiftOf(selected).end)}
                </p>
                {shiftIsOpen(selected) ? null : (
                  <p className="help">
                    This shift has ended: an override changes who is on call from now on, so pick a shift that is still
                    to come.
                  </p>
                )}
                <div className="actions">
                  {shiftIsOpen(selected) && iAmMember && selected.userId !== me.id && (
                    <button type="button" className="small" onClick={() => cover(selected, me.id)}>
                      Take this shift
                    </button>
                  )}
                  {shiftIsOpen(selected) && (
                    <button type="button" className="small secondary" onClick={() => cover(selected, '')}>
                      Cover with…
                    </button>
                  )}
                  <button type="button" className="small secondary" onClick={() => setSelected(null)}>
                    Clear
                  </button>
                </div>
              </div>
            )}
            <TableWrap label="Shifts">
              <table className="shifts">
                <caption>Shifts</caption>
                <thead>
                  <tr>
                    <th scope="col">Who</th>
                    <th scope="col">From</th>
                    <th scope="col">To</th>
                    <th scope="col">Because of</th>
                    {current.canManage && (
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    )}
                  </tr>
                </thead>
                <tbody>
                  {spans.data.spans.map((span) => {
                    const shift = shiftOf(span);
                    return (
                      <tr
                        key={`${span.userId}:${span.start}`}
                        data-testid="shift"
                        className={span === selected ? 'selected' : undefined}
                      >
                        <td>{nameOf(span.userId)}</td>
                        <td>{shift.openStart ? `before ${shortTime(shift.start)}` : shortTime(shift.start)}</td>
                        <td>{shift.openEnd ? `after ${shortTime(shift.end)}` : shortTime(shift.end)}</td>
                        <td>{cause(span)}</td>
                        {current.canManage && (
                          <td>
                            <button type="button" className="small secondary" onClick={() => setSelected(span)}>
                              Pick
                              <span className="visually-hidden">
                                {' '}
                                the shift of {nameOf(span.userId)} from {shortTime(shift.start)}
                              </span>
                            </button>
                          </td>
                        )}
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </TableWrap>
          </>
        )}
      </div>

      <div className="grid-2">
        <div className="card">
          <h2>Rotations</h2>
          <ProblemMessage error={remove.error} />
          {current.layers.length === 0 ? (
            <p className="muted">No rotation yet.</p>
          ) : (
            <ol className="plain-list">
              {current.layers.map((layer) =>
                editingLayer === layer.id ? (
                  <li key={layer.id}>
                    <LayerForm
                      scheduleId={id}
                      timeZone={current.timeZone}
                      members={memberList}
                      nameOf={nameOf}
                      layer={layer}
                      onDone={async () => {
                        setEditingLayer(null);
                        await refresh();
                      }}
                      onCancel={() => setEditingLayer(null)}
                    />
                  </li>
                ) : (
                  <li key={layer.id} data-testid="layer">
                    <strong>{layer.name}</strong>: {layer.participantIds.map(nameOf).join(' → ')}
                    <span className="muted small-text">
                      {' '}
                      · {describeTurn(layer.turnUnit, layer.turnLength)}
                      {layer.handoffTime !== null && ` at ${layer.handoffTime}`} from <Time value={layer.startsAt} />
                      {layer.endsAt !== null && (
                        <>
                          {' '}
                          until <Time value={layer.endsAt} />
                        </>
                      )}
                      {layer.restrictions.length > 0 &&
                        ` · only ${layer.restrictions.map((r) => `${r.start}–${r.end}`).join(', ')}`}
                    </span>{' '}
                    {current.canManage && (
                      <>
                        <button type="button" className="secondary small" onClick={() => setEditingLayer(layer.id)}>
                          Edit<span className="visually-hidden"> rotation {layer.name}</span>
                        </button>{' '}
                        <button type="button" className="danger small" onClick={() => deleteLayer(layer)}>
                          Delete<span className="visually-hidden"> rotation {layer.name}</span>
                        </button>
                      </>
                    )}
                  </li>
                ),
              )}
            </ol>
          )}
          {current.canManage && editingLayer === null && (
            <LayerForm
              scheduleId={id}
              timeZone={current.timeZone}
              members={memberList}
              nameOf={nameOf}
              onDone={refresh}
            />
          )}
        </div>
        <div className="card">
          <h2>Overrides</h2>
          <ProblemMessage error={overrides.error} />
          {(overrides.data ?? []).length === 0 ? (
            <p className="muted">No overrides ahead.</p>
          ) : (
            <ul className="plain-list">
              {(overrides.data ?? []).map((override) =>
                editingOverride === override.id ? (
                  <li key={override.id}>
                    <OverrideForm
                      scheduleId={id}
                      members={memberList}
                      override={override}
                      onDone={overridesDone}
                      onCancel={() => setEditingOverride(null)}
                    />
                  </li>
                ) : (
                  <li key={override.id} data-testid="override">
                    <strong>{nameOf(override.userId)}</strong> {shortTime(override.startsAt)} –{' '}
                    {shortTime(override.endsAt)}
                    {override.note !== null && <span className="muted"> · {override.note}</span>}{' '}
                    {current.canManage && (
                      <>
                        <button
                          type="button"
                          className="secondary small"
                          onClick={() => setEditingOverride(override.id)}
                        >
                          Edit<span className="visually-hidden"> override for {nameOf(override.userId)}</span>
                        </button>{' '}
                        <button type="button" className="danger small" onClick={() => deleteOverride(override)}>
                          Delete<span className="visually-hidden"> override for {nameOf(override.userId)}</span>
                        </button>
                      </>
                    )}
                  </li>
                ),
              )}
            </ul>
          )}
          {current.canManage && editingOverride === null && (
            <OverrideForm
              key={draft?.key ?? 0}
              scheduleId={id}
              members={memberList}
              draft={draft?.value}
              onDone={overridesDone}
            />
          )}
        </div>
      </div>
      {current.canManage && <ScheduleSettings key={current.updatedAt} schedule={current} onSaved={refresh} />}
    </section>
  );
}

/** One row per day, each a 24-hour bar with the spans laid on it. */
function Calendar(props: {
  spans: TimelineSpan[];
  from: Date;
  days: number;
  nameOf: (userId: string) => string;
  selected: TimelineSpan | null;
  onSelect: ((span: TimelineSpan) => void) | undefined;
}) {
  const { onSelect } = props;
  const colour = new Map<string, string>();
  for (const span of props.spans) {
    if (!colour.has(span.userId)) colour.set(span.userId, PALETTE[colour.size % PALETTE.length] ?? '#eaeef2');
  }
  const rows = calendarDays(props.spans, props.from, props.days);
  return (
    // The picture is hidden from assistive technology, and a click on it is a shortcut for the mouse:
    // the shift table below offers the same choice to keyboards and screen readers.
    <div
      className={onSelect === undefined ? 'calendar' : 'calendar selectable'}
      aria-hidden="true"
      onClick={(event) => {
        const index = (event.target as HTMLElement).closest<HTMLElement>('[data-span]')?.dataset.span;
        const span = index === undefined ? undefined : props.spans[Number(index)];
        if (span !== undefined) onSelect?.(span);
      }}
    >
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
                data-span={props.spans.indexOf(span)}
                className={`segment${span.overrideId !== null ? ' override' : ''}${span === props.selected ? ' selected' : ''}`}
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
