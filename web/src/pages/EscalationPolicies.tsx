import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, useAction, useResource } from '../components';
import { type EscalationPolicy, type PolicyLevel, type PolicyTarget, personName, type Schedule } from '../paging-api';
import { Link, navigate, useLocation } from '../router';
import { loadMembers, loadTeams, type TeamMember } from '../teams-api';

interface Directory {
  members: TeamMember[];
  schedules: Schedule[];
}

/** The targets that are the team itself: all its members, or its chat channel (set on the team's page). */
const TEAM_TARGET_NAMES = { team: 'everyone on the team', team_channel: "the team's chat channel" } as const;

function targetName(target: PolicyTarget, directory: Directory): string {
  if (target.type === 'schedule') {
    const schedule = directory.schedules.find((s) => s.id === target.id);
    return schedule === undefined ? 'a deleted schedule' : `on call in ${schedule.name}`;
  }
  if (target.type === 'team') return TEAM_TARGET_NAMES.team;
  if (target.type === 'team_channel') return TEAM_TARGET_NAMES.team_channel;
  return personName(
    directory.members.find((m) => m.userId === target.id),
    'someone outside the team',
  );
}

export function EscalationPoliciesPage({ me }: { me: Me }) {
  const { query } = useLocation();
  const teams = useResource(loadTeams, 'teams');
  const teamId = query.get('teamId') ?? teams.data?.[0]?.id ?? '';
  const team = teams.data?.find((t) => t.id === teamId);
  const canManage = me.isPlatformAdmin || team?.role === 'manager';
  const policies = useResource(
    () =>
      teamId === ''
        ? Promise.resolve([])
        : api<{ policies: EscalationPolicy[] }>('GET', `/api/escalation-policies?teamId=${teamId}`).then(
            (body) => body.policies,
          ),
    teamId,
  );
  const directory = useResource(
    async (): Promise<Directory> =>
      teamId === ''
        ? { members: [], schedules: [] }
        : {
            members: await loadMembers(teamId),
            schedules: (await api<{ schedules: Schedule[] }>('GET', `/api/schedules?teamId=${teamId}`)).schedules,
          },
    teamId,
  );
  const known = directory.data ?? { members: [], schedules: [] };
  const [editing, setEditing] = useState<EscalationPolicy | 'new' | null>(null);
  const remove = useAction();

  const chooseTeam = (id: string) => {
    setEditing(null);
    navigate(`/escalation-policies?teamId=${id}`, { replace: true });
  };
  const deletePolicy = async (policy: EscalationPolicy) => {
    if (!window.confirm(`Delete the escalation policy “${policy.name}”? Open incidents under it stop escalating.`)) {
      return;
    }
    await remove.run(() => api('DELETE', `/api/escalation-policies/${policy.id}`));
    await policies.reload();
  };

  if (teams.data !== undefined && teams.data.length === 0) {
    return (
      <section aria-labelledby="policies-title">
        <h1 id="policies-title">Escalation policies</h1>
        {me.isPlatformAdmin ? (
          <EmptyState title="No teams yet">
            <p>
              Escalation policies belong to teams. <Link href="/teams">Create a team</Link> and add its members first.
            </p>
          </EmptyState>
        ) : (
          <EmptyState title="You are not in a team yet">
            <p>Escalation policies belong to teams. Ask a platform admin to add you to a team.</p>
          </EmptyState>
        )}
      </section>
    );
  }

  return (
    <section aria-labelledby="policies-title">
      <div className="page-head">
        <h1 id="policies-title">Escalation policies</h1>
        {canManage && editing === null && teamId !== '' && (
          <button type="button" onClick={() => setEditing('new')}>
            New policy
          </button>
        )}
      </div>
      <p className="help">
        Who is paged when an incident opens, and who next if nobody acknowledges. A team’s default policy applies to its
        new incidents.
      </p>
      <div className="filters narrow">
        <div>
          <label htmlFor="policy-team">Team</label>
          <select id="policy-team" value={teamId} onChange={(event) => chooseTeam(event.target.value)}>
            {(teams.data ?? []).map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {team !== undefined && !canManage && (
        <p className="muted">Only the team’s managers and platform admins change its policies.</p>
      )}
      <ProblemMessage error={teams.error ?? policies.error ?? directory.error ?? remove.error} />
      {editing !== null && directory.data !== undefined && (
        <PolicyEditor
          key={editing === 'new' ? 'new' : editing.id}
          teamId={teamId}
          policy={editing === 'new' ? null : editing}
          directory={directory.data}
          onClose={async (saved) => {
            setEditing(null);
            if (saved) await policies.reload();
          }}
        />
      )}
      {policies.data === undefined || directory.data === undefined
        ? policies.error === null && <Loading />
        : policies.data.length === 0
          ? editing === null && (
              <EmptyState title="This team has no escalation policy">
                <p>
                  Without one, its incidents page nobody.{' '}
                  {canManage
                    ? 'Press “New policy”: start with whoever is on call, then someone to call if they do not answer.'
                    : 'Ask a team manager to add one.'}{' '}
                  People and schedules come from the team: <Link href="/schedules">schedules</Link>.
                </p>
              </EmptyState>
            )
          : policies.data.map((policy) => (
              <article key={policy.id} className="card" aria-labelledby={`policy-${policy.id}`} data-testid="policy">
                <div className="page-head">
                  <h2 id={`policy-${policy.id}`}>
                    {policy.name} {policy.isDefault && <Badge tone="blue">default</Badge>}
                  </h2>
                  {canManage && (
                    <div className="actions">
                      <button type="button" className="secondary small" onClick={() => setEditing(policy)}>
                        Edit<span className="visually-hidden"> {policy.name}</span>
                      </button>
                      <button
                        type="button"
                        className="danger small"
                        disabled={remove.busy}
                        onClick={() => deletePolicy(policy)}
                      >
                        Delete<span className="visually-hidden"> {policy.name}</span>
                      </button>
                    </div>
                  )}
                </div>
                {policy.description !== null && <p>{policy.description}</p>}
                <ol className="levels">
                  {policy.levels.map((level, index) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: levels have no id; their position is their identity
                    <li key={index}>
                      <strong>Level {index + 1}:</strong>{' '}
                      {level.targets.map((target) => targetName(target, known)).join(', ')}
                      <span className="muted">
                        {' '}
                        — {index + 1 < policy.levels.length ? 'next level' : policy.repeatCount > 0 ? 'repeat' : 'stop'}{' '}
                        after {level.delayMinutes} min
                      </span>
                    </li>
                  ))}
                </ol>
                <p className="muted small-text">
                  {policy.repeatCount === 0
                    ? 'Runs once.'
                    : `Runs ${policy.repeatCount + 1} times in all (repeats ${policy.repeatCount}×).`}{' '}
                  {policy.ackTimeoutMinutes === null
                    ? 'An acknowledged incident stays acknowledged.'
                    : `An incident still acknowledged ${policy.ackTimeoutMinutes} min later triggers again.`}
                </p>
              </article>
            ))}
      {teamId !== '' && <IncidentGrouping key={teamId} teamId={teamId} canManage={canManage} />}
    </section>
  );
}

