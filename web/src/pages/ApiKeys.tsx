import { type FormEvent, useState } from 'react';
import { type ApiKey, api, type Me } from '../api';
import {
  Badge,
  CopyButton,
  EmptyState,
  Loading,
  ProblemMessage,
  TableWrap,
  Time,
  useAction,
  useResource,
} from '../components';
import { loadTeams } from '../teams-api';

/** What a key may do: read-only or not, one team or all of its owner's. */
function accessOf(key: ApiKey, teamNames: Map<string, string>): string {
  const reach = key.teamId === null ? 'all teams' : `team ${teamNames.get(key.teamId) ?? key.teamId}`;
  return `${key.scope === 'read' ? 'read-only' : 'read and write'}, ${reach}`;
}

export function ApiKeysPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(() => api<{ apiKeys: ApiKey[] }>('GET', '/api/api-keys'), '');
  const teams = useResource(loadTeams, 'teams');
  const teamNames = new Map((teams.data ?? []).map((team) => [team.id, team.name]));
  const [name, setName] = useState('');
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);
  const action = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const key = await action.run(() => api<ApiKey & { key: string }>('POST', '/api/api-keys', { name }));
    if (key !== undefined) {
      setCreated({ name: key.name, key: key.key });
      setName('');
      await reload();
    }
  };
  const revoke = async (key: ApiKey) => {
    if (!window.confirm(`Revoke the API key “${key.name}”? Anything using it stops working at once.`)) return;
    await action.run(() => api('DELETE', `/api/api-keys/${key.id}`));
    await reload();
  };

  return (
    <section aria-labelledby="keys-title">
      <h1 id="keys-title">API keys</h1>
      <p className="help">
        {me.isPlatformAdmin ? 'All API keys. ' : 'Your API keys. '}
        Machines use a key as <code>Authorization: Bearer &lt;key&gt;</code>.
      </p>
      <form className="card" onSubmit={submit} aria-labelledby="new-key-title">
        <h2 id="new-key-title">New API key</h2>
        <ProblemMessage error={action.error} />
        <label htmlFor="key-name">Name</label>
        <div className="copy-row">
          <input id="key-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          <button type="submit" disabled={action.busy}>
            Create key
          </button>
        </div>
        {created !== null && (
          <div className="secret-once" role="status">
            <p className="warning">
              <strong>Copy the key “{created.name}” now.</strong> It is shown only this once.
            </p>
            <label htmlFor="new-key">API key</label>
            <div className="copy-row">
              <input id="new-key" readOnly value={created.key} className="mono" />
              <CopyButton value={created.key} label="Copy key" />
            </div>
          </div>
        )}
      </form>
      <ProblemMessage error={error} />
      {data === undefined ? (
        error === null && <Loading />
      ) : data.apiKeys.length === 0 ? (
        <EmptyState title="No API keys yet">
          <p>Create one above for scripts and CI that call the Klaxon API.</p>
        </EmptyState>
      ) : (
        <TableWrap label="API keys">
          <table>
            <caption className="visually-hidden">API keys</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Prefix</th>
                {me.isPlatformAdmin && <th scope="col">Owner</th>}
                <th scope="col">Access</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">Created</th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {data.apiKeys.map((key) => (
                <tr key={key.id}>
                  <td>{key.name}</td>
                  <td>
                    <code>{key.keyPrefix}…</code>
                  </td>
                  {me.isPlatformAdmin && (
                    <td className="mono small-text">{key.userId === me.id ? 'you' : key.userId}</td>
                  )}
                  <td>{accessOf(key, teamNames)}</td>
                  <td>{key.expiresAt === null ? 'never' : <Time value={key.expiresAt} />}</td>
                  <td>
                    <Time value={key.lastUsedAt} />
                  </td>
                  <td>
                    <Time value={key.createdAt} />
                  </td>
                  <td>
                    {key.revokedAt !== null ? (
                      <Badge tone="grey">revoked</Badge>
                    ) : (
                      <button type="button" className="danger small" onClick={() => revoke(key)}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
    </section>
  );
}
