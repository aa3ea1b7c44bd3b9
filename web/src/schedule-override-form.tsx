import { type FormEvent, useEffect, useRef, useState } from 'react';
import { api } from './api';
import { toLocalInput } from './calendar';
import { ProblemMessage, useAction } from './components';
import { type Override, personName } from './paging-api';
import type { TeamMember } from './teams-api';

/** What the form starts from: an override being changed, or a shift picked on the timeline. */
export interface OverrideDraft {
  userId: string;
  startsAt: string;
  endsAt: string;
  note: string | null;
  /** Put the keyboard on "Who covers" (someone else covers) rather than on the submit button. */
  focus?: 'who' | 'submit';
}

interface Props {
  scheduleId: string;
  members: TeamMember[];
  /** The override being changed; absent: a new one. */
  override?: Override;
  draft?: OverrideDraft;
  onDone: () => Promise<void>;
  onCancel?: () => void;
}

const defaultDraft = (): OverrideDraft => ({
  userId: '',
  startsAt: new Date().toISOString(),
  endsAt: new Date(Date.now() + 8 * 3_600_000).toISOString(),
  note: null,
});

/** Someone covers a stretch of time above every rotation: added, or changed in place (it keeps its precedence). */
export function OverrideForm({ scheduleId, members, override, draft, onDone, onCancel }: Props) {
  const start = override ?? draft ?? defaultDraft();
  const prefix = override === undefined ? 'override' : `override-${override.id}`;
  const [userId, setUserId] = useState(start.userId);
  const [startsAt, setStartsAt] = useState(() => toLocalInput(new Date(start.startsAt)));
  const [endsAt, setEndsAt] = useState(() => toLocalInput(new Date(start.endsAt)));
  const [note, setNote] = useState(start.note ?? '');
  const action = useAction();
  const form = useRef<HTMLFormElement>(null);
  const focus = draft?.focus;
  useEffect(() => {
    if (focus === undefined || form.current === null) return;
    form.current.scrollIntoView({ block: 'center' });
    const target = focus === 'who' ? `#${prefix}-user` : 'button[type="submit"]';
    form.current.querySelector<HTMLElement>(target)?.focus();
  }, [focus, prefix]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      userId,
      startsAt: new Date(startsAt).toISOString(),
      endsAt: new Date(endsAt).toISOString(),
      note: note === '' ? null : note,
    };
    const saved = await action.run(() =>
      override === undefined
        ? api('POST', `/api/schedules/${scheduleId}/overrides`, body)
        : api('PATCH', `/api/schedules/${scheduleId}/overrides/${override.id}`, body),
    );
    if (saved === undefined) return;
    if (override === undefined) setNote('');
    await onDone();
  };

  return (
    <form ref={form} onSubmit={submit} aria-labelledby={`${prefix}-title`} className={override ? 'editor' : ''}>
      <h3 id={`${prefix}-title`}>{override === undefined ? 'Add an override' : 'Change this override'}</h3>
      {override === undefined && <p className="help">Someone covers a stretch of time, above every rotation.</p>}
      <div className="form-grid">
        <div>
          <label htmlFor={`${prefix}-user`}>Who covers</label>
          <select id={`${prefix}-user`} required value={userId} onChange={(e) => setUserId(e.target.value)}>
            <option value="">choose a team member</option>
            {members.map((member) => (
              <option key={member.userId} value={member.userId}>
                {personName(member)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor={`${prefix}-start`}>From</label>
          <input
            id={`${prefix}-start`}
            type="datetime-local"
            required
            value={startsAt}
            onChange={(e) => setStartsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${prefix}-end`}>Until</label>
          <input
            id={`${prefix}-end`}
            type="datetime-local"
            required
            value={endsAt}
            onChange={(e) => setEndsAt(e.target.value)}
          />
        </div>
        <div>
          <label htmlFor={`${prefix}-note`}>Note (optional)</label>
          <input id={`${prefix}-note`} maxLength={500} value={note} onChange={(e) => setNote(e.target.value)} />
        </div>
      </div>
      <ProblemMessage error={action.error} />
      <div className="actions">
        <button type="submit" className="small" disabled={action.busy || userId === ''}>
          {override === undefined ? 'Add override' : 'Save override'}
        </button>
        {onCancel !== undefined && (
          <button type="button" className="secondary small" onClick={onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}
