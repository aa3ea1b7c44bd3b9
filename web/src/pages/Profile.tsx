import { type FormEvent, useState } from 'react';
import { api, type Me, type User } from '../api';
import {
  Badge,
  CopyButton,
  EmptyState,
  Loading,
  ProblemMessage,
  TableWrap,
  Time,
  useAction,
  useResource,
} from '../components';
import {
  CONTACT_METHOD_LABEL,
  CONTACT_METHOD_TYPES,
  type ContactMethod,
  type ContactMethodType,
  type NotificationLogEntry,
  type NotificationRule,
} from '../paging-api';
import { PhoneVerification } from '../phone-verification';
import { PushOnThisDevice } from '../push-on-this-device';
import { Link } from '../router';
import { loadUnconfiguredChannels } from './PagingHealth';

const NOTIFICATION_TONE: Record<string, string> = {
  sent: 'green',
  failed: 'red',
  pending: 'grey',
  sending: 'blue',
  cancelled: 'grey',
};
const ADDRESS_LABEL: Record<ContactMethodType, string> = {
  email: 'Email address',
  ntfy: 'Topic (or topic URL on your ntfy server)',
  slack: 'Incoming webhook URL',
  mattermost: 'Incoming webhook URL',
  msteams: 'Workflows webhook URL',
  webhook: 'Webhook URL',
  sms: 'Phone number (international, +…)',
  voice: 'Phone number (international, +…)',
  webpush: 'Push endpoint',
};
const isPhone = (type: ContactMethodType) => type === 'sms' || type === 'voice';

