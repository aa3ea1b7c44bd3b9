import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from './api';
import { EmptyState } from './components';
import { type Column, DataTable } from './data-table';

/**
 * The ordered, named, switchable rules of noise control (event rules, inhibition rules): one form
 * that creates or edits a rule, and one table that lists them with Edit and Delete. The pages say
 * only what their rules hold.
 */

interface Rule {
  id: string;
  name: string;
  isActive: boolean;
}

interface RuleForm {
  name: string;
  isActive: boolean;
}

/** Create, edit, cancel and delete against `path` (POST path, PATCH/DELETE path/:id), then `reload`. */
export function useRuleEditor<R extends Rule, F extends RuleForm>({
  path,
  noun,
  blank,
  toForm,
  toBody,
  reload,
}: {
  path: string;
  /** As the delete confirmation names it: "event rule". */
  noun: string;
  blank: F;
  toForm: (rule: R) => F;
  /** May throw to refuse the form (an Error's message is shown). */
  toBody: (form: F) => unknown;
  reload: () => void;
}) {
  const [form, setForm] = useState(blank);
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setError(null);
    try {
      const body = toBody(form);
      if (editing === null) await api('POST', path, body);
      else await api('PATCH', `${path}/${editing}`, body);
      setForm(blank);
      setEditing(null);
      reload();
    } catch (caught) {
      setError(caught);
    }
  }

  function edit(rule: R) {
    setEditing(rule.id);
    setForm(toForm(rule));
  }

  function cancel() {
    setEditing(null);
    setForm(blank);
  }

  async function remove(rule: R) {
    if (!window.confirm(`Delete the ${noun} "${rule.name}"?`)) return;
    setError(null);
    try {
      await api('DELETE', `${path}/${rule.id}`);
      reload();
    } catch (caught) {
      setError(caught);
    }
  }

  return { form, setForm, editing, error, setError, save, edit, cancel, remove };
}

type RuleEditor<R extends Rule, F extends RuleForm> = ReturnType<typeof useRuleEditor<R, F>>;

/** The create-or-edit card: name, the page's own fields, Active, and Save or Cancel. */
export function RuleFormCard<R extends Rule, F extends RuleForm>({
  editor,
  noun,
  children,
}: {
  editor: RuleEditor<R, F>;
  /** As the heading names it: "event rule" gives "New event rule". */
  noun: string;
  children: ReactNode;
}) {
  const { form, setForm, editing } = editor;
  return (
    <form className="card" onSubmit={editor.save}>
      <h2>{editing === null ? `New ${noun}` : `Edit ${noun}`}</h2>
      <label>
        Name
        <input value={form.name} onChange={(event) => setForm({ ...form, name: event.target.value })} required />
      </label>
      {children}
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
        <button type="button" className="secondary" onClick={editor.cancel}>
          Cancel
        </button>
      )}
    </form>
  );
}

/** The rules in their order: the page's columns, then Active, then Edit and Delete. */
export function RulesTable<R extends Rule>({
  label,
  rules,
  loadError,
  testId,
  columns,
  onEdit,
  onDelete,
}: {
  /** The table's name ("Event rules"); the empty state says "No event rules". */
  label: string;
  rules: R[] | undefined;
  loadError: unknown;
  testId: string;
  columns: Column<R>[];
  onEdit: (rule: R) => void;
  onDelete: (rule: R) => Promise<void>;
}) {
  return (
    <DataTable
      label={label}
      className="rules-table"
      rows={rules}
      loadError={loadError}
      empty={<EmptyState title={`No ${label.toLowerCase()}`} />}
      rowProps={() => ({ 'data-testid': testId })}
      columns={[...columns, { header: 'Active', cell: (rule) => (rule.isActive ? 'yes' : 'no') }]}
      actionsHeader="Edit or delete"
      actions={(rule) => (
        <>
          <button type="button" className="secondary small" onClick={() => onEdit(rule)}>
            Edit <span className="visually-hidden">{rule.name}</span>
          </button>{' '}
          <button type="button" className="secondary small" onClick={() => void onDelete(rule)}>
            Delete <span className="visually-hidden">{rule.name}</span>
          </button>
        </>
      )}
    />
  );
}
