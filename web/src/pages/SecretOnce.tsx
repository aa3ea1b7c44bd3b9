import type { IntegrationWithSecret } from '../api';
import { CopyButton } from '../components';

/**
 * A secret just created, handed from the "created" card to the integration's set-up page, which
 * shows it until the person leaves: it lives in memory only and is taken once.
 */
const freshSecrets = new Map<string, IntegrationWithSecret>();

export function keepSecretForSetup(integration: IntegrationWithSecret): void {
  freshSecrets.set(integration.id, integration);
}

export function takeSecretForSetup(id: string): IntegrationWithSecret | undefined {
  const integration = freshSecrets.get(id);
  freshSecrets.delete(id);
  return integration;
}

/** The webhook secret, shown the one time the server returns it. */
export function SecretOnce({ integration }: { integration: IntegrationWithSecret }) {
  return (
    <div className="secret-once" role="status">
      <p className="warning">
        <strong>Copy this secret now.</strong> It is shown only this once and cannot be retrieved again; if it is lost,
        rotate the secret.
      </p>
      <label htmlFor="webhook-secret">Webhook secret</label>
      <div className="copy-row">
        <input id="webhook-secret" readOnly value={integration.webhookSecret} className="mono" />
        <CopyButton value={integration.webhookSecret} label="Copy secret" />
      </div>
      {integration.standardWebhooksSecret !== undefined && (
        <>
          <label htmlFor="standard-webhooks-secret">Standard Webhooks secret (for the spec’s libraries)</label>
          <div className="copy-row">
            <input id="standard-webhooks-secret" readOnly value={integration.standardWebhooksSecret} className="mono" />
            <CopyButton value={integration.standardWebhooksSecret} label="Copy" />
          </div>
        </>
      )}
    </div>
  );
}
