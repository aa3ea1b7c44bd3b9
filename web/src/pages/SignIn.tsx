import { type FormEvent, useState } from 'react';
import { api, type Me } from '../api';
import { ProblemMessage, useAction } from '../components';

export function SignInPage({
  onSignedIn,
  passwordSetFor = null,
}: {
  onSignedIn: (me: Me) => void;
  /** Set right after someone chose a password with a link: they sign in with it now. */
  passwordSetFor?: string | null;
}) {
  const [email, setEmail] = useState(passwordSetFor ?? '');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const me = await run(() => api<Me>('POST', '/api/auth/login', { email, password }));
    if (me !== undefined) onSignedIn(me);
  };

  return (
    <main className="centered" id="main">
      <form className="card signin" onSubmit={submit} aria-labelledby="signin-title">
        <h1 id="signin-title">
          <span aria-hidden="true" className="brand-mark">
            ◉
          </span>{' '}
          Sign in to Klaxon
        </h1>
        {passwordSetFor !== null && (
          <p role="status" className="ok">
            Your password is set. Sign in with it now.
          </p>
        )}
        <ProblemMessage error={error} />
        <label htmlFor="email">Email</label>
        <input
          id="email"
          name="email"
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
        <button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
        <p className="muted small-text">
          No password yet, or forgot it? Ask an admin for an invite or reset link (Users page), or to run{' '}
          <code>npm run cli -- set-password --email you@example.com --password-stdin</code>.
        </p>
      </form>
    </main>
  );
}