interface GroupingRule {
  groupBy: string[];
  windowMinutes: number;
}

/** The team's grouping rule: which new alerts join an open incident instead of opening one. */
function IncidentGrouping({ teamId, canManage }: { teamId: string; canManage: boolean }) {
  const { data, error, reload } = useResource(
    () => api<{ rule: GroupingRule | null }>('GET', `/api/teams/${teamId}/incident-grouping`).then((b) => b.rule),
    teamId,
  );
  const [labels, setLabels] = useState<string | null>(null);
  const [windowMinutes, setWindowMinutes] = useState<number | null>(null);
  const action = useAction();
  const shownLabels = labels ?? data?.groupBy.join(', ') ?? '';
  const shownWindow = windowMinutes ?? data?.windowMinutes ?? 30;

  const afterChange = async () => {
    setLabels(null);
    setWindowMinutes(null);
    await reload();
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const groupBy = shownLabels
      .split(',')
      .map((label) => label.trim())
      .filter((label) => label !== '');
    const saved = await action.run(() =>
      api('PUT', `/api/teams/${teamId}/incident-grouping`, { groupBy, windowMinutes: shownWindow }),
    );
    if (saved !== undefined) await afterChange();
  };
  const stop = async () => {
    await action.run(() => api('DELETE', `/api/teams/${teamId}/incident-grouping`));
    await afterChange();
  };

  return (
    <section className="card" aria-labelledby="grouping-title">
      <h2 id="grouping-title">Incident grouping</h2>
      <ProblemMessage error={error ?? action.error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : (
        <p data-testid="grouping-rule">
          {data === null
            ? 'Every new alert opens its own incident.'
            : data.groupBy.length === 0
              ? `Every new alert joins the team’s incident opened in the last ${data.windowMinutes} minutes.`
              : `New alerts with the same ${data.groupBy.join(', ')} join the incident opened for them in the last ${data.windowMinutes} minutes.`}
        </p>
      )}
      {canManage && data !== undefined && (
        <form onSubmit={save}>
          <div className="form-grid">
            <div>
              <label htmlFor="grouping-labels">Group by labels (comma-separated)</label>
              <input
                id="grouping-labels"
                value={shownLabels}
                placeholder="alertname, cluster"
                onChange={(e) => setLabels(e.target.value)}
              />
            </div>
            <div>
              <label htmlFor="grouping-window">Within (minutes)</label>
              <input
                id="grouping-window"
                type="number"
                min={1}
                max={10080}
                required
                value={shownWindow}
                onChange={(e) => setWindowMinutes(Number(e.target.value))}
              />
            </div>
          </div>
          <div className="actions">
            <button type="submit" className="small" disabled={action.busy}>
              Save grouping
            </button>
            {data !== null && (
              <button type="button" className="secondary small" disabled={action.busy} onClick={stop}>
                Stop grouping
              </button>
            )}
          </div>
        </form>
      )}
    </section>
  );
}

