import { type FormEvent, useState } from 'react';
import { api, type Delivery, type Integration, type IntegrationWithSecret } from '../api';
import type { ResponseOf } from '../api-types';
import {
  Badge,
  CodeBlock,
  CopyButton,
  EmptyState,
  Loading,
  ProblemMessage,
  Time,
  useAction,
  useResource,
} from '../components';
import { formatBytes, formatJsonText } from '../payload-text';
import { Link, navigate } from '../router';
import { explainRejection, senderConfig } from '../sender-config';
import { TYPE_LABELS } from './Integrations';
import { SecretOnce, takeSecretForSetup } from './SecretOnce';

type TestAlertResult = ResponseOf<'/api/integrations/{id}/test-alert', 'post'>;

export function IntegrationDetailPage({ id }: { id: string }) {
  // Arrived from "Set up the sender" right after creation: the secret stays visible here.
  const [fresh] = useState(() => takeSecretForSetup(id));
  const {
    data: integration,
    error,
    reload,
  } = useResource(() => api<Integration>('GET', `/api/integrations/${id}`), id, {
    topics: ['alerts', 'deliveries'],
  });
  if (integration === undefined) {
    return (
      <section>
        <p>
          <Link href="/integrations">← Integrations</Link>
        </p>
        <ProblemMessage error={error} />
        {error === null && <Loading />}
      </section>
    );
  }
  const webhookUrl = `${window.location.origin}/webhooks/alerts/${integration.name}`;
  const config = senderConfig(integration, webhookUrl);

  return (
    <section aria-labelledby="integration-title">
      <p>
        <Link href="/integrations">← Integrations</Link>
      </p>
      <div className="page-head">
        <h1 id="integration-title">{integration.name}</h1>
        {integration.isActive ? <Badge tone="green">Enabled</Badge> : <Badge tone="grey">Disabled</Badge>}
      </div>
      <ProblemMessage error={error} />
      {fresh !== undefined && <SecretOnce integration={fresh} />}
      <div className="grid-2">
        <div className="card">
          <h2>Connection</h2>
          <label htmlFor="webhook-url">Webhook URL</label>
          <div className="copy-row">
            <input id="webhook-url" readOnly value={webhookUrl} className="mono" />
            <CopyButton value={webhookUrl} label="Copy URL" />
          </div>
          <dl className="facts">
            <dt>Type</dt>
            <dd>{TYPE_LABELS[integration.type]}</dd>
            <dt>Scheme</dt>
            <dd>{integration.signatureScheme}</dd>
            <dt>Header</dt>
            <dd>
              <code>{integration.signatureHeader}</code>
              {integration.signaturePrefix !== '' && (
                <>
                  {' '}
                  prefix <code>{integration.signaturePrefix}</code>
                </>
              )}
            </dd>
            <dt>Secret</dt>
            <dd>
              <code>{integration.secretPrefix}</code>
            </dd>
            <dt>Dedup window</dt>
            <dd>{integration.deduplicationWindowMinutes} minutes</dd>
            <dt>Rate limit</dt>
            <dd>{integration.rateLimitPerMinute.toLocaleString()} per minute</dd>
            <dt>Alerts</dt>
            <dd>
              <Link href={`/alerts?integrationId=${integration.id}`} data-testid="alert-count">
                {integration.alertCount}
              </Link>
            </dd>
          </dl>
        </div>
        <Actions integration={integration} onChanged={() => void reload()} />
      </div>
      <div className="card">
        <div className="page-head">
          <h2>Sender configuration</h2>
          <CopyButton value={config.text} label="Copy configuration" />
        </div>
        <CodeBlock label="Sender configuration code">{config.text}</CodeBlock>
        <p className="help">
          Replace <code>&lt;secret&gt;</code> with the webhook secret shown when the integration was created (or rotate
          to get a new one).
        </p>
      </div>
      <Deliveries integration={integration} />
    </section>
  );
}

