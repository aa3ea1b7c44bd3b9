import { useEffect, useRef, useState } from 'react';
import { api } from './api';
import { Badge, ProblemMessage, SEVERITY_TONE, useAction } from './components';

/**
 * The head of an alert or incident page: title, status and severity badges, and the two
 * actions people take under pressure. `resourcePath` is the API path the verbs are posted under.
 */
export function TriageHeader(props: {
  titleId: string;
  title: string;
  status: string;
  statusTone: string;
  statusTestId: string;
  severity: string;
  canAcknowledge: boolean;
  canResolve: boolean;
  resourcePath: string;
  onChanged: () => Promise<unknown>;
}) {
  const action = useAction();
  const [done, setDone] = useState('');
  const [settled, setSettled] = useState(0);
  const acknowledgeButton = useRef<HTMLButtonElement>(null);
  const resolveButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const act = async (verb: 'acknowledge' | 'resolve') => {
    setDone('');
    const ok = (await action.run(() => api('POST', `${props.resourcePath}/${verb}`).then(() => true))) === true;
    await props.onChanged();
    if (ok) setDone(verb === 'acknowledge' ? 'Acknowledged.' : 'Resolved.');
    setSettled((count) => count + 1);
  };
  // The pressed button was disabled while busy (and stays so once done), which drops keyboard
  // focus to the start of the document. Once the page shows the new state, put focus back here:
  // on Resolve while that is still possible, else on Acknowledge, else on the title. Checked again
  // whenever the buttons' state changes: a live update may bring the new state after the action's
  // own reload, disabling the button that had just received focus.
  const { canAcknowledge, canResolve } = props;
  useEffect(() => {
    if (settled === 0 || action.busy) return;
    const focused = document.activeElement as HTMLElement | null;
    const lost = focused === null || focused === document.body || (focused as HTMLButtonElement).disabled === true;
    if (!lost) return;
    const next = [canResolve ? resolveButton.current : null, canAcknowledge ? acknowledgeButton.current : null].find(
      (button) => button !== null && !button.disabled,
    );
    (next ?? heading.current)?.focus();
  }, [settled, action.busy, canAcknowledge, canResolve]);
  return (
    <>
      <div className="page-head">
        <h1 id={props.titleId} ref={heading} tabIndex={-1}>
          {props.title}
        </h1>
        <div className="badges">
          <Badge tone={props.statusTone}>
            <span data-testid={props.statusTestId}>{props.status}</span>
          </Badge>
          <Badge tone={SEVERITY_TONE[props.severity] ?? 'grey'}>{props.severity}</Badge>
        </div>
      </div>
      <ProblemMessage error={action.error} />
      <p className="visually-hidden" role="status">
        {done}
      </p>
      <div className="actions">
        <button
          ref={acknowledgeButton}
          type="button"
          onClick={() => act('acknowledge')}
          disabled={action.busy || !props.canAcknowledge}
        >
          Acknowledge
        </button>
        <button
          ref={resolveButton}
          type="button"
          className="secondary"
          onClick={() => act('resolve')}
          disabled={action.busy || !props.canResolve}
        >
          Resolve
        </button>
      </div>
    </>
  );
}
