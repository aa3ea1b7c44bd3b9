import { type FormEvent, useEffect, useRef, useState } from 'react';
import { ALERT_SEVERITIES, api, type Integration } from '../api';
import { Badge, ProblemMessage, TableWrap, useAction } from '../components';
import type { RoutingTestResult, SampleAlert } from '../routing-api';

type Mode = 'alert' | 'payload';

/** Parses `name=value` lines into labels; blank lines are skipped. */
function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const at = line.indexOf('=');
    if (at <= 0) throw new Error(`Write each label as name=value (line: "${line.trim()}")`);
    labels[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return labels;
}

/**
 * Dry-run (POST /api/routing-rules/test): routes a sample alert, or a raw payload as a sender
 * would post it, through the current rules exactly as intake would, and stores nothing.
 */
export function DryRun({ integrations }: { integrations: Integration[] }) {
  // An alert that reached no team links here with its fields in the query (see the alert page).
  const [prefill] = useState(() => new URLSearchParams(window.location.search));
  const [mode, setMode] = useState<Mode>('alert');
  const [integrationId, setIntegrationId] = useState(prefill.get('integrationId') ?? '');
  const [title, setTitle] = useState(prefill.get('title') ?? '');
  const [severity, setSeverity] = useState<SampleAlert['severity']>(
    (ALERT_SEVERITIES as readonly string[]).includes(prefill.get('severity') ?? '')
      ? (prefill.get('severity') as SampleAlert['severity'])
      : 'warning',
  );
  const [source, setSource] = useState(prefill.get('source') ?? '');
  const [labels, setLabels] = useState(prefill.get('labels') ?? '');
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (!prefill.has('title')) return;
    heading.current?.scrollIntoView();
    heading.current?.focus({ preventScroll: true });
  }, [prefill]);
  const [payload, setPayload] = useState('');
  const [result, setResult] = useState<RoutingTestResult | null>(null);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setResult(null);
    const answer = await action.run(() => {
      const scope = integrationId === '' ? {} : { integrationId };
      if (mode === 'payload') {
        let parsed: unknown;
        try {
          parsed = JSON.parse(payload);
        } catch {
          throw new Error('The payload is not valid JSON');
        }
        return api<RoutingTestResult>('POST', '/api/routing-rules/test', { ...scope, payload: parsed });
      }
      const alert: SampleAlert = {
        title,
        severity,
        source: source === '' ? null : source,
        labels: parseLabels(labels),
      };
      return api<RoutingTestResult>('POST', '/api/routing-rules/test', { ...scope, alert });
    });
    if (answer !== undefined) setResult(answer);
  };

  return (
    <section className="card dry-run" aria-labelledby="dry-run-heading">
      <h2 id="dry-run-heading" ref={heading} tabIndex={-1}>
        Dry-run
      </h2>
      <p className="help">Which rules would match this alert, and which teams would it reach? Nothing is stored.</p>
      <form onSubmit={submit}>
        <fieldset className="mode">
          <legend>Try</legend>
          <div className="checkbox">
            <input
              id="dry-run-mode-alert"
              type="radio"
              name="dry-run-mode"
              checked={mode === 'alert'}
              onChange={() => setMode('alert')}
            />
            <label htmlFor="dry-run-mode-alert">a sample alert</label>
          </div>
          <div className="checkbox">
            <input
              id="dry-run-mode-payload"
              type="radio"
              name="dry-run-mode"
              checked={mode === 'payload'}
              onChange={() => setMode('payload')}
            />
            <label htmlFor="dry-run-mode-payload">a raw payload, as an integration's sender posts it</label>
          </div>
        </fieldset>
        <div className="form-grid">
          <div>
            <label htmlFor="dry-run-integration">Integration</label>
            <select
              id="dry-run-integration"
              required={mode === 'payload'}
              value={integrationId}
              onChange={(e) => setIntegrationId(e.target.value)}
            >
              <option value="">{mode === 'payload' ? 'choose…' : 'none (global rules only)'}</option>
              {integrations.map((integration) => (
                <option key={integration.id} value={integration.id}>
                  {integration.name} ({integration.type})
                </option>
              ))}
            </select>
          </div>
          {mode === 'alert' && (
            <>
              <div>
                <label htmlFor="dry-run-title">Title</label>
                <input id="dry-run-title" required value={title} onChange={(e) => setTitle(e.target.value)} />
              </div>
              <div>
                <label htmlFor="dry-run-severity">Severity</label>
                <select
                  id="dry-run-severity"
                  value={severity}
                  onChange={(e) => setSeverity(e.target.value as SampleAlert['severity'])}
                >
                  {ALERT_SEVERITIES.map((value) => (
                    <option key={value}>{value}</option>
                  ))}
                </select>
              </div>
              <div>
                <label htmlFor="dry-run-source">Source (optional)</label>
                <input id="dry-run-source" value={source} onChange={(e) => setSource(e.target.value)} />
              </div>
            </>
          )}
        </div>
        {mode === 'alert' ? (
          <div>
            <label htmlFor="dry-run-labels">Labels, one name=value per line</label>
            <textarea
              id="dry-run-labels"
              rows={4}
              placeholder={'team=payments\nenv=production'}
              value={labels}
              onChange={(e) => setLabels(e.target.value)}
            />
          </div>
        ) : (
          <div>
            <label htmlFor="dry-run-payload">Payload (JSON)</label>
            <textarea
              id="dry-run-payload"
              rows={8}
              className="mono"
              required
              value={payload}
              onChange={(e) => setPayload(e.target.value)}
            />
          </div>
        )}
        <button type="submit" disabled={action.busy}>
          Run dry-run
        </button>
      </form>
      <ProblemMessage error={action.error} />
      <div aria-live="polite">{result !== null && <DryRunResult result={result} />}</div>
    </section>
  );
}

