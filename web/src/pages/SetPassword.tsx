import { type FormEvent, useEffect, useState } from 'react';
import { api } from '../api';
import type { ResponseOf } from '../api-types';
import { Loading, ProblemMessage, Time, useAction } from '../components';

type LinkInfo = ResponseOf<'/api/auth/password-links/{token}'>;

/** The token travels in the URL fragment (`#token=…`), which browsers never send to a server. */
function tokenFromLocation(): string {
  return new URLSearchParams(window.location.hash.slice(1)).get('token') ?? '';
}

/** The public page an invite or reset link opens: whose account it is, then the new password twice. */
export function SetPasswordPage({ onDone }: { onDone: (email: string) => void }) {
  const [token] = useState(tokenFromLocation);
  const [info, setInfo] = useState<LinkInfo | undefined>(undefined);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();

  useEffect(() => {
    if (token === '') {
      setLoadError(new Error('This page needs the full link you were sent; check that it was not cut short.'));
      return;
    }
    api<LinkInfo>('GET', `/api/auth/password-links/${encodeURIComponent(token)}`).then(setInfo, setLoadError);
  }, [token]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat || info === undefined) return;
    const done = await run(async () => {
      await api('POST', `/api/auth/password-links/${encodeURIComponent(token)}`, { password });
      return true;
    });
    if (done) onDone(info.email);
  };

  return (
    <main className="centered" id="main">
      <div className="card signin">
        <h1 id="set-password-title">
          <span aria-hidden="true" className="brand-mark">
            ◉
          </span>{' '}
          {info?.purpose === 'reset' ? 'Reset your Klaxon password' : 'Choose your Klaxon password'}
        </h1>
        <ProblemMessage error={loadError} />
        {info === undefined ? (
          loadError === null && <Loading />
        ) : (
          <form onSubmit={submit} aria-labelledby="set-password-title">
            <p>
              For <strong>{info.email}</strong>. This link works once and expires <Time value={info.expiresAt} />.
            </p>
            <ProblemMessage error={error} />
            {/* Lets password managers store the new password under the right account. */}
            <input type="email" autoComplete="username" value={info.email} readOnly hidden />
            <label htmlFor="new-password">New password (at least 8 characters)</label>
            <input
              id="new-password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              value={password}
              onChange={(event) => setPassword(event.target.value)}
            />
            <label htmlFor="repeat-password">New password again</label>
            <input
              id="repeat-password"
              type="password"
              autoComplete="new-password"
              minLength={8}
              required
              aria-invalid={mismatch}
              aria-describedby={mismatch ? 'repeat-password-error' : undefined}
              value={repeat}
              onChange={(event) => {
                setRepeat(event.target.value);
                setMismatch(false);
              }}
            />
            {mismatch && (
              <p id="repeat-password-error" className="problem" role="alert">
                The two passwords differ; type the same password twice.
              </p>
            )}
            <button type="submit" disabled={busy}>
              {busy ? 'Saving…' : 'Set password'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
