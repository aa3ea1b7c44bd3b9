import { type FormEvent, useState } from 'react';
import { api, type PasswordLink, type User } from '../api';
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
import { Link } from '../router';
import { loadUnconfiguredChannels } from './PagingHealth';

export function UsersPage() {
  const { data, error, reload } = useResource(() => api<{ users: User[] }>('GET', '/api/users'), '');
  const unconfigured = useResource(loadUnconfiguredChannels, 'channels');
  const cannotEmail = unconfigured.data?.has('email') === true;
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [emailLink, setEmailLink] = useState(false);
  const [created, setCreated] = useState<{ user: User; link: PasswordLink } | null>(null);
  const create = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    // The new person chooses their own password through an invite link; the admin never knows it.
    const result = await create.run(async () => {
      const user = await api<User>('POST', '/api/users', {
        email,
        ...(name ? { name } : {}),
        isPlatformAdmin: isAdmin,
      });
      const link = await api<PasswordLink>('POST', `/api/users/${user.id}/password-link`, {
        email: emailLink && !cannotEmail,
      });
      return { user, link };
    });
    if (result !== undefined) {
      setCreated(result);
      setEmail('');
      setName('');
      setIsAdmin(false);
      await reload();
    }
  };

  return (
    <section aria-labelledby="users-title">
      <h1 id="users-title">Users</h1>
      <form className="card" onSubmit={submit} aria-labelledby="invite-title">
        <h2 id="invite-title">Add a user</h2>
        <ProblemMessage error={create.error} />
        {created !== null && (
          <>
            <p role="status" className="ok">
              {created.user.email} was added.{' '}
              {created.link.emailed
                ? 'The invite link was emailed to them; it is also shown below.'
                : 'Send them this invite link so they can choose a password.'}
            </p>
            {created.link.emailError !== null && (
              <p className="warning">
                The email could not be sent ({created.link.emailError}); send the link yourself.
              </p>
            )}
            <LinkOnce user={created.user} link={created.link} />
          </>
        )}
        <div className="form-grid">
          <div>
            <label htmlFor="user-email">Email</label>
            <input id="user-email" type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
          </div>
          <div>
            <label htmlFor="user-name">Name (optional)</label>
            <input id="user-name" value={name} onChange={(e) => setName(e.target.value)} />
          </div>
        </div>
        <div className="checkbox">
          <input id="user-admin" type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          <label htmlFor="user-admin">Platform admin</label>
        </div>
        <div className="checkbox">
          <input
            id="user-email-link"
            type="checkbox"
            checked={emailLink && !cannotEmail}
            disabled={cannotEmail}
            aria-describedby={cannotEmail ? 'user-email-link-help' : undefined}
            onChange={(e) => setEmailLink(e.target.checked)}
          />
          <label htmlFor="user-email-link">Also email the invite link to them</label>
          {cannotEmail && (
            <p id="user-email-link-help" className="help">
              Email is not configured on the server (SMTP_URL), so copy the link instead.
            </p>
          )}
        </div>
        <button type="submit" disabled={create.busy}>
          Add user and create invite link
        </button>
      </form>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.users.length === 0 ? (
        <EmptyState title="No users yet">
          <p>Add a person above: Klaxon creates an invite link for them to choose their own password.</p>
        </EmptyState>
      ) : (
        <TableWrap label="Users">
          <table>
            <caption className="visually-hidden">Users</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Name</th>
                <th scope="col">Role</th>
                <th scope="col">Created</th>
                <th scope="col">Password</th>
              </tr>
            </thead>
            <tbody>
              {data.users.map((user) => (
                <tr key={user.id}>
                  <td>
                    <Link href={`/people/${user.id}`}>{user.email}</Link>
                  </td>
                  <td>{user.name ?? <span className="muted">—</span>}</td>
                  <td>{user.isPlatformAdmin ? <Badge tone="blue">admin</Badge> : 'member'}</td>
                  <td>
                    <Time value={user.createdAt} />
                  </td>
                  <td>
                    <PasswordLinkCell user={user} />
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

/** "Invite link" for someone without a password, "Reset link" otherwise; the link is shown once. */
function PasswordLinkCell({ user }: { user: User }) {
  const [link, setLink] = useState<PasswordLink | null>(null);
  const action = useAction();
  const label = user.hasPassword ? 'Reset link' : 'Invite link';
  const create = async () => {
    const made = await action.run(() => api<PasswordLink>('POST', `/api/users/${user.id}/password-link`));
    if (made !== undefined) setLink(made);
  };
  return (
    <div>
      <button
        type="button"
        className="secondary small"
        onClick={create}
        disabled={action.busy}
        aria-label={`${label} for ${user.email}`}
      >
        {link === null ? label : `New ${label.toLowerCase()}`}
      </button>
      <ProblemMessage error={action.error} />
      {link !== null && <LinkOnce user={user} link={link} />}
    </div>
  );
}

function LinkOnce({ user, link }: { user: User; link: PasswordLink }) {
  const id = `password-link-${user.id}`;
  return (
    <div className="secret-once" role="status">
      <p className="warning">
        <strong>Copy this link now and send it only to {user.email}.</strong> It is shown only this once, works once,
        and expires <Time value={link.expiresAt} />. Anyone holding it can set this account’s password; a new link
        replaces it.
      </p>
      <label htmlFor={id}>{link.purpose === 'invite' ? 'Invite link' : 'Password reset link'}</label>
      <div className="copy-row">
        <input id={id} readOnly value={link.url} className="mono" />
        <CopyButton value={link.url} label="Copy link" />
      </div>
    </div>
  );
}
