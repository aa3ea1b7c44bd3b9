import { type FormEvent, useEffect, useState } from 'react';
import { api, type Me } from '../api';
import type { ResponseOf } from '../api-types';
import { ProblemMessage, useAction } from '../components';

type AuthMethods = ResponseOf<'/api/auth/methods'>;

/** Why single sign-on sent the browser back here (`?sso_error=<problem slug>`), in words. */
const SSO_ERRORS: Record<string, string> = {
  'sso-login-invalid': 'That sign-in attempt expired or was already used. Start again.',
  'sso-rejected': 'The identity provider did not confirm who you are. Try again, or ask an admin.',
  'sso-account-conflict':
    'A Klaxon account with your email exists but could not be linked to your SSO identity. Ask an admin.',
  'sso-provider-unavailable': 'The identity provider could not be reached. Try again in a moment.',
  'sso-not-configured': 'Single sign-on is not configured on this Klaxon.',
};

function ssoErrorFromLocation(): string | null {
  const code = new URLSearchParams(window.location.search).get('sso_error');
  if (code === null) return null;
  return SSO_ERRORS[code] ?? 'Single sign-on failed. Try again, or ask an admin.';
}

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
  const [methods, setMethods] = useState<AuthMethods | null>(null);
  const [ssoError] = useState(ssoErrorFromLocation);

  useEffect(() => {
    api<AuthMethods>('GET', '/api/auth/methods').then(setMethods, () => setMethods(null));
  }, []);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const me = await run(() => api<Me>('POST', '/api/auth/login', { email, password }));
    if (me !== undefined) onSignedIn(me);
  };

  const passwordFields = (
    <>
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
    </>
  );

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
        {ssoError !== null && (
          <div className="problem" role="alert">
            <strong>Single sign-on failed</strong>
            <p>{ssoError}</p>
          </div>
        )}
        {methods?.ssoLoginUrl != null && (
          <a className="button" href={methods.ssoLoginUrl}>
            Sign in with SSO
          </a>
        )}
        {methods?.ssoOnly === true ? (
          <details>
            <summary>Break-glass sign-in with a password</summary>
            {passwordFields}
          </details>
        ) : (
          passwordFields
        )}
      </form>
    </main>
  );
}
