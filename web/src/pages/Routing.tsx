import { type FormEvent, useState } from 'react';
import { api, type Integration } from '../api';
import { Badge, EmptyState, Loading, NameField, ProblemMessage, useAction, useResource } from '../components';
import { Link } from '../router';
import {
  MATCHER_OPS,
  type Matcher,
  type MatcherInput,
  type MatcherOp,
  type RoutingRule,
  type RuleInput,
} from '../routing-api';
import type { Team } from '../teams-api';
import { DryRun } from './RoutingDryRun';

/**
 * The ordered routing rules (platform admins): first match wins unless a rule says `continue`.
 * Rules are created, edited, moved up and down (their `position`) and deleted here; the dry-run
 * below shows what the current rules do to a sample alert.
 */
export function RoutingPage() {
  const rules = useResource(() => api<{ rules: RoutingRule[] }>('GET', '/api/routing-rules'), '');
  const teams = useResource(() => api<{ teams: Team[] }>('GET', '/api/teams'), '');
  const integrations = useResource(() => api<{ integrations: Integration[] }>('GET', '/api/integrations'), '');
  const [editing, setEditing] = useState<RoutingRule | 'new' | null>(null);
  const teamList = teams.data?.teams ?? [];
  const integrationList = integrations.data?.integrations ?? [];
  const teamName = (id: string) => teamList.find((team) => team.id === id)?.name ?? 'deleted team';
  const integrationName = (id: string) => integrationList.find((item) => item.id === id)?.name ?? id;

  const saved = () => {
    setEditing(null);
    void rules.reload();
  };

  return (
    <section aria-labelledby="routing-title">
      <div className="page-head">
        <h1 id="routing-title">Routing rules</h1>
        {editing === null && teamList.length > 0 && (
          <button type="button" onClick={() => setEditing('new')}>
            Add rule
          </button>
        )}
      </div>
      <p className="help">
        Every new firing alert is checked against these rules in order. The first rule whose matchers all hold sends it
        to its team; a rule with <em>continue</em> adds its team and lets later rules add theirs. When nothing matches,
        the alert goes to its integration's default team. See <code>docs/routing.md</code>.
      </p>
      <ProblemMessage error={rules.error ?? teams.error ?? integrations.error} />
      {editing !== null && (
        <RuleForm
          rule={editing === 'new' ? null : editing}
          teams={teamList}
          integrations={integrationList}
          onSaved={saved}
          onCancel={() => setEditing(null)}
        />
      )}
      {rules.data === undefined || teams.data === undefined ? (
        rules.error === null && <Loading />
      ) : teamList.length === 0 ? (
        <EmptyState title="No teams yet">
          <p>
            Rules send alerts to teams. <Link href="/teams">Create a team</Link> first.
          </p>
        </EmptyState>
      ) : rules.data.rules.length === 0 ? (
        <EmptyState title="No routing rules yet">
          <p>Add a rule to send matching alerts to a team, then try it with the dry-run below.</p>
        </EmptyState>
      ) : (
        <ol className="rules" aria-label="Routing rules in evaluation order">
          {rules.data.rules.map((rule, index, all) => (
            <RuleItem
              key={rule.id}
              rule={rule}
              isFirst={index === 0}
              isLast={index === all.length - 1}
              teamName={teamName(rule.teamId)}
              scope={rule.integrationId === null ? 'all integrations' : integrationName(rule.integrationId)}
              onEdit={() => setEditing(rule)}
              onChanged={() => void rules.reload()}
            />
          ))}
        </ol>
      )}
      {teamList.length > 0 && <DryRun integrations={integrationList} />}
    </section>
  );
}

