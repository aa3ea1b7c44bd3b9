import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { api } from './api';
import { ProblemMessage, useAction } from './components';
import { navigate } from './router';

/**
 * Deleting something that takes much with it: the person types its name to confirm, then it is
 * deleted and the console goes to the list it was in. A refusal (say, a team still routed to) is
 * shown here, next to the button that caused it.
 */
export function ConfirmDelete({
  name,
  what,
  path,
  then,
  onCancel,
  children,
}: {
  name: string;
  /** What the name is of, for the field's label: "Team" gives "Team name". */
  what: string;
  /** The resource to DELETE. */
  path: string;
  /** Where the console goes once it is deleted. */
  then: string;
  onCancel: () => void;
  /** What deleting takes with it or when it is refused. */
  children: ReactNode;
}) {
  const [typed, setTyped] = useState('');
  const action = useAction();
  const id = useId();
  const remove = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(async () => {
      await api('DELETE', path);
      return true;
    });
    if (done) navigate(then);
  };
  return (
    <form onSubmit={remove} className="warning" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Delete {name}?</h3>
      <ProblemMessage error={action.error} />
      {children}
      <p>
        Type <strong>{name}</strong> to confirm.
      </p>
      <label htmlFor={`${id}-name`}>{what} name</label>
      <input id={`${id}-name`} value={typed} onChange={(event) => setTyped(event.target.value)} />
      <div className="actions">
        <button type="submit" className="danger" disabled={typed !== name || action.busy}>
          Delete permanently
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
