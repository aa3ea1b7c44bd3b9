import { type FormEvent, useState } from 'react';
import { api, type User } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, Time, useAction, useResource } from '../components';
import { Link } from '../router';

export function UsersPage() {
  const { data, error, reload } = useResource(() => api<{ users: User[] }>('GET', '/api/users'), '');
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [isAdmin, setIsAdmin] = useState(false);
  const [password, setPassword] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const create = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const user = await create.run(async () => {
      const made = await api<User>('POST', '/api/users', {
        email,
        ...(name ? { name } : {}),
        isPlatformAdmin: isAdmin,
      });
      if (password !== '') await api('PUT', `/api/users/${made.id}/password`, { password });
      return made;
    });
    if (user !== undefined) {
      setCreated(user.email);
      setEmail('');
      setName('');
      setPassword('');
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
          <p role="status" className="ok">
            {created} was added.
          </p>
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
          <div>
            <label htmlFor="user-password">Initial password (optional, 8+ characters)</label>
            <input
              id="user-password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          </div>
        </div>
        <div className="checkbox">
          <input id="user-admin" type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />
          <label htmlFor="user-admin">Platform admin</label>
        </div>
        <button type="submit" disabled={create.busy}>
          Add user
        </button>
      </form>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.users.length === 0 ? (
        <EmptyState title="No users" />
      ) : (
        <div className="table-wrap">
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
                    <ResetPassword user={user} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function ResetPassword({ user }: { user: User }) {
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [done, setDone] = useState(false);
  const action = useAction();
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)}>
        {done ? 'Password set ✓' : 'Set password…'}
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const ok = await action.run(async () => {
      await api('PUT', `/api/users/${user.id}/password`, { password });
      return true;
    });
    if (ok) {
      setDone(true);
      setOpen(false);
      setPassword('');
    }
  };
  return (
    <form onSubmit={submit} className="copy-row">
      <label htmlFor={`pw-${user.id}`} className="visually-hidden">
        New password for {user.email}
      </label>
      <input
        id={`pw-${user.id}`}
        type="password"
        autoComplete="new-password"
        minLength={8}
        required
        value={password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <button type="submit" className="small" disabled={action.busy}>
        Save
      </button>
      <ProblemMessage error={action.error} />
    </form>
  );
}
