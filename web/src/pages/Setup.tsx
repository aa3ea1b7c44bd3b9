import { type FormEvent, useState } from 'react';
import { api, type Me, type SetupStatus } from '../api';
import { ProblemMessage, useAction } from '../components';
import { Link } from '../router';

/** The setup link carries its token in the fragment (`#token=…`), which browsers never send to a server. */
function tokenFromLocation(): string {
  const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('token');
  return fromHash ?? new URLSearchParams(window.location.search).get('token') ?? '';
}

/** Renders the command of the fallback text (between backticks) as code. */
function WithCode({ text }: { text: string }) {
  return (
    <>
      {text.split('`').map((part, index) =>
        // biome-ignore lint/suspicious/noArrayIndexKey: the parts never move
        index % 2 === 1 ? <code key={index}>{part}</code> : <span key={index}>{part}</span>,
      )}
    </>
  );
}

/**
 * First run, while no user exists: with the setup link the server printed, the first person
 * creates the admin account here and is signed in; without it, the page says where to find the
 * link, and the command that does the same for this server's database.
 */
export function SetupPage({ status, onSignedIn }: { status: SetupStatus; onSignedIn: (me: Me) => void }) {
  const [token] = useState(tokenFromLocation);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [mismatch, setMismatch] = useState(false);
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setMismatch(password !== repeat);
    if (password !== repeat) return;
    const me = await run(() => api<Me>('POST', '/api/setup', { token, email, name, password }));
    if (me !== undefined) {
      // Drop the used token from the address bar and history.
      window.history.replaceState(null, '', '/');
      onSignedIn(me);
    }
  };

  const title = (
    <h1 id="setup-title">
      <span aria-hidden="true" className="brand-mark">
        ◉
      </span>{' '}
      Set up Klaxon
    </h1>
  );

  if (!status.setupNeeded) {
    return (
      <main className="centered" id="main">
        <div className="card signin">
          {title}
          <p>Klaxon is already set up: this setup link no longer works.</p>
          <p>
            <Link href="/">Sign in</Link>, or ask an admin for an invite link.
          </p>
        </div>
      </main>
    );
  }

  if (token === '') {
    return (
      <main className="centered" id="main">
        <div className="card signin">
          {title}
          <p>Klaxon has no users yet. The first person to set it up becomes its admin.</p>
          <h2>Open the setup link</h2>
          <p>
            When it started, the server printed a one-time setup link in its output (and as <code>setupUrl</code> in its
            JSON log). Open that link in this browser to create the admin account. Restarting Klaxon prints it again.
          </p>
          <h2>Or use the command line</h2>
          <p>
            <WithCode text={status.command ?? ''} />
          </p>
          <p className="muted small-text">
            This server uses {status.database === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'the embedded database'}.
          </p>
        </div>
      </main>
    );
  }

  return (
    <main className="centered" id="main">
      <div className="card signin">
        {title}
        <form onSubmit={submit} aria-labelledby="setup-title">
          <p>Create the admin account. This link works once, and only until a user exists.</p>
          <ProblemMessage error={error} />
          <label htmlFor="setup-email">Email</label>
          <input
            id="setup-email"
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <label htmlFor="setup-name">Name</label>
          <input
            id="setup-name"
            autoComplete="name"
            required
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <label htmlFor="setup-password">Password (at least 8 characters)</label>
          <input
            id="setup-password"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
          <label htmlFor="setup-repeat">Password again</label>
          <input
            id="setup-repeat"
            type="password"
            autoComplete="new-password"
            minLength={8}
            required
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'setup-repeat-error' : undefined}
            value={repeat}
            onChange={(event) => {
              setRepeat(event.target.value);
              setMismatch(false);
            }}
          />
          {mismatch && (
            <p id="setup-repeat-error" className="problem" role="alert">
              The two passwords differ; type the same password twice.
            </p>
          )}
          <button type="submit" disabled={busy}>
            {busy ? 'Creating…' : 'Create admin account and sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