function RuleItem(props: {
  rule: RoutingRule;
  isFirst: boolean;
  isLast: boolean;
  teamName: string;
  scope: string;
  onEdit: () => void;
  onChanged: () => void;
}) {
  const { rule } = props;
  const action = useAction();
  const move = async (position: number) => {
    if ((await action.run(() => api('PATCH', `/api/routing-rules/${rule.id}`, { position }))) !== undefined) {
      props.onChanged();
    }
  };
  const remove = async () => {
    if (!window.confirm(`Delete the routing rule "${rule.name}"?`)) return;
    const done = await action.run(async () => {
      await api('DELETE', `/api/routing-rules/${rule.id}`);
      return true;
    });
    if (done) props.onChanged();
  };
  return (
    <li className="card rule" data-testid="routing-rule">
      <div className="page-head">
        <h2 className="rule-name">
          <span className="muted">{rule.position}.</span> {rule.name}
        </h2>
        <div className="badges">
          {!rule.isActive && <Badge tone="grey">inactive</Badge>}
          {rule.continue && <Badge tone="blue">continue</Badge>}
        </div>
      </div>
      <p>
        → <strong>{props.teamName}</strong> <span className="muted">· {props.scope}</span>
      </p>
      {rule.matchers.length === 0 ? (
        <p className="muted">Matches every alert.</p>
      ) : (
        <ul className="matchers">
          {rule.matchers.map((matcher, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: matchers have no id; their order is their identity
            <li key={index}>
              <code>{describeMatcher(matcher)}</code>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" className="secondary small" onClick={props.onEdit}>
          Edit<span className="visually-hidden"> {rule.name}</span>
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={props.isFirst || action.busy}
          onClick={() => void move(rule.position - 1)}
        >
          Move up<span className="visually-hidden"> {rule.name}</span>
        </button>
        <button
          type="button"
          className="secondary small"
          disabled={props.isLast || action.busy}
          onClick={() => void move(rule.position + 1)}
        >
          Move down<span className="visually-hidden"> {rule.name}</span>
        </button>
        <button type="button" className="danger small" disabled={action.busy} onClick={remove}>
          Delete<span className="visually-hidden"> {rule.name}</span>
        </button>
      </div>
      <ProblemMessage error={action.error} />
    </li>
  );
}

const OP_SYMBOL: Record<MatcherOp, string> = { equals: '=', not_equals: '≠', regex: '=~', in: 'in', exists: 'exists' };

function describeMatcher(matcher: Matcher): string {
  if (matcher.op === 'exists') return `${matcher.field} ${matcher.value === false ? 'is absent' : 'exists'}`;
  if (matcher.op === 'in' && Array.isArray(matcher.value)) return `${matcher.field} in [${matcher.value.join(', ')}]`;
  if (matcher.op === 'regex') return `${matcher.field} =~ /${String(matcher.value)}/`;
  return `${matcher.field} ${OP_SYMBOL[matcher.op]} "${String(matcher.value)}"`;
}

const FIELDS = ['labels', 'severity', 'source', 'title', 'integration'] as const;
type FieldKind = (typeof FIELDS)[number];

/** A matcher as the form edits it: a label's name apart from the field, `in` values as text. */
interface MatcherDraft {
  kind: FieldKind;
  label: string;
  op: MatcherOp;
  text: string;
  present: boolean;
}

function toDraft(matcher: Matcher): MatcherDraft {
  const isLabel = matcher.field.startsWith('labels.');
  return {
    kind: isLabel ? 'labels' : (matcher.field as FieldKind),
    label: isLabel ? matcher.field.slice('labels.'.length) : '',
    op: matcher.op,
    text: Array.isArray(matcher.value)
      ? matcher.value.join(', ')
      : typeof matcher.value === 'string'
        ? matcher.value
        : '',
    present: matcher.value !== false,
  };
}

function fromDraft(draft: MatcherDraft): MatcherInput {
  const field = draft.kind === 'labels' ? `labels.${draft.label.trim()}` : draft.kind;
  switch (draft.op) {
    case 'exists':
      return { field, op: 'exists', value: draft.present };
    case 'in':
      return {
        field,
        op: 'in',
        value: draft.text
          .split(',')
          .map((value) => value.trim())
          .filter((value) => value !== ''),
      };
    case 'regex':
      return { field, op: 'regex', value: draft.text };
    case 'equals':
      return { field, op: 'equals', value: draft.text };
    case 'not_equals':
      return { field, op: 'not_equals', value: draft.text };
  }
}

const EMPTY_DRAFT: MatcherDraft = { kind: 'labels', label: '', op: 'equals', text: '', present: true };

function RuleForm(props: {
  rule: RoutingRule | null;
  teams: Team[];
  integrations: Integration[];
  onSaved: () => void;
  onCancel: () => void;
}) {
  const { rule } = props;
  const [name, setName] = useState(rule?.name ?? '');
  const [teamId, setTeamId] = useState(rule?.teamId ?? props.teams[0]?.id ?? '');
  const [integrationId, setIntegrationId] = useState(rule?.integrationId ?? '');
  const [drafts, setDrafts] = useState<MatcherDraft[]>(rule ? rule.matchers.map(toDraft) : [{ ...EMPTY_DRAFT }]);
  const [continues, setContinues] = useState(rule?.continue ?? false);
  const [isActive, setIsActive] = useState(rule?.isActive ?? true);
  const action = useAction();
  const prefix = rule ? `rule-${rule.id}` : 'new-rule';

  const update = (index: number, change: Partial<MatcherDraft>) =>
    setDrafts((current) => current.map((draft, i) => (i === index ? { ...draft, ...change } : draft)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body: RuleInput = {
      name,
      teamId,
      integrationId: integrationId === '' ? null : integrationId,
      matchers: drafts.map(fromDraft),
      continue: continues,
      isActive,
    };
    const result = await action.run(() =>
      rule ? api('PATCH', `/api/routing-rules/${rule.id}`, body) : api('POST', '/api/routing-rules', body),
    );
    if (result !== undefined) props.onSaved();
  };

  return (
    <form className="card" onSubmit={submit} aria-labelledby={`${prefix}-title`}>
      <h2 id={`${prefix}-title`}>{rule ? `Edit “${rule.name}”` : 'New routing rule'}</h2>
      <ProblemMessage error={action.error} />
      <div className="form-grid">
        <NameField id={`${prefix}-name`} value={name} onChange={setName} />
        <div>
          <label htmlFor={`${prefix}-team`}>Send to team</label>
          <select id={`${prefix}-team`} required value={teamId} onChange={(e) => setTeamId(e.target.value)}>
            {props.teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${prefix}-integration`}>Applies to</label>
          <select id={`${prefix}-integration`} value={integrationId} onChange={(e) => setIntegrationId(e.target.value)}>
            <option value="">all integrations</option>
            {props.integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name} only
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="matcher-list">
        <legend>Matchers (all must hold; none: every alert matches)</legend>
        {drafts.map((draft, index) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: drafts have no id; their order is their identity
          <div className="matcher-row" key={index}>
            <div>
              <label htmlFor={`${prefix}-m${index}-field`}>Field {index + 1}</label>
              <select
                id={`${prefix}-m${index}-field`}
                value={draft.kind}
                onChange={(e) => update(index, { kind: e.target.value as FieldKind })}
              >
                {FIELDS.map((field) => (
                  <option key={field} value={field}>
                    {field === 'labels' ? 'label' : field}
                  </option>
                ))}
              </select>
            </div>
            {draft.kind === 'labels' && (
              <div>
                <label htmlFor={`${prefix}-m${index}-label`}>Label name</label>
                <input
                  id={`${prefix}-m${index}-label`}
                  required
                  value={draft.label}
                  onChange={(e) => update(index, { label: e.target.value })}
                />
              </div>
            )}
            <div>
              <label htmlFor={`${prefix}-m${index}-op`}>Condition</label>
              <select
                id={`${prefix}-m${index}-op`}
                value={draft.op}
                onChange={(e) => update(index, { op: e.target.value as MatcherOp })}
              >
                {MATCHER_OPS.map((op) => (
                  <option key={op} value={op}>
                    {op === 'in' ? 'is one of' : op.replace('_', ' ')}
                  </option>
                ))}
              </select>
            </div>
            <div>
              {draft.op === 'exists' ? (
                <>
                  <label htmlFor={`${prefix}-m${index}-present`}>Must be</label>
                  <select
                    id={`${prefix}-m${index}-present`}
                    value={draft.present ? 'present' : 'absent'}
                    onChange={(e) => update(index, { present: e.target.value === 'present' })}
                  >
                    <option value="present">present</option>
                    <option value="absent">absent or empty</option>
                  </select>
                </>
              ) : (
                <>
                  <label htmlFor={`${prefix}-m${index}-value`}>
                    {draft.op === 'in' ? 'Values (comma-separated)' : draft.op === 'regex' ? 'Pattern' : 'Value'}
                  </label>
                  <input
                    id={`${prefix}-m${index}-value`}
                    value={draft.text}
                    onChange={(e) => update(index, { text: e.target.value })}
                  />
                </>
              )}
            </div>
            <button
              type="button"
              className="secondary small"
              onClick={() => setDrafts((current) => current.filter((_, i) => i !== index))}
            >
              Remove<span className="visually-hidden"> matcher {index + 1}</span>
            </button>
          </div>
        ))}
        <button
          type="button"
          className="secondary small"
          onClick={() => setDrafts((current) => [...current, { ...EMPTY_DRAFT }])}
        >
          Add matcher
        </button>
      </fieldset>
      <div className="checkbox">
        <input
          id={`${prefix}-continue`}
          type="checkbox"
          checked={continues}
          onChange={(e) => setContinues(e.target.checked)}
        />
        <label htmlFor={`${prefix}-continue`}>Continue: later matching rules add their teams too</label>
      </div>
      <div className="checkbox">
        <input
          id={`${prefix}-active`}
          type="checkbox"
          checked={isActive}
          onChange={(e) => setIsActive(e.target.checked)}
        />
        <label htmlFor={`${prefix}-active`}>Active</label>
      </div>
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          {rule ? 'Save rule' : 'Create rule'}
        </button>
        <button type="button" className="secondary" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
