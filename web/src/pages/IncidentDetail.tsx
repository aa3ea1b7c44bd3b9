import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { Badge, Loading, ProblemMessage, STATUS_TONE, Time, useAction, useResource } from '../components';
import { INCIDENT_STATUS_TONE, type IncidentDetail, personName } from '../paging-api';
import { Link } from '../router';
import { loadMembers, loadTeams, type TeamMember } from '../teams-api';
import { TriageHeader } from '../triage-header';

const KIND_LABEL: Record<string, string> = {
  opened: 'Opened',
  alert_joined: 'Alert joined',
  alert_resolved: 'Alert resolved',
  escalated: 'Escalated',
  nobody_on_call: 'Nobody on call',
  target_skipped: 'Target skipped',
  no_contact_method: 'No contact method',
  escalation_exhausted: 'Escalation finished',
  no_escalation_policy: 'No escalation policy',
  paging_deferred: 'Paging deferred',
  not_paged_outside_support_hours: 'Not paged (outside support hours)',
  notification_sent: 'Notification sent',
  notification_failed: 'Notification failed',
  acknowledged: 'Acknowledged',
  acknowledgement_timeout: 'Acknowledgement timed out',
  resolved: 'Resolved',
  note: 'Note',
  reassigned: 'Reassigned',
};
const WARNING_KINDS = new Set([
  'nobody_on_call',
  'target_skipped',
  'no_contact_method',
  'no_escalation_policy',
  'not_paged_outside_support_hours',
  'notification_failed',
  'acknowledgement_timeout',
]);

export function IncidentDetailPage({ id, me }: { id: string; me: Me }) {
  const {
    data: incident,
    error,
    reload,
  } = useResource(() => api<IncidentDetail>('GET', `/api/incidents/${id}`), id, {
    topics: ['incidents', 'alerts'],
  });
  const teamId = incident?.teamId ?? '';
  const members = useResource(() => (teamId === '' ? Promise.resolve([]) : loadMembers(teamId)), teamId);
  const teams = useResource(loadTeams, 'teams');
  const people = new Map((members.data ?? []).map((member) => [member.userId, member]));
  // Platform admins act on incidents of teams they are not in; their names are not in the member list.
  const who = (userId: string | null) =>
    userId === null ? null : userId === me.id ? 'you' : personName(people.get(userId), 'someone outside the team');

  return (
    <section aria-labelledby="incident-title">
      <p>
        <Link href="/incidents">← Incidents</Link>
      </p>
      <ProblemMessage error={error} />
      {incident === undefined ? (
        error === null && <Loading />
      ) : (
        <>
          <TriageHeader
            titleId="incident-title"
            title={`#${incident.number} ${incident.title}`}
            status={incident.status}
            statusTone={INCIDENT_STATUS_TONE[incident.status]}
            statusTestId="incident-status"
            severity={incident.severity}
            canAcknowledge={incident.status === 'triggered'}
            canResolve={incident.status !== 'resolved'}
            resourcePath={`/api/incidents/${id}`}
            onChanged={reload}
          />
          <div className="grid-2">
            <div className="card">
              <h2>Details</h2>
              <dl className="facts">
                <dt>Urgency</dt>
                <dd data-testid="incident-urgency">{incident.urgency}</dd>
                <dt>Team</dt>
                <dd>{teams.data?.find((team) => team.id === incident.teamId)?.name ?? '—'}</dd>
                <dt>Assignee</dt>
                <dd>{who(incident.assigneeUserId) ?? <span className="muted">nobody yet</span>}</dd>
                <dt>Opened</dt>
                <dd>
                  <Time value={incident.createdAt} />
                </dd>
                <dt>Acknowledged</dt>
                <dd>
                  <Time value={incident.acknowledgedAt} />
                  {incident.acknowledgedBy !== null && ` by ${who(incident.acknowledgedBy)}`}
                </dd>
                {incident.ackTimeoutAt !== null && (
                  <>
                    <dt>Triggers again</dt>
                    <dd>
                      <Time value={incident.ackTimeoutAt} /> unless resolved
                    </dd>
                  </>
                )}
                <dt>Resolved</dt>
                <dd>
                  <Time value={incident.resolvedAt} />
                  {incident.resolvedAt !== null &&
                    (incident.resolvedBy === null ? ' automatically' : ` by ${who(incident.resolvedBy)}`)}
                </dd>
                <dt>Escalation</dt>
                <dd>
                  {incident.escalationLevel === null ? (
                    <span className="muted">stopped</span>
                  ) : (
                    <>
                      next: level {incident.escalationLevel + 1}
                      {incident.escalationRepetition > 0 && `, round ${incident.escalationRepetition + 1}`},{' '}
                      <Time value={incident.nextEscalationAt} />
                    </>
                  )}
                </dd>
              </dl>
              <Reassign
                incidentId={id}
                members={members.data ?? []}
                current={incident.assigneeUserId}
                disabled={incident.status === 'resolved'}
                onDone={reload}
              />
              <h3>Alerts ({incident.alertCount})</h3>
              <ul className="plain-list">
                {incident.alerts.map((alert) => (
                  <li key={alert.id}>
                    <Link href={`/alerts/${alert.id}`}>{alert.title}</Link>{' '}
                    <Badge tone={STATUS_TONE[alert.status] ?? 'grey'}>{alert.status}</Badge>{' '}
                    <span className="muted small-text">from {alert.integrationName}</span>
                  </li>
                ))}
              </ul>
            </div>
            <div className="card">
              <h2>Timeline</h2>
              <AddNote incidentId={id} onDone={reload} />
              <ol className="timeline" aria-label="Incident timeline, oldest first">
                {incident.timeline.map((entry) => (
                  <li key={entry.id} data-kind={entry.kind} className={WARNING_KINDS.has(entry.kind) ? 'warn' : ''}>
                    <strong>{KIND_LABEL[entry.kind] ?? entry.kind}</strong>
                    <span className={entry.kind === 'note' ? 'note' : ''}>
                      {entry.kind === 'reassigned' && typeof entry.metadata.to === 'string'
                        ? `Reassigned to ${who(entry.metadata.to)}`
                        : entry.message}
                    </span>
                    <span className="muted small-text">
                      <Time value={entry.createdAt} />
                      {entry.userId !== null && ` · ${who(entry.userId)}`}
                    </span>
                  </li>
                ))}
              </ol>
            </div>
          </div>
        </>
      )}
    </section>
  );
}

