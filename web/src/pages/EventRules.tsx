import { type FormEvent, useState } from 'react';
import { api, type Integration, type Me } from '../api';
import { CodeBlock, ProblemMessage, useResource } from '../components';
import type { EventRule, EventRulesDryRun } from '../noise-control-api';
import { NoiseControlLinks } from '../noise-control-links';
import { RuleFormCard, RulesTable, useRuleEditor } from '../rules-editor';

const blank = { name: '', integrationId: '', matchers: '[]', actions: '{\n  "severity": "info"\n}', isActive: true };
const pretty = (value: unknown) => JSON.stringify(value, null, 2);

/** Reads a JSON field of the form, naming it when it does not parse. */
function parsed(label: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new Error(`${label} is not valid JSON`);
  }
}

/**
 * Event rules, in the order they apply: matchers (as routing rules write them) and actions (drop,
 * suppress, set severity, set or remove labels, title or dedup key from a template). The dry-run
 * shows each active rule's effect on a sample payload. Platform admins only, as the API.
 */
export function EventRulesPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(
    () =>
      Promise.all([
        api<{ rules: EventRule[] }>('GET', '/api/event-rules'),
        api<{ integrations: Integration[] }>('GET', '/api/integrations'),
      ]),
    'event-rules',
  );
  const editor = useRuleEditor({
    path: '/api/event-rules',
    noun: 'event rule',
    blank,
    reload,
    toForm: (rule: EventRule) => ({
      name: rule.name,
      integrationId: rule.integrationId ?? '',
      matchers: pretty(rule.matchers),
      actions: pretty(rule.actions),
      isActive: rule.isActive,
    }),
    toBody: (form) => ({
      name: form.name,
      integrationId: form.integrationId === '' ? null : form.integrationId,
      matchers: parsed('Matchers', form.matchers),
      actions: parsed('Actions', form.actions),
      isActive: form.isActive,
    }),
  });
  const { form, setForm } = editor;
  const [sample, setSample] = useState({ integrationId: '', payload: '{\n  "title": "Disk almost full"\n}' });
  const [dryRun, setDryRun] = useState<EventRulesDryRun | null>(null);
  const [rules, integrations] = data ?? [undefined, undefined];
  const integrationName = (id: string | null) =>
    id === null ? 'all (global)' : (integrations?.integrations.find((found) => found.id === id)?.name ?? id);
  const ruleName = (id: string) => rules?.rules.find((rule) => rule.id === id)?.name ?? id;

  async function tryIt(event: FormEvent) {
    event.preventDefault();
    editor.setError(null);
    setDryRun(null);
    try {
      setDryRun(
        await api<EventRulesDryRun>('POST', '/api/event-rules/dry-run', {
          integrationId: sample.integrationId,
          payload: parsed('The sample payload', sample.payload),
        }),
      );
    } catch (caught) {
      editor.setError(caught);
    }
  }

  return (
    <section aria-labelledby="event-rules-title">
      <h1 id="event-rules-title">Event rules</h1>
      <NoiseControlLinks me={me} />
      <ProblemMessage error={error ?? editor.error} />
      <RuleFormCard editor={editor} noun="event rule">
        <label>
          Integration
          <select
            value={form.integrationId}
            onChange={(event) => setForm({ ...form, integrationId: event.target.value })}
          >
            <option value="">All integrations (global)</option>
            {integrations?.integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Matchers (JSON, as routing rules: <code>[{'{"field": "labels.env", "op": "equals", "value": "dev"}'}]</code>)
          <textarea
            value={form.matchers}
            onChange={(event) => setForm({ ...form, matchers: event.target.value })}
            rows={3}
          />
        </label>
        <label>
          Actions (JSON: <code>drop</code>, <code>suppress</code>, <code>severity</code>, <code>setLabels</code>,{' '}
          <code>removeLabels</code>, <code>title</code>, <code>dedupKey</code>)
          <textarea
            value={form.actions}
            onChange={(event) => setForm({ ...form, actions: event.target.value })}
            rows={4}
            required
          />
        </label>
      </RuleFormCard>
      <RulesTable
        label="Event rules"
        rules={rules?.rules}
        loadError={error}
        testId="event-rule"
        onEdit={editor.edit}
        onDelete={editor.remove}
        columns={[
          { header: 'Order', cell: (rule) => rule.position },
          { header: 'Name', cell: (rule) => rule.name },
          { header: 'Integration', cell: (rule) => integrationName(rule.integrationId) },
          { header: 'Matchers', cell: (rule) => <code>{JSON.stringify(rule.matchers)}</code> },
          { header: 'Actions', cell: (rule) => <code>{JSON.stringify(rule.actions)}</code> },
        ]}
      />
      <form className="card" onSubmit={tryIt} aria-labelledby="dry-run-title">
        <h2 id="dry-run-title">Dry-run on a sample payload</h2>
        <label>
          Integration (its type normalizes the sample)
          <select
            value={sample.integrationId}
            onChange={(event) => setSample({ ...sample, integrationId: event.target.value })}
            required
          >
            <option value="">Choose an integration</option>
            {integrations?.integrations.map((integration) => (
              <option key={integration.id} value={integration.id}>
                {integration.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Sample payload (JSON, as the sender posts it)
          <textarea
            value={sample.payload}
            onChange={(event) => setSample({ ...sample, payload: event.target.value })}
            rows={6}
            required
          />
        </label>
        <button type="submit">Dry-run</button>
      </form>
      {dryRun?.alerts.map((alert, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: the dry-run's alerts have no id; their order in the sample is theirs
        <div className="card" key={index} data-testid="dry-run-alert">
          <h3>Alert {index + 1}</h3>
          <ul>
            {alert.rules.map((rule) => (
              <li key={rule.ruleId}>
                {ruleName(rule.ruleId)}: {rule.matched ? <code>{JSON.stringify(rule.changes)}</code> : 'did not match'}
              </li>
            ))}
          </ul>
          {alert.after === null ? (
            <p>Dropped: no alert would be kept.</p>
          ) : (
            <>
              <h4>After the rules</h4>
              <CodeBlock label={`Alert ${index + 1} after the rules`}>{pretty(alert.after)}</CodeBlock>
            </>
          )}
        </div>
      ))}
    </section>
  );
}
