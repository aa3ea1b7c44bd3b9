import { type ReactNode, type RefObject, useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { ApiError } from './api';
import { isLive, type LiveTopic, onLiveChange, onLiveStatus } from './live';

/** An API error as its problem+json title and detail (and field errors), announced to screen readers. */
export function ProblemMessage({ error }: { error: unknown }) {
  if (error === null || error === undefined) return null;
  const problem =
    error instanceof ApiError
      ? error.problem
      : { title: 'Something went wrong', detail: error instanceof Error ? error.message : String(error) };
  return (
    <div className="problem" role="alert">
      <strong>{problem.title}</strong>
      {problem.detail !== undefined && problem.detail !== problem.title && <p>{problem.detail}</p>}
      {'errors' in problem && problem.errors !== undefined && problem.errors.length > 0 && (
        <ul>
          {problem.errors.map((fieldError) => (
            <li key={`${fieldError.path}:${fieldError.message}`}>
              <code>{fieldError.path || '(body)'}</code> {fieldError.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

/**
 * Whether an element scrolls (its content is wider or taller than its box), re-measured after
 * every render and when it or its content resizes: a box that scrolls must be reachable by
 * keyboard (WCAG 2.1.1), one that does not should not add a Tab stop.
 */
function useScrolls<T extends HTMLElement>(): [RefObject<T | null>, boolean] {
  const ref = useRef<T>(null);
  const [scrolls, setScrolls] = useState(false);
  const measure = useCallback(() => {
    const element = ref.current;
    if (element === null) return;
    setScrolls(element.scrollWidth > element.clientWidth + 1 || element.scrollHeight > element.clientHeight + 1);
  }, []);
  useLayoutEffect(measure);
  useEffect(() => {
    const element = ref.current;
    if (element === null || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    for (const child of Array.from(element.children)) observer.observe(child);
    return () => observer.disconnect();
  }, [measure]);
  return [ref, scrolls];
}

/** What makes a scrolling box keyboard-reachable and named; nothing while it fits. */
function scrollRegion(scrolls: boolean, label: string) {
  return scrolls ? { tabIndex: 0, role: 'region', 'aria-label': label } : {};
}

/**
 * A wide table's frame: it scrolls sideways on a narrow screen, and then takes focus so arrow keys
 * scroll it, as a region named "<label> table" (distinct from the page section of the same name).
 */
export function TableWrap({ label, children }: { label: string; children: ReactNode }) {
  const [ref, scrolls] = useScrolls<HTMLDivElement>();
  useLayoutEffect(() => labelCells(ref.current));
  return (
    <div ref={ref} className="table-wrap" {...scrollRegion(scrolls, `${label} table`)}>
      {children}
    </div>
  );
}

/**
 * At phone width (styles.css) a table's rows are shown as stacked cards; each cell then shows its
 * column's header in front of it, from `data-label`, set here from the table's own header row so
 * pages need not repeat it. Runs after every render, so rows added by live updates get it too.
 */
function labelCells(wrap: HTMLElement | null): void {
  const table = wrap?.querySelector('table');
  if (table === null || table === undefined) return;
  const headers = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? '');
  for (const row of Array.from(table.querySelectorAll('tbody tr'))) {
    Array.from(row.children).forEach((cell, index) => {
      const header = headers[index] ?? '';
      if (header === '') cell.removeAttribute('data-label');
      else if (cell.getAttribute('data-label') !== header) cell.setAttribute('data-label', header);
    });
  }
}

/** Preformatted code or JSON; like TableWrap, focusable while it scrolls. */
export function CodeBlock({
  label,
  className = 'code',
  children,
}: {
  label: string;
  className?: string;
  children: string;
}) {
  const [ref, scrolls] = useScrolls<HTMLPreElement>();
  return (
    <pre ref={ref} className={className} {...scrollRegion(scrolls, label)}>
      {children}
    </pre>
  );
}

export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <p className="empty-title">{title}</p>
      {children}
    </div>
  );
}

export function CopyButton({ value, label = 'Copy' }: { value: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
    } catch {
      // Clipboard access needs a secure context; fall back to a hidden textarea.
      const area = document.createElement('textarea');
      area.value = value;
      area.setAttribute('readonly', '');
      area.style.position = 'fixed';
      area.style.opacity = '0';
      document.body.appendChild(area);
      area.select();
      document.execCommand('copy');
      area.remove();
    }
    setCopied(true);
    window.setTimeout(() => setCopied(false), 2000);
  };
  return (
    <button type="button" className="secondary small" onClick={copy}>
      {copied ? 'Copied' : label}
      <span className="visually-hidden" aria-live="polite">
        {copied ? ' — copied to the clipboard' : ''}
      </span>
    </button>
  );
}

export function Badge({ tone, children }: { tone: string; children: ReactNode }) {
  return <span className={`badge badge-${tone}`}>{children}</span>;
}

export function Time({ value }: { value: string | null }) {
  if (value === null) return <span className="muted">—</span>;
  const date = new Date(value);
  return (
    <time dateTime={value} title={date.toISOString()}>
      {date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' })}
    </time>
  );
}

export function Loading() {
  return (
    <p className="muted" aria-live="polite">
      Loading…
    </p>
  );
}

/** While the live-update stream is down, pages that follow topics poll this often instead. */
const FALLBACK_POLL_MS = 15_000;

/**
 * Loads data and keeps it current: with `live.topics`, it refetches whenever the live-update
 * stream says one of them changed (and polls slowly while the stream is down); with a number,
 * it polls that often while the tab is visible (for data that changes with time, not events).
 * Errors are kept (shown as problem details) without dropping the last good data.
 */
export function useResource<T>(load: () => Promise<T>, key: string, live?: number | { topics: LiveTopic[] }) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  // Refetches can overlap when changes come quickly; only the latest one's answer is kept.
  const latest = useRef(0);
  // `key` names what the loader depends on; a new key loads afresh.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the loader is read through a ref
  const reload = useCallback(async () => {
    const attempt = ++latest.current;
    try {
      const value = await loadRef.current();
      if (attempt !== latest.current) return;
      setData(value);
      setError(null);
    } catch (caught) {
      if (attempt === latest.current) setError(caught);
    }
  }, [key]);
  const pollMs = typeof live === 'number' ? live : live === undefined ? undefined : FALLBACK_POLL_MS;
  const topics = typeof live === 'object' ? live.topics.join(',') : '';
  useEffect(() => {
    void reload();
    if (pollMs === undefined) return;
    const followed = topics === '' ? [] : topics.split(',');
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible' && (followed.length === 0 || !isLive())) void reload();
    }, pollMs);
    const stopFollowing =
      followed.length === 0
        ? () => {}
        : onLiveChange((topic) => {
            if (topic === 'all' || followed.includes(topic)) void reload();
          });
    return () => {
      window.clearInterval(timer);
      stopFollowing();
    };
  }, [reload, pollMs, topics]);
  return { data, error, reload };
}

/** "Live" while the update stream is connected; otherwise the pages poll slowly. */
export function LiveStatus() {
  const [connected, setConnected] = useState(isLive());
  useEffect(() => onLiveStatus(setConnected), []);
  return (
    <span className="live-status" title={connected ? 'Updates arrive as they happen' : 'Reconnecting'}>
      {connected ? '●' : '○'} <span className="live-word">{connected ? 'live' : 'reconnecting'}</span>
    </span>
  );
}

/** Runs an action, tracking busy state and its error. */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (caught) {
      setError(caught);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run, setError };
}

export const SEVERITY_TONE: Record<string, string> = {
  critical: 'red',
  error: 'orange',
  warning: 'yellow',
  info: 'blue',
};
export const STATUS_TONE: Record<string, string> = { firing: 'red', acknowledged: 'yellow', resolved: 'green' };

/** A resource's name: required, at most 100 characters, as the API's display-name rule. */
export function NameField({
  id,
  label = 'Name',
  value,
  onChange,
}: {
  id: string;
  label?: string;
  value: string;
  onChange: (value: string) => void;
}) {
  return (
    <div>
      <label htmlFor={id}>{label}</label>
      <input id={id} required maxLength={100} value={value} onChange={(e) => onChange(e.target.value)} />
    </div>
  );
}