function DryRunResult({ result }: { result: RoutingTestResult }) {
  if (result.results.length === 0) return <p className="muted">The payload holds no alert.</p>;
  return (
    <div className="dry-run-results" data-testid="dry-run-result">
      {result.results.map((outcome, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: results are positional (one per alert in the payload)
        <div key={index} className="dry-run-result">
          <h3>
            {outcome.alert.title} <Badge tone="grey">{outcome.alert.status}</Badge>
          </h3>
          <p data-testid="dry-run-teams">
            {outcome.teams.length === 0 ? (
              <>Lands on no team: only platform admins would see it.</>
            ) : (
              <>
                Lands on <strong>{outcome.teams.map((team) => team.name).join(', ')}</strong>
                {outcome.defaultTeamUsed && " (the integration's default team: no rule matched)"}.
              </>
            )}
          </p>
          {!outcome.routedAtIngest && (
            <p className="muted">
              A {outcome.alert.status} event joins the open alert as it was routed; only firing events are routed.
            </p>
          )}
          {outcome.evaluated.length > 0 && (
            <TableWrap label="Rules evaluated">
              <table>
                <caption className="visually-hidden">Rules evaluated, in order</caption>
                <thead>
                  <tr>
                    <th scope="col" className="num">
                      #
                    </th>
                    <th scope="col">Rule</th>
                    <th scope="col">Outcome</th>
                  </tr>
                </thead>
                <tbody>
                  {outcome.evaluated.map((rule) => (
                    <tr key={rule.ruleId}>
                      <td className="num">{rule.position}</td>
                      <td>{rule.ruleName}</td>
                      <td>
                        {rule.matched ? (
                          <Badge tone="green">matched</Badge>
                        ) : rule.failedMatcher ? (
                          <span className="muted">
                            no match: matcher {rule.failedMatcher.index + 1} (<code>{rule.failedMatcher.field}</code>{' '}
                            {rule.failedMatcher.op}) did not hold
                          </span>
                        ) : (
                          <span className="muted">not matched</span>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          )}
        </div>
      ))}
    </div>
  );
}
