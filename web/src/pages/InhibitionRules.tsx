import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { EmptyState, Loading, ProblemMessage, TableWrap, useResource } from '../components';
import { NoiseControlLinks } from '../noise-control-links';
import { formatMatchers, type Matcher, operatorOf, parseLines } from './Silences';

interface InhibitionRule {
  id: string;
  name: string;
  sourceMatchers: Matcher[];
  targetMatchers: Matcher[];
  equal: string[];
  isActive: boolean;
}

const asLines = (matchers: Matcher[]) => matchers.map((m) => `${m.name}${operatorOf(m)}${m.value}`).join('\n');
const blank = { name: '', source: '', target: '', equal: '', isActive: true };

/**
 * Inhibition rules (Alertmanager semantics): while an alert matching the source matchers fires,
 * alerts matching the target matchers with equal values of the listed labels page nobody.
 * Platform admins only, as the API.
 */
export function InhibitionRulesPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(
    () => api<{ rules: InhibitionRule[] }>('GET', '/api/inhibition-rules'),
    'inhibition-rules',
  );
  const [form, setForm] = useState(blank);
  const [editing, setEditing] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setActionError(null);
    try {
      const body = {
        name: form.name,
        sourceMatchers: parseLines(form.source),
        targetMatchers: parseLines(form.target),
        equal: form.equal
          .split(',')
          .map((label) => label.trim())
          .filter((label) => label !== ''),
        isActive: form.isActive,
      };
      if (editing === null) await api('POST', '/api/inhibition-rules', body);
      else await api('PATCH', `/api/inhibition-rules/${editing}`, body);
      setForm(blank);
      setEditing(null);
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  function edit(rule: InhibitionRule) {
    setEditing(rule.id);
    setForm({
      name: rule.name,
      source: asLines(rule.sourceMatchers),
      target: asLines(rule.targetMatchers),
      equal: rule.equal.join(', '),
      isActive: rule.isActive,
    });
  }

  async function remove(rule: InhibitionRule) {
    if (!window.confirm(`Delete the inhibition rule "${rule.name}"?`)) return;
    setActionError(null);
    try {
      await api('DELETE', `/api/inhibition-rules/${rule.id}`);
      reload();
    } catch (caught) {
      setActionError(caught);
    }
  }

  return (
    <section aria-labelledby="inhibition-title">
      <h1 id="inhibition-title">Inhibition rules</h1>
      <NoiseControlLinks me={me} />
      <p>
        While an alert matching the source fires, alerts matching the target with equal values of the listed labels page
        nobody.
      </p>
      <ProblemMessage error={error ?? actionError} />
      <form className="card" onSubmit={save}>
        <h2>{editing === null ? 'New inhibition rule' : 'Edit inhibition rule'}</h2>
        <label>
          Name
          <input value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} required />
        </label>
        <label>
          Source matchers (one a line: <code>name=value</code>, <code>!=</code>, <code>=~</code>, <code>!~</code>)
          <textarea
            value={form.source}
            onChange={(event) => setForm({ ...form, source: event.target.value })}
            rows={3}
            required
          />
        </label>
        <label>
          Target matchers (one a line)
          <textarea
            value={form.target}
            onChange={(event) => setForm({ ...form, target: event.target.value })}
            rows={3}
            required
          />
        </label>
        <label>
          Equal labels (comma-separated)
          <input value={form.equal} onChange={(event) => setForm({ ...form, equal: event.target.value })} />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={form.isActive}
            onChange={(event) => setForm({ ...form, isActive: event.target.checked })}
          />
          Active
        </label>
        <button type="submit">{editing === null ? 'Create rule' : 'Save rule'}</button>
        {editing !== null && (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              setEditing(null);
              setForm(blank);
            }}
          >
            Cancel
          </button>
        )}
      </form>
      {data === undefined ? (
        error === null && <Loading />
      ) : data.rules.length === 0 ? (
        <EmptyState title="No inhibition rules" />
      ) : (
        <TableWrap label="Inhibition rules">
          <table className="rules-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Source</th>
                <th>Target</th>
                <th>Equal</th>
                <th>Active</th>
                <th>
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.rules.map((rule) => (
                <tr key={rule.id} data-testid="inhibition-rule">
                  <td>{rule.name}</td>
                  <td>
                    <code>{formatMatchers(rule.sourceMatchers)}</code>
                  </td>
                  <td>
                    <code>{formatMatchers(rule.targetMatchers)}</code>
                  </td>
                  <td>{rule.equal.join(', ')}</td>
                  <td>{rule.isActive ? 'yes' : 'no'}</td>
                  <td>
                    <button type="button" className="secondary small" onClick={() => edit(rule)}>
                      Edit <span className="visually-hidden">{rule.name}</span>
                    </button>{' '}
                    <button type="button" className="secondary small" onClick={() => void remove(rule)}>
                      Delete <span className="visually-hidden">{rule.name}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