function Actions({ integration, onChanged }: { integration: Integration; onChanged: () => void }) {
  const action = useAction();
  const [testResult, setTestResult] = useState<TestAlertResult | null>(null);
  const [rotated, setRotated] = useState<IntegrationWithSecret | null>(null);
  const [grace, setGrace] = useState('60');
  const [confirmDelete, setConfirmDelete] = useState('');
  const [showDelete, setShowDelete] = useState(false);
  const canSign = integration.signatureScheme !== 'hmac' || ['generic', 'grafana'].includes(integration.type);

  const sendTest = async () => {
    setTestResult(null);
    const result = await action.run(() =>
      api<TestAlertResult>('POST', `/api/integrations/${integration.id}/test-alert`),
    );
    if (result !== undefined) setTestResult(result);
    onChanged();
  };
  const toggle = async () => {
    await action.run(() => api('PATCH', `/api/integrations/${integration.id}`, { isActive: !integration.isActive }));
    onChanged();
  };
  const switchToToken = async () => {
    await action.run(() =>
      api('PATCH', `/api/integrations/${integration.id}`, {
        signatureScheme: 'token',
        signatureHeader: 'X-Klaxon-Token',
        signaturePrefix: '',
      }),
    );
    onChanged();
  };
  const rotate = async (event: FormEvent) => {
    event.preventDefault();
    const result = await action.run(() =>
      api<IntegrationWithSecret>('POST', `/api/integrations/${integration.id}/rotate-secret`, {
        gracePeriodMinutes: Number(grace),
      }),
    );
    if (result !== undefined) setRotated(result);
    onChanged();
  };
  const remove = async (event: FormEvent) => {
    event.preventDefault();
    const done = await action.run(async () => {
      await api('DELETE', `/api/integrations/${integration.id}`);
      return true;
    });
    if (done) navigate('/integrations');
  };

  return (
    <div className="card">
      <h2>Actions</h2>
      <ProblemMessage error={action.error} />
      <div className="actions">
        <button type="button" onClick={sendTest} disabled={action.busy}>
          Send test alert
        </button>
        <button type="button" className="secondary" onClick={toggle} disabled={action.busy}>
          {integration.isActive ? 'Disable' : 'Enable'}
        </button>
        {!canSign && (
          <button type="button" className="secondary" onClick={switchToToken} disabled={action.busy}>
            Use a token header
          </button>
        )}
      </div>
      {testResult !== null && (
        <p role="status" className={testResult.httpStatus < 300 ? 'ok' : 'problem'}>
          {testResult.httpStatus < 300
            ? `Test alert accepted (HTTP ${testResult.httpStatus}). It appears below and in Alerts.`
            : `Test alert rejected (HTTP ${testResult.httpStatus}): ${describe(testResult.response)}`}
        </p>
      )}
      <form onSubmit={rotate} className="inline-form" aria-labelledby="rotate-title">
        <h3 id="rotate-title">Rotate secret</h3>
        <label htmlFor="grace">Keep the old secret working for (minutes)</label>
        <div className="copy-row">
          <input
            id="grace"
            type="number"
            min={0}
            max={10080}
            required
            value={grace}
            onChange={(event) => setGrace(event.target.value)}
          />
          <button type="submit" className="secondary" disabled={action.busy}>
            Rotate
          </button>
        </div>
      </form>
      {rotated !== null && <SecretOnce integration={rotated} />}
      <h3>Delete</h3>
      {!showDelete ? (
        <button type="button" className="danger" onClick={() => setShowDelete(true)}>
          Delete integration…
        </button>
      ) : (
        <form onSubmit={remove} aria-label="Confirm deletion">
          <p>
            Senders using this URL will get 404. Its alerts and deliveries stay readable. Type{' '}
            <strong>{integration.name}</strong> to confirm.
          </p>
          <label htmlFor="confirm-delete">Integration name</label>
          <input
            id="confirm-delete"
            value={confirmDelete}
            onChange={(event) => setConfirmDelete(event.target.value)}
            autoComplete="off"
          />
          <div className="actions">
            <button type="submit" className="danger" disabled={confirmDelete !== integration.name || action.busy}>
              Delete permanently
            </button>
            <button type="button" className="secondary" onClick={() => setShowDelete(false)}>
              Cancel
            </button>
          </div>
        </form>
      )}
    </div>
  );
}

function describe(response: unknown): string {
  if (typeof response === 'object' && response !== null) {
    const problem = response as { title?: string; detail?: string };
    return [problem.title, problem.detail].filter(Boolean).join(' — ');
  }
  return String(response);
}

function Deliveries({ integration }: { integration: Integration }) {
  const [status, setStatus] = useState('');
  const { data, error } = useResource(
    () =>
      api<{ deliveries: Delivery[] }>(
        'GET',
        `/api/integrations/${integration.id}/deliveries?limit=50${status ? `&status=${status}` : ''}`,
      ),
    `${integration.id}|${status}`,
    { topics: ['deliveries'] },
  );
  return (
    <section className="card" aria-labelledby="deliveries-title">
      <div className="page-head">
        <h2 id="deliveries-title">Deliveries</h2>
        <div>
          <label htmlFor="delivery-status" className="inline-label">
            Show
          </label>
          <select id="delivery-status" value={status} onChange={(event) => setStatus(event.target.value)}>
            <option value="">all</option>
            <option value="accepted">accepted</option>
            <option value="rejected">rejected</option>
          </select>
        </div>
      </div>
      <p className="help">Every request to this integration’s URL, newest first; new ones appear as they arrive.</p>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.deliveries.length === 0 ? (
        <EmptyState title="No deliveries yet">
          <p>Configure the sender with the URL and secret above, or press “Send test alert”.</p>
        </EmptyState>
      ) : (
        <ul className="deliveries" aria-live="polite">
          {data.deliveries.map((delivery) => (
            <li key={delivery.id} className={`delivery delivery-${delivery.status}`} data-testid="delivery">
              <div className="delivery-head">
                {delivery.status === 'accepted' ? (
                  <Badge tone="green">Accepted</Badge>
                ) : (
                  <Badge tone="red">Rejected</Badge>
                )}
                <span className="mono">HTTP {delivery.httpStatus}</span>
                <Time value={delivery.receivedAt} />
                <span className="muted">{delivery.userAgent ?? ''}</span>
              </div>
              {delivery.status === 'rejected' && <p className="reason">{explainRejection(delivery, integration)}</p>}
              {(delivery.payloadText !== null || delivery.alertIds.length > 0) && (
                <details>
                  <summary>
                    {delivery.status === 'rejected' ? 'Payload as received' : 'Payload'}
                    {delivery.alertIds.length > 0 &&
                      ` · ${delivery.alertIds.length} alert${delivery.alertIds.length === 1 ? '' : 's'}`}
                  </summary>
                  {delivery.alertIds.length > 0 && (
                    <p>
                      {delivery.alertIds.map((alertId) => (
                        <Link key={alertId} href={`/alerts/${alertId}`} className="chip">
                          alert {alertId.slice(-8)}
                        </Link>
                      ))}
                    </p>
                  )}
                  {delivery.payloadText !== null && (
                    <CodeBlock label={`Payload of delivery ${delivery.id.slice(-8)}`} className="code small-text">
                      {formatJsonText(delivery.payloadText)}
                    </CodeBlock>
                  )}
                  {delivery.payloadTruncatedFrom !== null && (
                    <p className="help">
                      Only the first part is kept: the body was {formatBytes(delivery.payloadTruncatedFrom)}.
                    </p>
                  )}
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
