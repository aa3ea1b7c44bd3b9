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
  const act = async (verb: 'acknowledge' | 'resolve') => {
    await action.run(() => api('POST', `${props.resourcePath}/${verb}`));
    await props.onChanged();
  };
  return (
    <>
      <div className="page-head">
        <h1 id={props.titleId}>{props.title}</h1>
        <div className="badges">
          <Badge tone={props.statusTone}>
            <span data-testid={props.statusTestId}>{props.status}</span>
          </Badge>
          <Badge tone={SEVERITY_TONE[props.severity] ?? 'grey'}>{props.severity}</Badge>
        </div>
      </div>
      <ProblemMessage error={action.error} />
      <div className="actions">
        <button type="button" onClick={() => act('acknowledge')} disabled={action.busy || !props.canAcknowledge}>
          Acknowledge
        </button>
        <button
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
