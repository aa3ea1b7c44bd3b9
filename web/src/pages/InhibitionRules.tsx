import { api, type Me } from '../api';
import { ProblemMessage, useResource } from '../components';
import { formatMatchers, MatcherLinesField, matcherLines, parseMatcherLines } from '../matcher-lines';
import type { InhibitionRule } from '../noise-control-api';
import { NoiseControlLinks } from '../noise-control-links';
import { RuleFormCard, RulesTable, useRuleEditor } from '../rules-editor';

const blank = { name: '', source: '', target: '', equal: '', isActive: true };

/**
 * Inhibition rules (Alertmanager semantics): while an alert matching the source matchers fires,
 * alerts matching the target matchers with equal values of the listed labels page nobody.
 * Platform admins only, as the API.
 */
export function InhibitionRulesPage({ me }: { me: Me }) {
  const { data, error, reload } = useResource(
    () => api<{ rules: InhibitionRule[] }>('GET', '/api/inhibition-rules'),
    'inhibition-rules',
  );
  const editor = useRuleEditor({
    path: '/api/inhibition-rules',
    noun: 'inhibition rule',
    blank,
    reload,
    toForm: (rule: InhibitionRule) => ({
      name: rule.name,
      source: matcherLines(rule.sourceMatchers),
      target: matcherLines(rule.targetMatchers),
      equal: rule.equal.join(', '),
      isActive: rule.isActive,
    }),
    toBody: (form) => ({
      name: form.name,
      sourceMatchers: parseMatcherLines(form.source),
      targetMatchers: parseMatcherLines(form.target),
      equal: form.equal
        .split(',')
        .map((label) => label.trim())
        .filter((label) => label !== ''),
      isActive: form.isActive,
    }),
  });
  const { form, setForm } = editor;

  return (
    <section aria-labelledby="inhibition-title">
      <h1 id="inhibition-title">Inhibition rules</h1>
      <NoiseControlLinks me={me} />
      <p>
        While an alert matching the source fires, alerts matching the target with equal values of the listed labels page
        nobody.
      </p>
      <ProblemMessage error={error ?? editor.error} />
      <RuleFormCard editor={editor} noun="inhibition rule">
        <MatcherLinesField
          label="Source matchers"
          value={form.source}
          onChange={(source) => setForm({ ...form, source })}
          rows={3}
          required
        />
        <MatcherLinesField
          label="Target matchers"
          syntax={false}
          value={form.target}
          onChange={(target) => setForm({ ...form, target })}
          rows={3}
          required
        />
        <label>
          Equal labels (comma-separated)
          <input value={form.equal} onChange={(event) => setForm({ ...form, equal: event.target.value })} />
        </label>
      </RuleFormCard>
      <RulesTable
        label="Inhibition rules"
        rules={data?.rules}
        loadError={error}
        testId="inhibition-rule"
        onEdit={editor.edit}
        onDelete={editor.remove}
        columns={[
          { header: 'Name', cell: (rule) => rule.name },
          { header: 'Source', cell: (rule) => <code>{formatMatchers(rule.sourceMatchers)}</code> },
          { header: 'Target', cell: (rule) => <code>{formatMatchers(rule.targetMatchers)}</code> },
          { header: 'Equal', cell: (rule) => rule.equal.join(', ') },
        ]}
      />
    </section>
  );
}
