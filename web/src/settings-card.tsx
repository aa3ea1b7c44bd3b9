import { type FormEvent, type ReactNode, useState } from 'react';
import { api } from './api';
import { NameField, ProblemMessage, useAction } from './components';
import { ConfirmDelete } from './confirm-delete';

/**
 * The settings of a named resource (a team, a schedule): rename it, change its description and
 * the page's own fields, or delete it once its name is typed.
 */
export function SettingsCard({
  idPrefix,
  what,
  path,
  listPath,
  current,
  onSaved,
  extraBody = {},
  children,
  consequences,
}: {
  /** Prefix of the fields' ids: `<prefix>-name`, `<prefix>-description`, `<prefix>-title`. */
  idPrefix: string;
  /** "Team" gives the "Delete team…" button and the "Team name" confirmation field. */
  what: string;
  /** The resource, PATCHed on save and DELETEd on confirmation. */
  path: string;
  /** Where the console goes once the resource is deleted. */
  listPath: string;
  current: { name: string; description: string | null };
  onSaved: () => void | Promise<void>;
  /** The page's own fields' values, sent with the name and description. */
  extraBody?: Record<string, unknown>;
  /** The page's own fields. */
  children?: ReactNode;
  /** What deleting takes with it, or when it is refused. */
  consequences: ReactNode;
}) {
  const [name, setName] = useState(current.name);
  const [description, setDescription] = useState(current.description ?? '');
  const [showDelete, setShowDelete] = useState(false);
  const action = useAction();
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(() =>
      api('PATCH', path, { name, description: description.trim() === '' ? null : description, ...extraBody }),
    );
    if (saved !== undefined) await onSaved();
  };
  return (
    <div className="card">
      <form onSubmit={save} aria-labelledby={`${idPrefix}-title`}>
        <h2 id={`${idPrefix}-title`}>Settings</h2>
        <ProblemMessage error={action.error} />
        <div className="form-grid">
          <NameField id={`${idPrefix}-name`} value={name} onChange={setName} />
          <div>
            <label htmlFor={`${idPrefix}-description`}>Description</label>
            <input
              id={`${idPrefix}-description`}
              maxLength={500}
              value={description}
              onChange={(e) => setDescription(e.target.value)}
            />
          </div>
          {children}
        </div>
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Save
          </button>
          {!showDelete && (
            <button type="button" className="danger" onClick={() => setShowDelete(true)}>
              Delete {what.toLowerCase()}…
            </button>
          )}
        </div>
      </form>
      {showDelete && (
        <ConfirmDelete
          name={current.name}
          what={what}
          path={path}
          then={listPath}
          onCancel={() => setShowDelete(false)}
        >
          {consequences}
        </ConfirmDelete>
      )}
    </div>
  );
}