const emptyLevel = (): PolicyLevel => ({ delayMinutes: 5, targets: [] });

function PolicyEditor(props: {
  teamId: string;
  policy: EscalationPolicy | null;
  directory: Directory;
  onClose: (saved: boolean) => Promise<void>;
}) {
  const { policy, directory } = props;
  const [name, setName] = useState(policy?.name ?? '');
  const [description, setDescription] = useState(policy?.description ?? '');
  const [repeatCount, setRepeatCount] = useState(policy?.repeatCount ?? 0);
  const [isDefault, setIsDefault] = useState(policy?.isDefault ?? true);
  const [ackTimeout, setAckTimeout] = useState(policy?.ackTimeoutMinutes?.toString() ?? '');
  const [levels, setLevels] = useState<PolicyLevel[]>(policy?.levels ?? [emptyLevel()]);
  const save = useAction();

  const updateLevel = (index: number, change: (level: PolicyLevel) => PolicyLevel) =>
    setLevels((current) => current.map((level, i) => (i === index ? change(level) : level)));
  const move = (index: number, by: -1 | 1) =>
    setLevels((current) => {
      const next = [...current];
      const [level] = next.splice(index, 1);
      if (level !== undefined) next.splice(index + by, 0, level);
      return next;
    });

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name,
      description: description === '' ? null : description,
      repeatCount,
      isDefault,
      ackTimeoutMinutes: ackTimeout === '' ? null : Number(ackTimeout),
      levels,
    };
    const saved = await save.run(() =>
      policy === null
        ? api('POST', '/api/escalation-policies', { teamId: props.teamId, ...body })
        : api('PATCH', `/api/escalation-policies/${policy.id}`, body),
    );
    if (saved !== undefined) await props.onClose(true);
  };

  const heading = policy === null ? 'New escalation policy' : `Edit “${policy.name}”`;
  return (
    <form className="card" onSubmit={submit} aria-labelledby="policy-editor-title">
      <h2 id="policy-editor-title">{heading}</h2>
      <div className="form-grid">
        <div>
          <label htmlFor="policy-name">Name</label>
          <input id="policy-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div>
          <label htmlFor="policy-repeat">Repeat the whole policy (times)</label>
          <input
            id="policy-repeat"
            type="number"
            min={0}
            max={10}
            required
            value={repeatCount}
            onChange={(e) => setRepeatCount(Number(e.target.value))}
          />
        </div>
      </div>
      <label htmlFor="policy-ack-timeout">Trigger an acknowledged incident again after (minutes; empty: never)</label>
      <input
        id="policy-ack-timeout"
        type="number"
        min={1}
        max={1440}
        value={ackTimeout}
        onChange={(e) => setAckTimeout(e.target.value)}
      />
      <label htmlFor="policy-description">Description (optional)</label>
      <input
        id="policy-description"
        maxLength={1000}
        value={description}
        onChange={(e) => setDescription(e.target.value)}
      />
      <div className="checkbox">
        <input
          id="policy-default"
          type="checkbox"
          checked={isDefault}
          onChange={(e) => setIsDefault(e.target.checked)}
        />
        <label htmlFor="policy-default">Default policy of the team (applies to its new incidents)</label>
      </div>
      <h3>Levels</h3>
      <p className="help">
        Each level pages its people, whoever is on call in its schedules, everyone on the team, or posts to the team’s
        chat channel (the Slack channel set on the team’s page). If nobody acknowledges within the wait, the next level
        is paged. A level where nobody is on call is skipped at once (and recorded).
      </p>
      <ol className="level-editor">
        {levels.map((level, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: levels have no id; their position is their identity
          <li key={index}>
            <fieldset>
              <legend>Level {index + 1}</legend>
              {level.targets.length === 0 ? (
                <p className="muted small-text">Nobody yet: add a person, a schedule or the team.</p>
              ) : (
                <ul className="labels">
                  {level.targets.map((target) => (
                    <li key={`${target.type}:${target.id}`} className="chip">
                      {targetName(target, directory)}{' '}
                      <button
                        type="button"
                        className="link-button"
                        aria-label={`Remove ${targetName(target, directory)} from level ${index + 1}`}
                        onClick={() =>
                          updateLevel(index, (l) => ({ ...l, targets: l.targets.filter((t) => t !== target) }))
                        }
                      >
                        ×
                      </button>
                    </li>
                  ))}
                </ul>
              )}
              <div className="form-grid">
                <div>
                  <label htmlFor={`level-${index}-add`}>Add to level {index + 1}</label>
                  <select
                    id={`level-${index}-add`}
                    value=""
                    onChange={(event) => {
                      const [type, id] = event.target.value.split(':') as [PolicyTarget['type'], string];
                      updateLevel(index, (l) => ({ ...l, targets: [...l.targets, { type, id }] }));
                    }}
                  >
                    <option value="">choose…</option>
                    <optgroup label="People">
                      {directory.members
                        .filter((m) => !level.targets.some((t) => t.type === 'user' && t.id === m.userId))
                        .map((member) => (
                          <option key={member.userId} value={`user:${member.userId}`}>
                            {personName(member)}
                          </option>
                        ))}
                    </optgroup>
                    <optgroup label="Whoever is on call in">
                      {directory.schedules
                        .filter((s) => !level.targets.some((t) => t.type === 'schedule' && t.id === s.id))
                        .map((schedule) => (
                          <option key={schedule.id} value={`schedule:${schedule.id}`}>
                            {schedule.name}
                          </option>
                        ))}
                    </optgroup>
                    <optgroup label="The team">
                      {(['team', 'team_channel'] as const)
                        .filter((type) => !level.targets.some((t) => t.type === type))
                        .map((type) => (
                          <option key={type} value={`${type}:${props.teamId}`}>
                            {TEAM_TARGET_NAMES[type]}
                          </option>
                        ))}
                    </optgroup>
                  </select>
                </div>
                <div>
                  <label htmlFor={`level-${index}-delay`}>
                    Minutes before {index + 1 < levels.length ? `level ${index + 2}` : 'repeating or stopping'}
                  </label>
                  <input
                    id={`level-${index}-delay`}
                    type="number"
                    min={0}
                    max={1440}
                    required
                    value={level.delayMinutes}
                    onChange={(e) => updateLevel(index, (l) => ({ ...l, delayMinutes: Number(e.target.value) }))}
                  />
                </div>
              </div>
              <div className="actions">
                <button
                  type="button"
                  className="secondary small"
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  Move up<span className="visually-hidden"> level {index + 1}</span>
                </button>
                <button
                  type="button"
                  className="secondary small"
                  disabled={index === levels.length - 1}
                  onClick={() => move(index, 1)}
                >
                  Move down<span className="visually-hidden"> level {index + 1}</span>
                </button>
                <button
                  type="button"
                  className="danger small"
                  disabled={levels.length === 1}
                  onClick={() => setLevels((current) => current.filter((_, i) => i !== index))}
                >
                  Remove level {index + 1}
                </button>
              </div>
            </fieldset>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={() => setLevels((current) => [...current, emptyLevel()])}>
        Add level
      </button>
      <ProblemMessage error={save.error} />
      <div className="actions">
        <button type="submit" disabled={save.busy}>
          Save policy
        </button>
        <button type="button" className="secondary" onClick={() => props.onClose(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
