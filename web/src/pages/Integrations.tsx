import { type FormEvent, useState } from 'react';
import { TYPE_DEFAULTS } from '../../../src/modules/integrations/integration-defaults';
import { api, INTEGRATION_TYPES, type Integration, type IntegrationType, type IntegrationWithSecret } from '../api';
import { Badge, EmptyState, Loading, ProblemMessage, TableWrap, useAction, useResource } from '../components';
import { Link } from '../router';
import { keepSecretForSetup, SecretOnce } from './SecretOnce';

export const TYPE_LABELS: Record<IntegrationType, string> = {
  generic: 'Generic (any script or tool)',
  alertmanager: 'Prometheus Alertmanager',
  grafana: 'Grafana',
  datadog: 'Datadog',
  newrelic: 'New Relic',
  pagerduty: 'PagerDuty v3 webhooks',
};

export function IntegrationsPage() {
  const { data, error, reload } = useResource(
    () => api<{ integrations: Integration[] }>('GET', '/api/integrations'),
    '',
    { topics: ['alerts', 'deliveries'] },
  );
  const [creating, setCreating] = useState(false);

  return (
    <section aria-labelledby="integrations-title">
      <div className="page-head">
        <h1 id="integrations-title">Integrations</h1>
        {!creating && (
          <button type="button" onClick={() => setCreating(true)}>
            New integration
          </button>
        )}
      </div>
      {creating && <CreateIntegration onDone={() => void reload()} onCancel={() => setCreating(false)} />}
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.integrations.length === 0 ? (
        <EmptyState title="No integrations yet">
          <p>
            An integration is the address one monitoring tool sends its alerts to. Create one, copy its secret into the
            tool, then send a test alert.
          </p>
          {!creating && (
            <button type="button" onClick={() => setCreating(true)}>
              Create your first integration
            </button>
          )}
        </EmptyState>
      ) : (
        <TableWrap label="Integrations">
          <table>
            <caption className="visually-hidden">Integrations, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Type</th>
                <th scope="col">Status</th>
                <th scope="col">Secret</th>
                <th scope="col" className="num">
                  Alerts
                </th>
                <th scope="col" className="num">
                  Deliveries
                </th>
              </tr>
            </thead>
            <tbody>
              {data.integrations.map((integration) => (
                <tr key={integration.id}>
                  <td>
                    <Link href={`/integrations/${integration.id}`}>{integration.name}</Link>
                  </td>
                  <td>{TYPE_LABELS[integration.type]}</td>
                  <td>
                    {integration.isActive ? <Badge tone="green">Enabled</Badge> : <Badge tone="grey">Disabled</Badge>}
                  </td>
                  <td>
                    <code>{integration.secretPrefix}</code>
                  </td>
                  <td className="num">{integration.alertCount}</td>
                  <td className="num">{integration.webhookCount}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}

function CreateIntegration({ onDone, onCancel }: { onDone: () => void; onCancel: () => void }) {
  const [name, setName] = useState('');
  const [type, setType] = useState<IntegrationType>('generic');
  const [created, setCreated] = useState<IntegrationWithSecret | null>(null);
  const { busy, error, run } = useAction();
  const defaults = TYPE_DEFAULTS[type];

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const result = await run(() => api<IntegrationWithSecret>('POST', '/api/integrations', { name, type }));
    if (result !== undefined) {
      setCreated(result);
      onDone();
    }
  };

  if (created !== null) {
    return (
      <div className="card">
        <h2>Integration “{created.name}” created</h2>
        <SecretOnce integration={created} />
        <p>
          <Link href={`/integrations/${created.id}`} className="button" onClick={() => keepSecretForSetup(created)}>
            Set up the sender and send a test alert
          </Link>
        </p>
      </div>
    );
  }

  return (
    <form className="card" onSubmit={submit} aria-labelledby="create-title">
      <h2 id="create-title">New integration</h2>
      <ProblemMessage error={error} />
      <div className="form-grid">
        <div>
          <label htmlFor="integration-name">Name</label>
          <input
            id="integration-name"
            required
            maxLength={100}
            // Browsers compile pattern with the `v` flag, where a literal dash in a class must be escaped.
            pattern="[a-z0-9\-]+"
            aria-describedby="integration-name-help"
            value={name}
            onChange={(event) => setName(event.target.value)}
          />
          <p id="integration-name-help" className="help">
            Lowercase letters, digits and dashes; it becomes part of the webhook URL.
          </p>
        </div>
        <div>
          <label htmlFor="integration-type">Type</label>
          <select
            id="integration-type"
            value={type}
            onChange={(event) => setType(event.target.value as IntegrationType)}
          >
            {INTEGRATION_TYPES.map((value) => (
              <option key={value} value={value}>
                {TYPE_LABELS[value]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <h3>Defaults for {TYPE_LABELS[type]}</h3>
      <dl className="facts" aria-label="Signature defaults">
        <dt>Scheme</dt>
        <dd>{defaults.signatureScheme}</dd>
        <dt>Header</dt>
        <dd>
          <code>{defaults.signatureHeader}</code>
        </dd>
        {defaults.signatureScheme === 'hmac' && (
          <>
            <dt>Algorithm</dt>
            <dd>
              HMAC-{defaults.signatureAlgorithm.toUpperCase()}, {defaults.signatureFormat}
            </dd>
          </>
        )}
        <dt>Prefix</dt>
        <dd>
          {defaults.signaturePrefix === '' ? (
            <span className="muted">none</span>
          ) : (
            <code>{defaults.signaturePrefix}</code>
          )}
        </dd>
        <dt>Dedup window</dt>
        <dd>{defaults.deduplicationWindowMinutes} minutes</dd>
      </dl>
      <p className="help">These can be changed later on the integration page or with PATCH /api/integrations/:id.</p>
      <div className="actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Creating…' : 'Create integration'}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