function AddNote({ incidentId, onDone }: { incidentId: string; onDone: () => Promise<void> }) {
  const [text, setText] = useState('');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() => api('POST', `/api/incidents/${incidentId}/notes`, { text }));
    if (ok !== undefined) {
      setText('');
      await onDone();
    }
  };
  return (
    <form onSubmit={submit} className="note-form">
      <label htmlFor="incident-note">Add a note</label>
      <textarea
        id="incident-note"
        rows={2}
        required
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder="What you found, what you tried"
      />
      <ProblemMessage error={action.error} />
      <button type="submit" className="small" disabled={action.busy || text.trim() === ''}>
        Add note
      </button>
    </form>
  );
}

function Reassign(props: {
  incidentId: string;
  members: TeamMember[];
  current: string | null;
  disabled: boolean;
  onDone: () => Promise<void>;
}) {
  const [userId, setUserId] = useState('');
  const action = useAction();
  const candidates = props.members.filter((member) => member.userId !== props.current);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(() => api('POST', `/api/incidents/${props.incidentId}/reassign`, { userId }));
    if (ok !== undefined) {
      setUserId('');
      await props.onDone();
    }
  };
  return (
    <form onSubmit={submit}>
      <label htmlFor="reassign-to">Reassign to</label>
      <div className="copy-row">
        <select
          id="reassign-to"
          value={userId}
          required
          disabled={props.disabled}
          onChange={(event) => setUserId(event.target.value)}
        >
          <option value="">choose a team member</option>
          {candidates.map((member) => (
            <option key={member.userId} value={member.userId}>
              {personName(member)}
            </option>
          ))}
        </select>
        <button type="submit" className="secondary small" disabled={props.disabled || action.busy || userId === ''}>
          Reassign
        </button>
      </div>
      <ProblemMessage error={action.error} />
    </form>
  );
}
