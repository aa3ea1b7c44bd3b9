import { useRef, useState } from 'react';
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
  const resolveButton = useRef<HTMLButtonElement>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const act = async (verb: 'acknowledge' | 'resolve') => {
    setDone('');
    const ok = (await action.run(() => api('POST', `${props.resourcePath}/${verb}`).then(() => true))) === true;
    await props.onChanged();
    if (ok) setDone(verb === 'acknowledge' ? 'Acknowledged.' : 'Resolved.');
    // The pressed button is now disabled, which drops keyboard focus to the page's start; keep it
    // here instead: on Resolve while that is still possible, else on the title.
    window.requestAnimationFrame(() => {
      const focused = document.activeElement;
      if (focused !== null && focused !== document.body && !(focused as HTMLButtonElement).disabled) return;
      if (resolveButton.current !== null && !resolveButton.current.disabled) resolveButton.current.focus();
      else heading.current?.focus();
    });
  };
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
        <button type="button" onClick={() => act('acknowledge')} disabled={action.busy || !props.canAcknowledge}>
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