/** "my-topic" (on the server's default ntfy) or "https://ntfy.example.com/my-topic". */
function ntfyTopic(input: string): { topic: string; server?: string } {
  const slash = input.lastIndexOf('/');
  if (!/^https?:\/\//.test(input) || slash < 0) return { topic: input.trim() };
  return { server: input.slice(0, slash), topic: input.slice(slash + 1).trim() };
}

const methodName = (method: ContactMethod | undefined) =>
  method === undefined
    ? 'a deleted contact method'
    : `${CONTACT_METHOD_LABEL[method.type]} ${method.label ?? method.address}`;

/**
 * A person's paging settings: how they are reached (contact methods, rules), their shifts and
 * what was sent to them. `/profile` is your own; admins open anyone's at `/people/:id`.
 */
export function ProfilePage({ me, userId }: { me: Me; userId: string }) {
  const self = userId === me.id;
  const owner = self ? '' : `userId=${userId}`;
  const person = useResource(
    () =>
      self
        ? Promise.resolve({ email: me.email, name: me.name })
        : api<{ users: User[] }>('GET', '/api/users').then((body) => body.users.find((u) => u.id === userId)),
    userId,
  );
  const methods = useResource(
    () =>
      api<{ contactMethods: ContactMethod[] }>('GET', `/api/contact-methods?${owner}`).then((b) => b.contactMethods),
    userId,
  );
  const rules = useResource(
    () => api<{ rules: NotificationRule[] }>('GET', `/api/notification-rules?${owner}`).then((b) => b.rules),
    userId,
  );
  const reloadAll = async () => {
    await Promise.all([methods.reload(), rules.reload()]);
  };
  const title = self ? 'My profile' : (person.data?.name ?? person.data?.email ?? 'Person');

  return (
    <section aria-labelledby="profile-title">
      <h1 id="profile-title">{title}</h1>
      <p className="help">
        {self ? 'You are' : `${person.data?.email ?? 'This person'} is`} paged on these contact methods, following the
        notification rules, when an escalation policy reaches {self ? 'you' : 'them'}.
      </p>
      <ProblemMessage error={person.error} />
      {self && <PushOnThisDevice methods={methods.data ?? []} onChange={reloadAll} />}
      <div className="grid-2">
        <ContactMethods
          methods={methods.data}
          error={methods.error}
          ownerId={self ? null : userId}
          onChange={reloadAll}
        />
        <Rules methods={methods.data ?? []} rules={rules.data} error={rules.error} onChange={rules.reload} />
      </div>
      <Shifts userId={userId} />
      <NotificationLog owner={owner} methods={methods.data ?? []} />
    </section>
  );
}

function ContactMethods(props: {
  methods: ContactMethod[] | undefined;
  error: unknown;
  ownerId: string | null;
  onChange: () => Promise<void>;
}) {
  const [type, setType] = useState<ContactMethodType>('email');
  const [address, setAddress] = useState('');
  const [label, setLabel] = useState('');
  const [signingSecret, setSigningSecret] = useState<string | null>(null);
  const unconfigured = useResource(loadUnconfiguredChannels, 'channels');
  const [outcomes, setOutcomes] = useState<Record<string, { outcome: string; detail: string | null }>>({});
  const add = useAction();
  const act = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await add.run(() =>
      api<ContactMethod & { signingSecret?: string }>('POST', '/api/contact-methods', {
        type,
        ...(type === 'ntfy' ? ntfyTopic(address) : { address }),
        ...(label === '' ? {} : { label }),
        ...(props.ownerId === null ? {} : { userId: props.ownerId }),
      }),
    );
    if (made !== undefined) {
      setSigningSecret(made.signingSecret ?? null);
      setAddress('');
      setLabel('');
      await props.onChange();
    }
  };
  const test = async (method: ContactMethod) => {
    const result = await act.run(() =>
      api<{ outcome: string; detail: string | null }>('POST', `/api/contact-methods/${method.id}/test`),
    );
    if (result !== undefined) setOutcomes((current) => ({ ...current, [method.id]: result }));
  };
  const remove = async (method: ContactMethod) => {
    if (!window.confirm(`Delete ${methodName(method)}? Its notification rules go with it.`)) return;
    await act.run(() => api('DELETE', `/api/contact-methods/${method.id}`));
    await props.onChange();
  };

  return (
    <div className="card">
      <h2>Contact methods</h2>
      <ProblemMessage error={props.error ?? act.error} />
      {props.methods === undefined ? (
        props.error === null && <Loading />
      ) : props.methods.length === 0 ? (
        <EmptyState title="No contact method yet">
          <p>Nobody can reach you when you are paged. Add an email address or a chat webhook below.</p>
        </EmptyState>
      ) : (
        <ul className="plain-list">
          {props.methods.map((method) => {
            const outcome = outcomes[method.id];
            return (
              <li key={method.id} data-testid="contact-method">
                <strong>{CONTACT_METHOD_LABEL[method.type]}</strong>{' '}
                {method.label !== null && <span>{method.label} · </span>}
                <span className="mono break">{method.address}</span>
                {!method.verified && <PhoneVerification method={method} onVerified={props.onChange} />}
                {unconfigured.data?.has(method.type) && (
                  <p className="warning">
                    The server cannot send {CONTACT_METHOD_LABEL[method.type]} yet (an admin must configure it), so
                    pages to this contact method will fail.
                  </p>
                )}
                <div className="actions">
                  <button type="button" className="secondary small" disabled={act.busy} onClick={() => test(method)}>
                    {props.ownerId === null ? 'Send me a test notification' : 'Send a test notification'}
                    <span className="visually-hidden"> by {methodName(method)}</span>
                  </button>
                  <button type="button" className="danger small" disabled={act.busy} onClick={() => remove(method)}>
                    Delete<span className="visually-hidden"> {methodName(method)}</span>
                  </button>
                </div>
                {outcome !== undefined && (
                  <p role="status" className={outcome.outcome === 'sent' ? 'ok' : 'problem'}>
                    {outcome.outcome === 'sent' ? 'Test notification sent.' : `Test failed (${outcome.outcome}).`}
                    {outcome.detail !== null && ` ${outcome.detail}`}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
      <form onSubmit={submit} aria-labelledby="add-method-title">
        <h3 id="add-method-title">Add a contact method</h3>
        <div className="form-grid">
          <div>
            <label htmlFor="method-type">Type</label>
            <select id="method-type" value={type} onChange={(e) => setType(e.target.value as ContactMethodType)}>
              {CONTACT_METHOD_TYPES.map((value) => (
                <option key={value} value={value}>
                  {CONTACT_METHOD_LABEL[value]}
                </option>
              ))}
            </select>
          </div>
          <div>
            <label htmlFor="method-address">{ADDRESS_LABEL[type]}</label>
            <input
              id="method-address"
              type={type === 'email' ? 'email' : isPhone(type) ? 'tel' : type === 'ntfy' ? 'text' : 'url'}
              required
              value={address}
              onChange={(e) => setAddress(e.target.value)}
              placeholder={
                type === 'email'
                  ? 'you@example.com'
                  : isPhone(type)
                    ? '+14155550100'
                    : type === 'ntfy'
                      ? 'klaxon-you-4f9c2e'
                      : 'https://…'
              }
            />
          </div>
          <div>
            <label htmlFor="method-label">Label (optional)</label>
            <input id="method-label" maxLength={100} value={label} onChange={(e) => setLabel(e.target.value)} />
          </div>
        </div>
        {isPhone(type) && (
          <p className="help">A code is sent to the number at once: enter it here before the number can be paged.</p>
        )}
        {type === 'webhook' && (
          <p className="help">Klaxon signs each request per Standard Webhooks; the signing secret is shown once.</p>
        )}
        <ProblemMessage error={add.error} />
        <button type="submit" className="small" disabled={add.busy}>
          Add contact method
        </button>
      </form>
      {signingSecret !== null && (
        <div className="secret-once" role="status">
          <p className="warning">
            <strong>Copy this signing secret now.</strong> It is shown only this once; receivers verify Klaxon’s
            signatures with it.
          </p>
          <label htmlFor="signing-secret">Signing secret</label>
          <div className="copy-row">
            <input id="signing-secret" readOnly value={signingSecret} className="mono" />
            <CopyButton value={signingSecret} label="Copy secret" />
          </div>
        </div>
      )}
    </div>
  );
}

function Rules(props: {
  methods: ContactMethod[];
  rules: NotificationRule[] | undefined;
  error: unknown;
  onChange: () => Promise<void>;
}) {
  const [methodId, setMethodId] = useState('');
  const [delay, setDelay] = useState(0);
  const [urgency, setUrgency] = useState<NotificationRule['urgency']>('any');
  const action = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const made = await action.run(() =>
      api('POST', '/api/notification-rules', { contactMethodId: methodId, delayMinutes: delay, urgency }),
    );
    if (made !== undefined) {
      setMethodId('');
      await props.onChange();
    }
  };
  const remove = async (rule: NotificationRule) => {
    await action.run(() => api('DELETE', `/api/notification-rules/${rule.id}`));
    await props.onChange();
  };
  const sorted = [...(props.rules ?? [])].sort((a, b) => a.delayMinutes - b.delayMinutes);
  return (
    <div className="card">
      <h2>Notification rules</h2>
      <ProblemMessage error={props.error ?? action.error} />
      {props.rules === undefined ? (
        props.error === null && <Loading />
      ) : sorted.length === 0 ? (
        <p className="muted">No rules: when paged, you are notified on every contact method at once.</p>
      ) : (
        <ol className="plain-list">
          {sorted.map((rule) => (
            <li key={rule.id} data-testid="notification-rule">
              {rule.delayMinutes === 0 ? 'Immediately' : `After ${rule.delayMinutes} min`} by{' '}
              <strong>{methodName(props.methods.find((m) => m.id === rule.contactMethodId))}</strong>
              {rule.urgency === 'any' ? '' : `, for ${rule.urgency}-urgency incidents`}{' '}
              <button type="button" className="danger small" disabled={action.busy} onClick={() => remove(rule)}>
                Delete<span className="visually-hidden"> this rule</span>
              </button>
            </li>
          ))}
        </ol>
      )}
      <p className="muted">
        A rule for high or low urgency applies to those incidents only; for an urgency none of your rules covers, you
        are notified on every contact method at once.
      </p>
      {props.methods.length > 0 && (
        <form onSubmit={submit} aria-labelledby="add-rule-title">
          <h3 id="add-rule-title">Add a rule</h3>
          <div className="form-grid">
            <div>
              <label htmlFor="rule-method">Notify me by</label>
              <select id="rule-method" required value={methodId} onChange={(e) => setMethodId(e.target.value)}>
                <option value="">choose a contact method</option>
                {props.methods.map((method) => (
                  <option key={method.id} value={method.id}>
                    {methodName(method)}
                  </option>
                ))}
              </select>
            </div>
            <div>
              <label htmlFor="rule-delay">Minutes after I am paged (0 = immediately)</label>
              <input
                id="rule-delay"
                type="number"
                min={0}
                max={1440}
                required
                value={delay}
                onChange={(e) => setDelay(Number(e.target.value))}
              />
            </div>
            <div>
              <label htmlFor="rule-urgency">For incidents of urgency</label>
              <select
                id="rule-urgency"
                value={urgency}
                onChange={(e) => setUrgency(e.target.value as NotificationRule['urgency'])}
              >
                <option value="any">any</option>
                <option value="high">high</option>
                <option value="low">low</option>
              </select>
            </div>
          </div>
          <button type="submit" className="small" disabled={action.busy || methodId === ''}>
            Add rule
          </button>
        </form>
      )}
    </div>
  );
}

interface Shift {
  scheduleId: string;
  scheduleName: string;
  start: string;
  end: string;
  overrideId: string | null;
}

function Shifts({ userId }: { userId: string }) {
  const { data, error } = useResource(
    () => api<{ shifts: Shift[] }>('GET', `/api/users/${userId}/oncall`).then((body) => body.shifts),
    userId,
    60_000,
  );
  return (
    <div className="card">
      <h2>On-call shifts in the next 30 days</h2>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.length === 0 ? (
        <p className="muted">
          No shifts. Shifts come from the <Link href="/schedules">schedules</Link> of your teams.
        </p>
      ) : (
        <ul className="plain-list">
          {data.map((shift) => (
            <li key={`${shift.scheduleId}:${shift.start}`}>
              <Link href={`/schedules/${shift.scheduleId}`}>{shift.scheduleName}</Link>: <Time value={shift.start} /> –{' '}
              <Time value={shift.end} />
              {shift.overrideId !== null && <span className="muted"> (override)</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function NotificationLog({ owner, methods }: { owner: string; methods: ContactMethod[] }) {
  const { data, error } = useResource(
    () =>
      api<{ notifications: NotificationLogEntry[] }>('GET', `/api/notifications?limit=50&${owner}`).then(
        (body) => body.notifications,
      ),
    owner,
    10_000,
  );
  return (
    <section aria-labelledby="log-title">
      <h2 id="log-title">Notification log</h2>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.length === 0 ? (
        <EmptyState title="Nothing sent yet">
          <p>Every page sent to you appears here with each delivery attempt and its outcome.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Notifications sent">
          <table>
            <caption className="visually-hidden">Notifications sent to you, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Scheduled</th>
                <th scope="col">Incident</th>
                <th scope="col">Sent by</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
              </tr>
            </thead>
            <tbody>
              {data.map((entry) => (
                <tr key={entry.id} data-testid="notification">
                  <td>
                    <Time value={entry.scheduledAt} />
                  </td>
                  <td>
                    <Link href={`/incidents/${entry.incidentId}`}>open incident</Link>
                    <div className="muted small-text">
                      {entry.level < 0 ? 'assigned to you' : `level ${entry.level + 1}`}
                      {entry.repetition > 0 && `, round ${entry.repetition + 1}`}
                    </div>
                  </td>
                  <td>
                    {methods.some((m) => m.id === entry.contactMethodId)
                      ? methodName(methods.find((m) => m.id === entry.contactMethodId))
                      : CONTACT_METHOD_LABEL[entry.contactMethodType]}
                  </td>
                  <td>
                    <Badge tone={NOTIFICATION_TONE[entry.status] ?? 'grey'}>{entry.status}</Badge>
                    {entry.lastError !== null && <div className="reason">{entry.lastError}</div>}
                    {entry.providerStatus !== null && (
                      <div className="small-text" data-testid="provider-status">
                        {entry.providerStatus.provider}: {entry.providerStatus.status}
                      </div>
                    )}
                  </td>
                  <td>
                    {entry.attempts.length === 0
                      ? '—'
                      : entry.attempts.map((attempt) => (
                          <div key={attempt.attempt} className="small-text">
                            #{attempt.attempt} {attempt.outcome.replace('_', ' ')}
                            {attempt.detail !== null && <span className="muted"> · {attempt.detail}</span>}
                          </div>
                        ))}
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
