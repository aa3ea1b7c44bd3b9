import { type FormEvent, useState } from 'react';
import { api } from './api';
import { ProblemMessage, useAction } from './components';
import type { ContactMethod } from './paging-api';

/**
 * Entering the code a new phone number received (it is paged only once verified), or asking for
 * a new code.
 */
export function PhoneVerification({ method, onVerified }: { method: ContactMethod; onVerified: () => Promise<void> }) {
  const [code, setCode] = useState('');
  const [resent, setResent] = useState(false);
  const verify = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const done = await verify.run(() =>
      api<ContactMethod>('POST', `/api/contact-methods/${method.id}/verify`, { code: code.trim() }),
    );
    if (done !== undefined) {
      setCode('');
      await onVerified();
    }
  };
  const resend = async () => {
    const done = await verify.run(() => api('POST', `/api/contact-methods/${method.id}/verify/resend`));
    if (done !== undefined) setResent(true);
  };
  const inputId = `verify-${method.id}`;
  return (
    <form onSubmit={submit} className="inline-form" aria-label={`Verify ${method.address}`}>
      <p className="help">
        Not verified yet: this number is not paged until you enter the 6-digit code it received
        {method.type === 'voice' ? ' in a call' : ' by SMS'}.
      </p>
      <label htmlFor={inputId}>Verification code</label>
      <input
        id={inputId}
        inputMode="numeric"
        autoComplete="one-time-code"
        pattern="\d{6}"
        maxLength={6}
        required
        value={code}
        onChange={(e) => setCode(e.target.value)}
      />
      <button type="submit" className="small" disabled={verify.busy}>
        Verify
      </button>
      <button type="button" className="secondary small" disabled={verify.busy} onClick={resend}>
        Send a new code
      </button>
      {resent && <p role="status">A new code is on its way.</p>}
      <ProblemMessage error={verify.error} />
    </form>
  );
}
